"""How to cite the book: the "Cite this book" block of the home and Sources pages, from the book's own
configuration (its title and author, as in CITATION.cff, which a test keeps equal to _config.yml).

The block names the edition the reader is looking at: the day the site was built, its data version and its source
commit. Those are known only when the site is published, so the block carries a placeholder (``EDITION``) that the
publish step fills in, as it fills in every page's footer (build/command.py); a reader's browser adds the book's
address (icebook.js).
"""

from __future__ import annotations

from markupsafe import Markup

from icebook.core import yamlio
from icebook.core.paths import ROOT

EDITION = "<!--icebook:edition-->"  # filled in at publication: "edition of 2026-12-06 (data version …, …)"


def book_config() -> dict:
    """The book's title and author, as _config.yml gives them."""
    config = yamlio.load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return {"title": config["title"], "author": config["author"]}


def cite_book() -> Markup:
    """The "Cite this book" block: author, title, edition and address, a button that copies them, and how to cite
    one figure instead."""
    book = book_config()
    return Markup(
        '<div class="cite-book"><p class="book-citation">{author}. <em>{title}</em>. {edition}. '
        '<span class="book-address"></span></p>'
        '<p><button type="button" class="cite-book-copy">Copy this citation</button></p>'
        "<p>The edition is that of the pages you are reading: every page's footer names it (the day the site was "
        "built, the version of its data and the commit of its sources), and the "
        '<a href="changes.html">Changes page</a> says what changed since the edition before. To cite one figure, '
        'use its "Cite this figure" button in the <a href="fact-index.html">fact index</a>: the citation names the '
        "figure's source, quote and permanent link, and this edition. The book's repository holds the same "
        "citation as <code>CITATION.cff</code>.</p></div>"
    ).format(author=book["author"], title=book["title"], edition=Markup(EDITION))
