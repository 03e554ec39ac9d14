"""The site checks catch what they exist to catch (each seen to fail on a planted fault)."""

from pathlib import Path

from icebook.site.checks import check_site

PAGE = """<html><head>{head}</head><body><article>
<h1>Arrests in FY 2020</h1>
<p>ICE reports <a class="fact" href="facts.html#ar2020-arrests" data-quote="q">103,603</a> arrests.</p>
{body}</article></body></html>"""
FACTS = '<html><body><article><div id="ar2020-arrests"><blockquote class="source-quote">103,603</blockquote>' \
        "</div></article></body></html>"


def site(tmp_path: Path, head: str = "", body: str = "") -> Path:
    (tmp_path / "page.html").write_text(PAGE.format(head=head, body=body))
    (tmp_path / "facts.html").write_text(FACTS)
    return tmp_path


def test_a_clean_site_has_no_problems(tmp_path):
    assert check_site(site(tmp_path)) == []


def test_untraced_number_is_reported_with_page_and_text(tmp_path):
    problems = check_site(site(tmp_path, body="<p>It also made 4,067 gang arrests.</p>"))
    assert problems == ["page.html: untraced number '4,067' in “It also made 4,067 gang arrests.”"]


def test_broken_fact_link_is_reported(tmp_path):
    problems = check_site(site(tmp_path, body='<a class="fact" href="facts.html#no-such-fact">x</a>'))
    assert problems == ["page.html: link 'facts.html#no-such-fact' points to a missing anchor"]


def test_script_from_a_cdn_is_reported(tmp_path):
    problems = check_site(site(tmp_path, head='<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>'))
    assert problems == ["page.html: <script src='https://cdn.jsdelivr.net/npm/vega@6'> loads from another host"]
