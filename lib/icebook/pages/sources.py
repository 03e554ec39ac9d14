"""The Sources chapter's HTML: the opening note on how the copies are kept, and one entry per document (who
issued it and when, its number, how far to trust it, what the copy lacks, the copy shipped with the site and
its hash, the original, and its facts in the fact index)."""

from __future__ import annotations

from markupsafe import Markup

from icebook.data.loader import Book
from icebook.data.schema import Source
from icebook.pages.fmt import book_count, source_count, source_page

COPIES = "../../_static/downloads/sources"  # the text copies the site ships (the downloads)


def copies_note() -> Markup:
    """How the book keeps its source texts, with the count of documents it cites."""
    return Markup("The book cites {} documents and nothing else. Each is kept as a text copy, byte for byte as "
                  "received, with its SHA-256 hash recorded in <code>data/sources.yaml</code>; the build refuses a "
                  "copy whose bytes have changed. OCR and conversion errors are never corrected in the copies: they "
                  "are recorded as notes on the facts that quote them. The site ships every copy, so a reader can "
                  "check each quote against the whole text.").format(source_count())


def _pages(source: Source) -> str:
    if source.pages_printed:
        said = ["The copy prints page numbers; a fact gives the page where its quote stands."]
        if source.contents:
            said.append("Where the copy prints none beside a quote, its own contents give the page the quote's "
                        "section starts on, and the fact gives that, marked as such.")
        if source.front_matter:
            said.append(f"The pages before “{source.front_matter.numbered_from}” "
                        f"({', '.join(source.front_matter.sections)}) are not numbered; a fact there says so.")
        return " ".join(said)
    if source.contents:
        return ("The copy prints none but in its own contents, which give the page each section starts on: a fact "
                "gives that page, marked as the page its section starts on.")
    return "The copy prints none: a fact is located by the section headings above its quote."


def source_entry(data: Book, source_id: str, source: Source) -> Markup:
    """One document's entry: what it is, how far to trust it, its copy, the original and its facts."""
    n_facts = len(data.fact_ids_where(source=source_id))
    original = (Markup('<a href="{0}">{0}</a>').format(source.original_address) if source.original_address
                else "The copy prints no address for the original.")
    items = [
        ("Issued by", source.issuer),
        ("Date", source.date_printed),
        ("Document number", source.document_number or "none printed"),
        ("Kind of evidence", f"{source.kind_label}: {source.trust}"),
        ("What the copy lacks", source.missing or "Nothing known."),
        ("Page numbers", _pages(source)),
        ("Copy shipped with this site", Markup('<a href="{}/{}">{}</a> (SHA-256 <code>{}</code>)').format(
            COPIES, source.file, source.file, source.sha256)),
        ("Original", original),
        ("Facts", Markup('{} facts, listed on <a href="{}">its page of the fact index</a>').format(
            book_count(n_facts, source_page(source_id)), source_page(source_id))),
    ]
    body = Markup("").join(Markup("<dt>{}</dt><dd>{}</dd>").format(k, v) for k, v in items)
    return Markup('<section class="source-entry" id="source-{}"><h3>{} <small>({})</small></h3>'
                  '<dl>{}</dl></section>').format(source_id, source.title, source.short_name, body)


def source_entries(data: Book) -> Markup:
    """Every document's entry, in the registry's order."""
    return Markup("").join(source_entry(data, source_id, source) for source_id, source in data.sources.items())
