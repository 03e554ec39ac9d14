"""The source texts read as the detectors read them (detect.py): each sentence, list item and heading as
printed, with its line and section (``Sentence``), and what a detector finds in two of them (``Candidate``).
Also the words and figures the detectors share."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from icebook.core.text import normalise

STOP = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
        "its", "their", "that", "which", "those", "these", "this", "is", "are", "was", "were", "be", "has", "had",
        "have", "it", "them", "they", "his", "her", "more", "than", "about", "approximately", "nearly", "over",
        "almost", "including", "total"}


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading, or list item) as printed, where it stands in its source."""

    source: str
    line: int
    section: str
    text: str

    @property
    def locator(self) -> str:
        return f"{self.section}, line {self.line}" if self.section else f"line {self.line}"


@dataclass(frozen=True)
class Candidate:
    """Two passages a detector found that may disagree, and what it saw in them."""

    kind: str
    subject: str
    first: Sentence
    second: Sentence
    detail: str

    @property
    def id(self) -> str:
        """Stable: the kind, the subject and a hash of the two passages' texts, in sorted order."""
        texts = sorted(f"{p.source}:{p.text}" for p in (self.first, self.second))
        digest = hashlib.sha256("\n".join([self.kind, self.subject, *texts]).encode()).hexdigest()[:8]
        slug = re.sub(r"[^a-z0-9]+", "-", self.subject.lower()).strip("-")[:40].strip("-")
        return f"{self.kind}-{slug}-{digest}"



# --- reading a source into passages -----------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*▪•]|o\s|\d+\.\s|\(\d+\)\s)")
_SPLIT = re.compile(r"(?<=[a-z0-9)”\"%*][.!?])(?<!\bSt\.)(?<!\bNo\.)(?<!\blbs\.)(?<!\bvs\.)(?<!\be\.g\.)"
                    r"\s+(?=[A-Z“\"])")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


def _heading(line: str, counts: dict[str, int]) -> str | None:
    """A line that reads as a heading: Markdown, or short Title Case standing alone (not a page header)."""
    match = _MD_HEADING.match(line)
    if match:
        return normalise(match[1]).strip("▪ :")
    text = normalise(line)
    words = text.split()
    if not 1 <= len(words) <= 18 or counts[text] > 2 or "\t" in line or re.search(r"[.;:\"“]|,$|www", text):
        return None
    if not text[0].isupper() or re.search(r"\d", text) and not text.startswith("Appendix"):
        return None
    content = [w for w in words if w.lower() not in STOP]
    capitals = sum(1 for w in content if w[0].isupper())
    return text if content and capitals / len(content) >= 0.75 else None


def sentences(source: str, raw: str) -> list[Sentence]:
    """The source's sentences, list items and headings, each with its first line and its section."""
    lines = raw.split("\n")
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        counts[normalise(line)] += 1
    out: list[Sentence] = []
    section = ""
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            out.extend(_split_sentences(source, section, block))
            block.clear()

    for number, line in enumerate(lines, start=1):
        previous = lines[number - 2].strip() if number > 1 else ""
        starts = not previous or previous[-1:] in ".:;?!\"”" or previous == section
        heading = _heading(line, counts) if line.strip() and starts else None
        if heading and not _MD_HEADING.match(line) and out and out[-1].line == number - 1 \
                and out[-1].text == section and not _MD_HEADING.match(lines[number - 2]):
            section = f"{section} {heading}"
            out[-1] = Sentence(source, out[-1].line, section, section)
        elif heading:
            flush()
            section = heading
            out.append(Sentence(source, number, section, heading))
        elif not line.strip():
            flush()
        else:
            if _BULLET.match(line):
                flush()
            block.append((number, line))
    flush()
    return _names_are_not_headings(out)


def _names_are_not_headings(items: list[Sentence]) -> list[Sentence]:
    """A short line standing alone that the text also uses mid-sentence is a name (a chart's label, a
    signature's title: "Law Enforcement Support Center", "Inspector General"), not a heading: it goes back
    to being a passage of the section before it."""
    body = " ".join(p.text for p in items if p.text != p.section and p.section != "Table of Contents")
    names = {p.text for p in items if p.text == p.section and len(p.text.split()) > 1
             and (f" {p.text}" in body or f"({p.text}" in body)}
    out, section = [], ""
    for passage in items:
        if passage.text == passage.section and passage.text not in names:
            section = passage.section
        out.append(Sentence(passage.source, passage.line, section, passage.text))
    return out


def _split_sentences(source: str, section: str, block: list[tuple[int, str]]) -> Iterator[Sentence]:
    """Split a block of lines into sentences, each keeping the line it starts on."""
    text, starts = "", []
    for number, line in block:
        starts.append((len(text), number))
        text += line.strip() + "\n"
    position = 0
    for piece in _SPLIT.split(text):
        at = text.find(piece, position)
        position = at + len(piece)
        line = max(number for offset, number in starts if offset <= max(at, 0))
        sentence = normalise(_BULLET.sub("", piece, count=1))
        if sentence:
            yield Sentence(source, line, section, sentence)
