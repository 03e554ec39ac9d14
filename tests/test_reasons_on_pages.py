"""Every judgement on the site comes from the one comparability rule: each verdict and reason a built page shows is
marked (``verdicts``) with a code of the rule's closed list, and no page words a verdict or a reason of its own."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_PAGES, built_page
from icebook.data.comparability import REASONS, Verdict
from icebook.pages.verdicts import VERDICT_SLUG

# What a verdict or a reason reads like: the rule's own words, and the words pages used to word reasons of their
# own before the rule (the review found "count for one fiscal year only" where the wording differed).
JUDGEMENTS = ([v.value for v in Verdict] + [r.name for r in REASONS.values() if len(r.name.split()) > 2]
              + ["comparable with a caveat", "counts the same thing", "count the same thing", "not comparable",
                 "count for one fiscal year only", "no change is computed", "scope in doubt", "worded differently",
                 "cannot be compared", "the two are comparable"])


def unmarked_judgements(html: str) -> list[str]:
    """The judgement phrases a page shows outside the rule's marked verdicts and reasons."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    for marked in article.select("[data-verdict], [data-reason], [data-rule], script, style"):
        marked.decompose()
    text = " ".join(article.get_text(" ").split()).lower()
    return [phrase for phrase in JUDGEMENTS if phrase.lower() in text]


def marks_not_in_the_list(html: str) -> list[str]:
    """Marked verdicts and reasons that are not the rule's: an unknown code, or words other than the list's."""
    soup = BeautifulSoup(html, "html.parser")
    slugs = {slug: verdict for verdict, slug in VERDICT_SLUG.items()}
    wrong = []
    for tag in soup.select("[data-verdict]"):
        verdict = slugs.get(tag["data-verdict"])
        if verdict is None or tag.get_text(" ", strip=True) != verdict.value:
            wrong.append(str(tag)[:120])
    for tag in soup.select("[data-reason]"):
        reason = REASONS.get(tag["data-reason"])
        if reason is None or not tag.get_text(" ", strip=True).lower().startswith(reason.name.lower()):
            wrong.append(str(tag)[:120])
    for tag in soup.select("[data-rule]"):  # the closed list's rules, word for word
        reason = REASONS.get(tag["data-rule"])
        if reason is None or " ".join(tag.get_text(" ").split()) != reason.rule:
            wrong.append(str(tag)[:120])
    return wrong


def test_the_check_finds_a_reason_a_page_words_of_its_own():
    planted = ('<article><p>Victims: the sources give each count for one fiscal year only.</p>'
               '<p><span class="reason" data-reason="scope_words_differ">the scope words differ: …</span></p>'
               '<p><span class="verdict" data-verdict="not-compared">not compared</span></p></article>')
    assert unmarked_judgements(planted) == ["count for one fiscal year only"]
    assert marks_not_in_the_list(planted) == []
    invented = '<span class="reason" data-reason="too_different">they differ</span>'
    renamed = '<span class="reason" data-reason="no_second_year">only one year</span>'
    reworded = '<span class="rule" data-rule="exact">Exact figures are compared.</span>'
    assert len(marks_not_in_the_list(invented + renamed + reworded)) == 3


def _pages() -> list[str]:
    pages = sorted(p.stem for p in SITE_PAGES.glob("*.html"))
    return pages or ["comparison"]  # no built site: built_page skips (or fails in CI)


@pytest.mark.build
@pytest.mark.parametrize("page", _pages())
def test_no_built_page_words_a_verdict_or_reason_outside_the_rule(page):
    html = built_page(page)
    assert unmarked_judgements(html) == []
    assert marks_not_in_the_list(html) == []


@pytest.mark.build
@pytest.mark.parametrize("page", ["home", "comparison", "methods"])
def test_the_pages_that_judge_pairs_show_the_rules_marks(page):
    soup = BeautifulSoup(built_page(page), "html.parser")
    assert soup.select("[data-reason]") and soup.select("[data-verdict]")
    codes = {tag["data-reason"] for tag in soup.select("[data-reason]")}
    assert codes <= set(REASONS)
    if page == "methods":  # the methods page lists the whole closed list, in its order
        listed = [tag["data-reason"] for tag in soup.select("table [data-reason]")]
        assert listed == list(REASONS)


@pytest.mark.build
def test_the_comparison_page_shows_the_bound_one_way_everywhere():
    # dhs2018 "more than 2,300 pounds of fentanyl" and ar2020 "6,105 pounds of fentanyl": 165.43%, "at most +166%";
    # the same bound in the key findings, the measure's line, the list of pairs and the derived figure
    for page in ("home", "comparison"):
        text = " ".join(BeautifulSoup(built_page(page), "html.parser").get_text(" ").split())
        assert "at most +166%" in text, page
        assert not re.search(r"(less than|at most a rise of) \+?170%", text), page
