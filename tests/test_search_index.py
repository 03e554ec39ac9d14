"""The copy of a page the search index reads (build/search.py): the article only, with an id on every heading a
result can link to, and without the headings' "#" links and the buttons' labels."""

from __future__ import annotations

from bs4 import BeautifulSoup

from icebook.build.search import indexed_html

PAGE = """<html><body><nav>Every page's navigation</nav><article class="bd-article">
<section id="the-287-g-program">
<h2>The 287(g) program<a class="headerlink" href="#the-287-g-program" title="Link to this heading">#</a></h2>
<section class="source-entry" id="source-oig2013"><h3>A report <small>(OIG-20-13)</small></h3></section>
<div class="quote-group"><ul class="quote-facts">
<li class="fact-entry" id="ar2020-ero-admin-arrests"><span class="fact-head"><strong>103,603</strong> · arrests ·
<span class="fact-period">FY 2020</span> · ERO</span> <button type="button" class="cite-fact">Cite</button></li>
</ul><blockquote>“… 103,603 …”</blockquote></div>
</section></article></body></html>"""


def test_only_the_article_is_indexed():
    soup = BeautifulSoup(indexed_html(PAGE), "html.parser")
    assert soup.find(attrs={"data-pagefind-body": True}).name == "article"


def test_each_section_heading_and_fact_entry_carries_the_id_a_result_links_to():
    soup = BeautifulSoup(indexed_html(PAGE), "html.parser")
    assert soup.find(id="the-287-g-program", name="h2").get_text().startswith("The 287(g) program")
    assert soup.find(id="source-oig2013", name="h3") is not None
    fact = soup.find(id="ar2020-ero-admin-arrests", name=["h1", "h2", "h3", "h4", "h5", "h6"])
    assert fact is not None and "103,603" in fact.get_text() and fact.get_text().endswith("ERO")


def test_heading_links_and_button_labels_are_not_indexed():
    soup = BeautifulSoup(indexed_html(PAGE), "html.parser")
    assert soup.find("a", class_="headerlink").has_attr("data-pagefind-ignore")
    assert soup.find("button").has_attr("data-pagefind-ignore")
