"""The component profiles lead with the answer: the key figures each component's own reports give, worded as
their sources word them, with source and period, before the mission text (checked on the built pages)."""

import pytest
from bs4 import BeautifulSoup

from conftest import built_page
from icebook import book
from icebook.build.params import chapter_spec
from icebook.data.comparability import compared_metrics

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
    # ar2020, the Director's message: "103,603 administrative arrests, approximately 90% involving aliens with
    # criminal convictions or pending criminal charges" (FY 2020)
    box = _page("ERO").select_one(".key-figures")
    link = box.select_one('a.fact[href$="#ar2020-message-ero-admin-arrests-criminal-share"]')
    assert link.get_text() == "approximately 90%"
    assert "(ICE annual report, FY 2020)" in link.parent.get_text(" ")
    # The HSI box leads with figures the comparability rule compares: ar2020 "more than 1.4 million pounds of
    # narcotics" against dhs2018 "almost a million pounds of narcotics", a bound.
    first = _page("HSI").select_one(".key-figures li a.fact")
    assert first["href"].endswith("#ar2020-hsi-narcotics-seized")


def test_a_figure_the_book_compares_with_nothing_is_not_put_forward_as_a_key_figure():
    # dhs2018: "809 MS-13 arrests, 567 of which were criminal and 242 administrative": the 809 counts both kinds,
    # worded "MS-13 arrests", and ar2020's "337 MS-13 CRIMINAL ARRESTS" is not worded so: the rule compares it with
    # nothing; the 567 criminal ones are compared with the 337 and lead instead
    box = _page("HSI").select_one(".key-figures")
    linked = [a["href"].split("#")[1] for a in box.select("a.fact")]
    assert "dhs2018-hsi-ms13-arrests" not in linked
    assert {"dhs2018-hsi-ms13-criminal-arrests", "ar2020-hsi-ms13-arrests"} <= set(linked)
    compared = compared_metrics(book())
    assert {book().fact(i)["metric"] for i in linked} <= compared
    assert "hsi_ms13_arrests" not in compared
