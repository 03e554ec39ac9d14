"""The Sources chapter's HTML, from the source registry and nothing else: the opening note on how the copies are
kept, and one entry per document: who issued it and when, its number, what kind of evidence it is (the book's
judgement marked as its reading), what the copy lacks, what its copy prints about its original (an address, a
site's name, a third party's archive line or framing, each quoted), the copy shipped with the site and its hash,
and its facts in the fact index. The home page's table of the documents comes from here too."""

from __future__ import annotations

from markupsafe import Markup

from icebook.data.loader import Book
from icebook.data.schema import Source
from icebook.pages.fmt import book_count, reading_note, source_count, source_page, table

COPIES = "../../_static/downloads/sources"  # the text copies the site ships (the downloads)
MARK_KIND = {"address": "An address printed in the copy", "site": "The site's own name",
             "archive": "A third party's archive line", "framing": "A third party's framing"}


def copies_note() -> Markup:
    """How the book keeps its source texts, with the count of documents it cites."""
    return Markup("The book cites {} documents and nothing else. Each is kept as a text copy, byte for byte as "
                  "received, with its SHA-256 hash recorded in <code>data/sources.yaml</code>; the build refuses a "
                  "copy whose bytes have changed. OCR and conversion errors are never corrected in the copies: they "
                  "are recorded as notes on the facts that quote them. The site ships every copy, so a reader can "
                  "check each quote against the whole text.").format(source_count())


def document_number(source: Source) -> str:
    """The document's own number, or that it prints none (and that a number a third party added is not its own)."""
    if source.document_number:
        return source.document_number
    archived = any(mark.kind == "archive" for mark in source.original)
    return "none of its own (a third party's archive line adds one: see below)" if archived else "none printed"


def kind_of_evidence(source: Source) -> Markup:
    """What kind of evidence a source is, in the book's words, its judgement marked as its reading."""
    return Markup("{}: {}").format(source.kind_label, reading_note(source.trust))


def original_marks(source: Source) -> Markup:
    """What the copy prints about its original, each mark quoted as text (never a link the book fetched) and
    said for what it is; or that it prints none."""
    if not source.original:
        return Markup("The copy prints no web address and no mark of where it was taken from.")
    return Markup('<ul class="original-marks">{}</ul>').format(Markup("").join(
        Markup('<li>{}: <q class="source-quote">{}</q>, {}</li>').format(MARK_KIND[mark.kind], mark.quote,
                                                                         reading_note(mark.says))
        for mark in source.original))


def page_numbers(data: Book, source_id: str) -> Markup:
    """Whether the copy prints page numbers, and how many of the source's facts give one."""
    source = data.sources[source_id]
    if source.pages_printed:
        ids = data.fact_ids_where(source=source_id)
        paged = [i for i in ids if str(data.fact(i)["page"]).strip()]
        said = [Markup("The copy prints page numbers; {} of its {} facts give the page.").format(
            book_count(len(paged), source_page(source_id)), book_count(len(ids), source_page(source_id)))]
        if source.contents:
            said.append(Markup("Where the copy prints none beside a quote, its own contents give the page the "
                               "quote's section starts on, and the fact gives that, marked as such."))
        if source.front_matter:
            said.append(Markup("The pages before “{}” ({}) are not numbered; a fact there says so.").format(
                source.front_matter.numbered_from, ", ".join(source.front_matter.sections)))
        return Markup(" ").join(said)
    if source.contents:
        return Markup("The copy prints none but in its own contents, which give the page each section starts on: "
                      "a fact gives that page, marked as the page its section starts on.")
    return Markup("The copy prints none: a fact is located by the section headings above its quote.")


def source_entry(data: Book, source_id: str, source: Source) -> Markup:
    """One document's entry: what it is, how far to trust it, its copy, the original and its facts."""
    n_facts = len(data.fact_ids_where(source=source_id))
    items = [
        ("Issued by", source.issuer),
        ("Date", source.date_printed),
        ("Document number", document_number(source)),
        ("Kind of evidence", kind_of_evidence(source)),
        ("What the copy lacks", reading_note(source.missing) if source.missing else "Nothing known."),
        ("Page numbers", page_numbers(data, source_id)),
        ("Copy shipped with this site", Markup('<a href="{}/{}">{}</a> (SHA-256 <code>{}</code>)').format(
            COPIES, source.file, source.file, source.sha256)),
        ("What the copy prints about its original", original_marks(source)),
        ("Facts", Markup('{} facts, listed on <a href="{}">its page of the fact index</a>').format(
            book_count(n_facts, source_page(source_id)), source_page(source_id))),
    ]
    body = Markup("").join(Markup("<dt>{}</dt><dd>{}</dd>").format(k, v) for k, v in items)
    return Markup('<section class="source-entry" id="source-{}"><h3>{} <small>({})</small></h3>'
                  '<dl>{}</dl></section>').format(source_id, source.title, source.short_name, body)


def source_entries(data: Book) -> Markup:
    """Every document's entry, in the registry's order."""
    return Markup("").join(source_entry(data, source_id, source) for source_id, source in data.sources.items())


def sources_table(data: Book) -> Markup:
    """The documents in one table, for the home page."""
    rows = [{"title": s.title, "issuer": s.issuer, "date": s.date_printed, "number": document_number(s),
             "kind": kind_of_evidence(s)} for s in data.sources.values()]
    return table(rows, [("title", "Document"), ("issuer", "Issued by"), ("date", "Date as printed"),
                        ("number", "Document number"), ("kind", "What kind of evidence")])


def what_the_book_is_not() -> Markup:
    """What the book is not, for the home page."""
    return Markup("<p><strong>What it is not.</strong> It is not a new count, an estimate, or an evaluation of ICE's "
                  "policies. It reports what {} documents say, checks them against each other, and says plainly "
                  "where their figures may not be set against each other.</p>").format(source_count())
