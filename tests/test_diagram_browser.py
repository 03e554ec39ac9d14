"""Diagrams a reader can read, measured in Chromium on the built site: at a phone's and a desktop's width, every
text a diagram shows is drawn at least 11 px (390 px) or 12 px (1280 px) high, whatever the diagram is made of (an
SVG's text at its scale on the screen), and each diagram's text version is one click away. A diagram drawn as one
wide picture, scaled to the column, is the planted fault (tests/fixtures/diagrams/too-wide.html)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_site_browser import SITE, Visit, shown_at

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures" / "diagrams"
SMALLEST = {390: 11, 1280: 12}  # px, the floor at each width

# Every piece of text shown in a diagram (a folded text version is not shown until opened), with the size it is
# drawn at on the screen: its font size, times the scale an SVG is drawn at.
TEXT_SIZES = """() => {
  const found = [];
  document.querySelectorAll("article figure.diagram").forEach((figure, n) => {
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, element = node.parentElement;
      if (!node.textContent.trim() || !element.getClientRects().length) continue;
      const folded = element.closest("details:not([open])");
      if (folded && !element.closest("summary")) continue;
      let size = parseFloat(getComputedStyle(element).fontSize);
      if (element instanceof SVGElement) { const m = element.getScreenCTM(); size *= Math.hypot(m.b, m.d); }
      found.push({diagram: figure.id || `diagram ${n + 1}`, text: node.textContent.trim().slice(0, 40), size});
    }
  });
  return found;
}"""


def too_small(sizes: list[dict], width: int) -> list[str]:
    return [f"{s['diagram']}: '{s['text']}' at {s['size']:.1f} px" for s in sizes if s["size"] < SMALLEST[width]]


def diagram_pages() -> list[str]:
    pages = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if "_static" not in p.parts
                   and 'class="diagram' in p.read_text()) if SITE.exists() else []
    return pages or ["chapters/pages/organisation.html"]


@pytest.mark.parametrize("shown", shown_at(diagram_pages(), [390, 1280]), indirect=True)
def test_every_diagram_s_text_is_readable_at_a_phone_s_and_a_desktop_s_width(shown):
    path, width = shown.path, shown.width
    sizes = shown.page.evaluate(TEXT_SIZES)
    assert {s["diagram"] for s in sizes}, f"{path}: no diagram text found"
    assert too_small(sizes, width) == [], f"{path} at {width} px"
    # nothing sideways: a diagram fits the screen
    wide = shown.page.evaluate("""() => [...document.querySelectorAll("article figure.diagram")]
        .filter(f => f.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length""")
    assert wide == 0, f"{path} at {width} px: a diagram wider than the screen"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_diagram_drawn_as_one_wide_picture_is_caught(server, browser, width):
    url = f"{server}/chapters/pages/planted.html"
    with Visit(browser, url, width=width, route=(url, (FIXTURES / "too-wide.html").read_text())) as visit:
        small = too_small(visit.page.evaluate(TEXT_SIZES), width)
        assert len(small) == 6 and all(s.startswith("diagram-too-wide: ") for s in small), small


@pytest.mark.parametrize("path", diagram_pages())
def test_each_diagram_s_text_version_is_one_click_away(server, browser, path):
    with Visit(browser, f"{server}/{path}", width=390) as visit:
        figures = visit.page.locator("article figure.diagram")
        assert figures.count() >= 1
        for i in range(figures.count()):
            words = figures.nth(i).locator("details.diagram-text")
            assert words.count() == 1, f"{path}: diagram {i + 1} has no text version"
            items = words.locator("li")
            assert not items.first.is_visible()
            words.locator("summary").click()
            assert items.first.is_visible() and items.count() >= figures.nth(i).locator(".diagram-box").count() - 1
