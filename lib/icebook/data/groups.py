"""The data groups: the files under data/ each group is made of, the groups whose records are tracked one by
one, and the selections a page may make of a group's records. The one definition: the build hashes these
files, each field of ``Book`` names its groups, and read-tracking logs selections in this form."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is read: a build with nothing to do never needs it
    import pandas as pd

# The data groups a chapter may read (its `reads` in params.yml), each with the files under data/ it is
# made of. The one definition: the build hashes these files, and each field of data.Book names its groups.
DATA_GROUPS = {
    "sources": ["sources.yaml", "sources/*"],
    "vocabulary": ["vocabulary.yaml"],
    "facts": ["facts/*.csv"],
    "derived": ["derived.yaml"],
    "measures": ["metrics.yaml"],
    "claims": ["claims.yaml"],
    "findings": ["findings/*.yaml"],
    "structure": ["structure.yaml"],
    "register": ["register.yaml"],
    "verdicts": ["verdicts.yaml"],
    "corrections": ["corrections.yaml"],
}
RECORD_GROUPS = ("facts", "derived", "measures", "findings")
NOTES = "notes"  # a fact's notes: read only through Book.with_notes, and hashed apart from the rest of the fact


def matches(frame: pd.DataFrame, where: Mapping[str, Any]) -> pd.Index:
    """The ids of the rows a selection matches: every column's condition holds (a list of values, any of
    which it equals; ``{"prefix": text}``, which its text starts with; or ``{"overlaps": text}``, a passage its
    text, normalised as quotes are, stands within or holds: the facts that quote a passage a record quotes)."""
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for column, condition in where.items():
        values = frame[column] if column in frame else pd.Series(frame.index, index=frame.index)
        if isinstance(condition, Mapping) and "overlaps" in condition:
            passage = _normal(str(condition["overlaps"]))
            mask &= pd.Series([bool(text) and (text in passage or passage in text)
                               for text in map(_normal, values.astype(str))], index=frame.index)
        elif isinstance(condition, Mapping):
            mask &= values.astype(str).str.startswith(str(condition["prefix"]))
        else:
            mask &= values.isin(list(condition))
    return frame.index[mask]


@functools.cache
def _normal(text: str) -> str:
    """A text normalised as quotes are (core.text.normalise), once for each text."""
    from icebook.core.text import normalise

    return normalise(text)


def normal_where(where: Mapping[str, Any]) -> dict[str, Any]:
    """A selection in its logged form: each value a sorted list, a prefix, or a passage."""
    out: dict[str, Any] = {}
    for column, condition in sorted(where.items()):
        if isinstance(condition, Mapping):
            kind = "overlaps" if "overlaps" in condition else "prefix"
            out[column] = {kind: str(condition[kind])}
        elif isinstance(condition, str | int | float | bool) or condition is None:
            out[column] = [condition]
        else:
            out[column] = sorted(condition, key=str)
    return out
