"""The bibliography: references.bib written from the source registry, and the style that prints it.

The build writes ``references.bib`` into the staged book from ``data/sources.yaml``,
so a new source needs no edit outside ``data/``. Entries keep their titles' capitals
(a title is one braced group) and carry the source's short name as their label
(``[OIG-17-51]``), not a label made up from the issuer's initials.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, Any

from pybtex.database import BibliographyData, Entry, Person
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as Unsrt
from pybtex.style.labels import BaseLabelStyle

if TYPE_CHECKING:  # Sphinx loads this module as an extension; it need not import the schema (pydantic) too
    from icebook.data.schema import Source


def _entry(source: Source) -> Entry:
    fields = {
        "title": "{" + source.title + "}",
        "shorthand": source.short_name,
        "note": f"Date as printed: {source.date_printed}. The site ships its text copy: sources/{source.file}.",
    }
    if source.date is not None:  # as precise as the copy prints it: a year alone gives no month
        fields["year"] = str(source.date.year)
        if source.date.month is not None:
            fields["month"] = calendar.month_name[source.date.month]
    if source.document_number:
        fields |= {"institution": source.issuer, "type": source.kind_label, "number": source.document_number}
        kind = "techreport"
    else:
        fields["howpublished"] = f"{source.kind_label}, {source.issuer}"
        kind = "misc"
    return Entry(kind, fields=fields, persons={"author": [Person("{" + source.issuer + "}")]})


def bibliography(sources: dict[str, Source]) -> str:
    """The BibTeX text of every source, keyed by source id."""
    return BibliographyData({sid: _entry(s) for sid, s in sources.items()}).to_string("bibtex")


class ShortNameLabels(BaseLabelStyle):
    """Each entry's label is its source's short name."""

    def format_labels(self, sorted_entries: list[Any]) -> Any:
        for entry in sorted_entries:
            yield entry.fields["shorthand"]


class SourcesStyle(Unsrt):
    default_label_style = ShortNameLabels


def setup(app: Any) -> dict:
    """Sphinx extension: register the style as ``icebook`` (``bibtex_default_style: icebook``)."""
    register_plugin("pybtex.style.formatting", "icebook", SourcesStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
