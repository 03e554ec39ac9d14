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

And it keeps a document number or a name with digits on one line (``core.text.KEPT_WHOLE``): a browser breaks a
line after a hyphen, so a phone showed a heading's "OIG-" on one line and "20-13" on the next.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from icebook.core.text import KEPT_WHOLE

FIXES = [  # (generated HTML, mended HTML)
    ('<summary><span class="toctree-toggle" role="presentation">',
     '<summary aria-label="Show or hide this part\'s pages"><span class="toctree-toggle" role="presentation">'),
    ('<div role="list" class="citation-list">', '<div class="citation-list">'),
    ('<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">',
     '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox"'
     ' aria-label="To check before publishing">'),
]


# what is not a page's text: a tag (with its attributes), or an element whose content is not markup
NOT_TEXT = re.compile(r"(<(script|style|title|textarea)\b.*?</\2\s*>|<!--.*?-->|<[^>]*>)", re.S | re.I)
KEPT = r'<span class="kept-whole">\g<0></span>'


def kept_whole(html: str) -> str:
    """The page with each document number and name with digits in its text held on one line (a span that CSS
    keeps from wrapping); tags, attributes, scripts, styles and the title are left as they are."""
    parts = NOT_TEXT.split(html)
    # split gives text, then each match's two groups (the whole, and the element's name), then text again
    return "".join(KEPT_WHOLE.sub(KEPT, part) if i % 3 == 0 else (part or "") for i, part in enumerate(parts)
                   if i % 3 != 2)


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
        text = kept_whole(text)
        if text != original:
            page.write_text(text, encoding="utf-8")


def _code_version() -> int:
    """A number that changes with this module's code and the names it keeps whole: Sphinx starts a fresh
    environment when an extension's ``env_version`` changes, so a change here rewrites (and mends) every page."""
    code = Path(__file__).read_bytes() + KEPT_WHOLE.pattern.encode()
    return int(hashlib.sha256(code).hexdigest()[:8], 16) or 1


def setup(app) -> dict:
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.icebook_written = set()
    app.connect("html-page-context", _note_written)
    app.connect("build-finished", _mend_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": _code_version()}
