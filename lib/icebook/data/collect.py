"""Gathering validation problems: each check adds what it finds to a Collector, which also looks every
queued quote up in its source text in one pass per source."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ahocorasick

from icebook.core.errors import Problem
from icebook.core.text import normalise

# Markup: a tag's start, or "javascript:" (found at its colon, so that Python's re looks only where '<' or ':' stands).
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!]|:(?<=javascript:)", re.I)


# A cell a spreadsheet would run as a formula (CSV injection) when the downloads are opened.
FORMULA_START = ("=", "+", "@", "\t")


# Characters no text field needs, which break a script's JSON or a chart's expressions (tab and newline allowed).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
QUOTE_MARKUP = re.compile(r"<\s*/?\s*(?!(?:sup|u)\s*>)[A-Za-z!]|:(?<=javascript:)", re.I)


class Collector:
    """Gathers problems, and quotes to look up in their sources in one pass per source."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        # Records already reported (a fact with a problem, a derived figure left out): what names them gets no
        # second message, and the metrics of refused facts are not reported as used by no fact.
        self.refused: set[str] = set()
        self.refused_metrics: set[str] = set()
        self.unread: list[Path] = []  # data files that could not be read: any id may have been theirs
        self.quotes: dict[str, list[tuple[str, Problem]]] = {}
        self._rel: dict[Path, str] = {}

    def rel(self, path: Path) -> str:
        if path not in self._rel:
            try:
                self._rel[path] = str(path.relative_to(self.data_dir.parent))
            except ValueError:
                self._rel[path] = str(path)
        return self._rel[path]

    def accounted_for(self, ref: str) -> bool:
        """Whether a record an id names is missing for a reason already reported: the record was refused, or a
        data file could not be read (its records are unknown). A reference to it then gets no second message."""
        return ref in self.refused or bool(self.unread)

    def add(self, path: Path, message: str, **where: Any) -> None:
        self.problems.append(Problem(self.rel(path), message, **where))

    def quote(self, source_id: str, quote: str, path: Path, **where: Any) -> None:
        """Queue a quote to be found in a source; a miss becomes a problem naming ``where``."""
        text = normalise(quote)
        if QUOTE_MARKUP.search(quote):
            self.add(path, "the quote carries HTML or script markup; copy the plain text", **where)
            return
        if not text:
            self.add(path, "the quote is empty", **where)
            return
        self.quotes.setdefault(source_id, []).append((text, path, where))

    def check_quotes(self, texts: dict[str, str]) -> None:
        """Look up every queued quote: one automaton per source, one pass over its text."""
        for source_id, items in self.quotes.items():
            if source_id not in texts:
                continue  # the unknown source is reported where it is named
            automaton = ahocorasick.Automaton()
            for text, _, _ in items:
                automaton.add_word(text, text)
            automaton.make_automaton()
            found = {match for _, match in automaton.iter(texts[source_id])}
            for text, path, where in items:
                if text not in found:
                    self.add(path, f"quote not found in source {source_id!r}: "
                             f"{where_quote_stops(text, texts[source_id])}", **where)


def where_quote_stops(quote: str, text: str) -> str:
    """Where a quote stops matching its source: the longest start of it found, and what follows in each."""
    low, high = 0, len(quote)  # the longest prefix found has a length in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f"not even its first character is in the text: {quote[:120]!r}"
    at = text.find(quote[:low]) + low
    return (f"it matches the source up to {quote[max(0, low - 60):low]!r}, then the quote has "
            f"{quote[low:low + 30]!r} where the source has {text[at:at + 30]!r}")


def text_problem(text: str) -> str | None:
    """What is wrong with a reader-facing text value (markup, or a spreadsheet formula), if anything."""
    if MARKUP.search(text):
        return "carries HTML or script markup; write plain text"
    if control := CONTROL.search(text):
        return f"carries the control character U+{ord(control[0]):04X}; write plain text"
    if text.startswith(FORMULA_START):
        return (f"begins with {text[0]!r}, which a spreadsheet would run as a formula from the downloads; "
                "reword it")
    return None
