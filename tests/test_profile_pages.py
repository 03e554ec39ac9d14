"""The component profiles lead with the answer: the key figures each component's own reports give, worded as
their sources word them, with source and period, before the mission text (checked on the built pages)."""

import pytest
from bs4 import BeautifulSoup

from conftest import built_page
from icebook import book
from icebook.build.params import chapter_spec

pytestmark = pytest.mark.build


def _page(component: str) -> BeautifulSoup:
    return BeautifulSoup(built_page(f"profile-{component.lower()}"), "html.parser")


@pytest.mark.parametrize("component", chapter_spec("profiles")["values"]["component"])
def test_a_profile_opens_with_its_key_figures_before_its_mission(component):
    article = _page(component).find("article")
    blocks = [t for t in article.find_all(["h2", "div"]) if t.name == "h2" or "key-figures" in t.get("class", [])]
    names = ["key figures" if t.name == "div" else t.get_text(" ", strip=True).rstrip("#").strip() for t in blocks]
    assert names.index("key figures") < names.index("Mission, as the sources state it"), names
    data = book()
    own = {s.short_name for s in data.sources.values() if s.self_reported}
    items = article.select(".key-figures li")
    assert items
    for item in items:  # each figure traced, and each says which report gives it
        assert item.select("a.fact") and any(f"({name}, " in item.get_text(" ") for name in own), item.get_text()


def test_the_key_figures_keep_the_source_s_qualifier_and_period():
    # dhs2018: "During fiscal year FY 2017, ERO administratively arrested more than 127,000 aliens with criminal
    # convictions or pending criminal charges."
    box = _page("ERO").select_one(".key-figures")
    link = box.select_one('a.fact[href$="#dhs2018-ero-admin-arrests-criminal"]')
    assert link.get_text() == "more than 127,000"
    assert "(DHS page, FY 2017)" in link.parent.get_text(" ")
    # ar2020, HSI "FY 2020 at a Glance", first item: "Arrested 31,915 criminal violators." (a compared figure)
    first = _page("HSI").select_one(".key-figures li a.fact")
    assert first["href"].endswith("#ar2020-hsi-criminal-arrests")


def test_a_series_the_book_never_compares_is_not_put_forward_as_a_key_figure():
    # dhs2018: "809 MS-13 arrests, 567 of which were criminal and 242 administrative": the 809 counts both kinds,
    # a series the book compares with nothing (metrics.yaml, comparable: "no"); the 567 criminal ones are compared
    # with the annual report's 337 and lead instead
    box = _page("HSI").select_one(".key-figures")
    linked = [a["href"].split("#")[1] for a in box.select("a.fact")]
    assert "dhs2018-hsi-ms13-arrests" not in linked
    assert {"dhs2018-hsi-ms13-criminal-arrests", "ar2020-hsi-ms13-arrests"} <= set(linked)
    never = {s.metric for m in book().measures for s in m.series if s.comparable == "no"}
    shown = {book().fact(i)["metric"] for i in linked}
    assert not shown & never
