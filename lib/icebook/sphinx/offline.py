"""A Sphinx extension that keeps pages offline and free of the theme's console errors.

Jupyter Book always loads sphinx-thebe, which adds an inline script naming a
CDN URL (unpkg) and, through a second `env-before-read-docs` call, declares
`THEBE_JS_URL` twice on every page ("Identifier 'THEBE_JS_URL' has already been
declared"). The book has no live code cells, so this removes sphinx-thebe's
scripts and stylesheet from every page.

It also mends two things in the generated HTML that axe-core reports as
serious or critical: the theme's navigation toggles (a ``<summary>`` holding only
an icon: summary-name), and docutils' citation list (``role="list"`` whose
children are not list items: aria-required-children), and the unlabelled
check boxes of a MyST task list (label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXES = [  # (generated HTML, mended HTML)
    ('<summary><span class="toctree-toggle" role="presentation">',
     '<summary aria-label="Show or hide this part\'s pages"><span class="toctree-toggle" role="presentation">'),
    ('<div role="list" class="citation-list">', '<div class="citation-list">'),
    ('<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">',
     '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox"'
     ' aria-label="To check before publishing">'),
]


def _is_thebe(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", "")) if hasattr(asset, "attributes") else ""
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def _note_written(app, pagename, templatename, context, doctree) -> None:
    app.icebook_written.add(Path(app.builder.get_outfilename(pagename)))


def _mend_html(app, exception) -> None:
    """Mend the pages this build wrote (a rebuild leaves the others, mended before, as they are)."""
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(app.icebook_written):
        text = original = page.read_text(encoding="utf-8")
        for old, new in FIXES:
            text = text.replace(old, new)
        if text != original:
            page.write_text(text, encoding="utf-8")


def setup(app) -> dict:
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.icebook_written = set()
    app.connect("html-page-context", _note_written)
    app.connect("build-finished", _mend_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
