"""Consistency detectors: sweep the source texts for what a careful reader would catch.

Each detector reads the texts as printed (line by line, so every passage keeps its line
and section) and yields :class:`Candidate` records: two passages that may disagree, with
a stable id derived from their content, never from their order. Every candidate needs a
verdict in ``data/verdicts.yaml``; :func:`review` pairs candidates with their verdicts and
says which candidates have none, and which verdicts name a candidate no longer found.

The detectors, by kind:

* ``same-number``: one figure printed in two places, described as different things or
  set in different fiscal years;
* ``names``: an acronym written out two ways, or its defined words reworded;
* ``durations``: a stated span ("a five-year period", "the next four years") against the
  dates or fiscal years named beside it, two ranges for one count, and the dates a report
  says its work was done against the data it says it analysed;
* ``terms``: a table-of-contents entry worded otherwise in its heading, and a heading's
  phrase with one word swapped in a recommendation;
* ``parts-totals``: a stated count of listed items, share or increase recomputed from the
  figures printed beside it;
* ``places``: one office or centre placed in two towns.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable

import pandas as pd

from icebook.core.files import digest_files
from icebook.core.modules import LIB, closure, files_of
from icebook.data.detectors import durations, names, parts_totals, places, same_number, terms
from icebook.data.sentences import Candidate, sentences

KINDS = {
    "same-number": "Same number, different things",
    "names": "Names expanded two ways",
    "durations": "Durations against dates",
    "terms": "Terms that drift",
    "parts-totals": "Parts against totals, shares against counts",
    "places": "Places and offices",
}

# --- the sweep ---------------------------------------------------------------------------------------

DETECTORS: dict[str, Callable[..., Iterable[Candidate]]] = {
    "same-number": same_number, "names": names, "durations": durations, "parts-totals": parts_totals,
    "places": places,
}


def sweep(raw: dict[str, str]) -> list[Candidate]:
    """Every candidate every detector finds in the source texts (source id -> text as printed), once each."""
    return list(_sweep(tuple(sorted(raw.items()))))


@functools.lru_cache(maxsize=2)
def _sweep(raw: tuple[tuple[str, str], ...]) -> tuple[Candidate, ...]:
    """The sweep of these texts, kept while they and the detectors stay the same (for the process, and in the
    build's cache): the sources hardly ever change, and a sweep is a large part of each validation."""
    from icebook.core.cache import cached_object

    inputs = digest_files(files_of(closure([__name__])), LIB) + json.dumps(raw).encode()  # the detectors' code too
    return cached_object("sweeps", inputs, lambda: _sweep_now(raw))


def _sweep_now(raw: tuple[tuple[str, str], ...]) -> tuple[Candidate, ...]:
    texts = {source: sentences(source, text) for source, text in raw}
    found: dict[str, Candidate] = {}
    for detector in DETECTORS.values():
        for candidate in detector(texts):
            found.setdefault(candidate.id, candidate)
    for candidate in terms(texts, dict(raw)):
        found.setdefault(candidate.id, candidate)
    return tuple(sorted(found.values(), key=lambda c: (list(KINDS).index(c.kind), c.id)))


COLUMNS = ["id", "kind", "subject", "detail", "verdict", "reason", "register",
           *(f"{side}_{name}" for side in ("first", "second") for name in ("source", "line", "section", "text"))]


def review(raw: dict[str, str], verdicts: list) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Every candidate with its verdict, and the problems: (candidate or verdict id, what is wrong).

    A candidate with no verdict is a problem naming it, and so is a verdict whose candidate no
    detector finds any more (the sources or the detectors changed)."""
    given = {v.id: v for v in verdicts}
    candidates = sweep(raw)
    problems = []
    rows = []
    for candidate in candidates:
        verdict = given.get(candidate.id)
        if verdict is None:
            problems.append((candidate.id, f"candidate with no verdict ({KINDS[candidate.kind]}: {candidate.detail}; "
                             f"{candidate.first.source} line {candidate.first.line}, {candidate.second.source} line "
                             f"{candidate.second.line}): read both passages and add its verdict"))
            continue
        rows.append({"id": candidate.id, "kind": candidate.kind, "subject": candidate.subject,
                     "detail": candidate.detail, "verdict": verdict.verdict, "reason": verdict.reason,
                     "register": verdict.in_register,
                     **{f"{side}_{name}": getattr(passage, name)
                        for side, passage in (("first", candidate.first), ("second", candidate.second))
                        for name in ("source", "line", "section", "text")}})
    found = {c.id for c in candidates}
    problems += [(vid, "verdict for a candidate no detector finds any more: remove it, or see what changed in the "
                  "sources or the detectors") for vid in given if vid not in found]
    return pd.DataFrame(rows, columns=COLUMNS).set_index("id", drop=False), problems
