"""The site check's verdict cache: a page read back from it gives exactly what a fresh check gives, a page whose
bytes changed is checked again, and links are checked across pages every time, cached or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icebook.site import checks
from icebook.site.checks import check_site
from icebook.site.counts import BookCounts
from test_checks import FACTS, PAGE  # the same small site the plain checks are tested on

FAULTS = ("<p>It also made 4,067 gang arrests, from the five sources.</p>"
          '<p><a href="facts.html#no-such-fact">x</a> <a href="missing.html">y</a></p>'
          '<p><q class="source-quote">words no source prints</q></p>')
COUNTS = BookCounts(sources=6)
TEXTS = {"sample": "ICE reports 103,603 arrests."}


def site(root: Path, head: str = "", body: str = "") -> Path:
    root.mkdir(exist_ok=True)
    (root / "page.html").write_text(PAGE.format(head=head, body=body), encoding="utf-8")
    (root / "facts.html").write_text(FACTS, encoding="utf-8")
    return root


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the pages the check parses (those it could not read from the cache)."""
    names: list[str] = []
    verdict = checks.page_verdict

    def parse(html: str, page_name: str, *args) -> dict:
        names.append(page_name)
        return verdict(html, page_name, *args)

    monkeypatch.setattr(checks, "page_verdict", parse)
    return names


def test_a_page_read_from_the_cache_gives_exactly_the_problems_a_fresh_check_gives(tmp_path, parsed):
    root = site(tmp_path / "site", head='<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>', body=FAULTS)
    fresh = check_site(root, counts=COUNTS, texts=TEXTS)
    assert len(fresh) == 6, fresh  # the CDN script, two broken links, a stale count, an invented quote, a number
    cache = tmp_path / "cache.json"
    assert check_site(root, counts=COUNTS, texts=TEXTS, cache=cache) == fresh
    parsed.clear()
    assert check_site(root, counts=COUNTS, texts=TEXTS, cache=cache) == fresh
    assert parsed == []


def test_a_cached_page_whose_bytes_change_is_checked_again(tmp_path, parsed):
    root, cache = site(tmp_path / "site"), tmp_path / "cache.json"
    assert check_site(root, cache=cache) == []
    site(root, body="<p>It also made 4,067 gang arrests.</p>")
    parsed.clear()
    assert check_site(root, cache=cache) == ["page.html: untraced number '4,067' in “It also made 4,067 gang arrests.”"]
    assert parsed == ["page.html"]
    site(root, body='<p><a href="facts.html#no-such-fact">x</a></p>')
    assert check_site(root, cache=cache) == ["page.html: link 'facts.html#no-such-fact' points to a missing anchor"]


def test_a_link_into_a_page_whose_anchors_changed_is_caught_though_the_linking_page_is_cached(tmp_path, parsed):
    root, cache = site(tmp_path / "site"), tmp_path / "cache.json"
    assert check_site(root, cache=cache) == []
    (root / "facts.html").write_text(FACTS.replace("ar2020-arrests", "ar2020-removals"), encoding="utf-8")
    parsed.clear()
    assert check_site(root, cache=cache) == ["page.html: link 'facts.html#ar2020-arrests' points to a missing anchor"]
    assert parsed == ["facts.html"]
    (root / "facts.html").unlink()
    assert check_site(root, cache=cache) == ["page.html: link 'facts.html#ar2020-arrests' points to a missing file"]


def test_other_counts_or_source_texts_check_every_page_again(tmp_path, parsed):
    root, cache = site(tmp_path / "site", body="<p>It reports what five documents say.</p>"), tmp_path / "cache.json"
    assert check_site(root, counts=BookCounts(sources=5), texts=TEXTS, cache=cache) == []
    assert check_site(root, counts=COUNTS, texts=TEXTS, cache=cache) == [
        "page.html: “what five documents” but the data has 6 sources"]
    parsed.clear()
    assert check_site(root, counts=BookCounts(sources=5), texts={"sample": "ICE reports"}, cache=cache) == [
        "facts.html: styled as a source's words but in no source: “103,603”"]
    assert sorted(parsed) == ["facts.html", "page.html"]


def test_a_damaged_cache_or_entry_is_checked_afresh(tmp_path, parsed):
    root, cache = site(tmp_path / "site", body=FAULTS), tmp_path / "cache.json"
    fresh = check_site(root)
    cache.write_bytes(b"\x00 not json")
    assert check_site(root, cache=cache) == fresh
    entries = json.loads(cache.read_text(encoding="utf-8"))
    cache.write_text(json.dumps({key: {**verdict, "problems": None} for key, verdict in entries.items()}))
    parsed.clear()
    assert check_site(root, cache=cache) == fresh
    assert sorted(parsed) == ["facts.html", "page.html"]


def test_the_cache_keeps_only_the_last_checked_pages(tmp_path):
    cache = tmp_path / "cache.json"
    check_site(site(tmp_path / "one"), cache=cache)
    check_site(site(tmp_path / "two", body="<p>Other words.</p>"), cache=cache)
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 2
