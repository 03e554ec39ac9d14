from icebook.pages.chart import title_over_panels


def test_a_title_over_panels_uses_each_panel_s_own_word():
    # metrics.yaml ero_detainers: OIG counts detainers "issued", the annual report detainers "placed"
    panels = ["Detainers issued (OIG's count from ICE data)", "Detainers placed (ICE's own count)"]
    assert title_over_panels("Immigration detainers issued", panels) == "Immigration detainers issued or placed"
    assert title_over_panels("ERO removals", ["Removals"]) == "ERO removals"
