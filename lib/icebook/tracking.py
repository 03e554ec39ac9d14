"""Read-tracking: which data groups a chapter reads, for the build's dependency check."""

from __future__ import annotations

import os
from dataclasses import fields
from typing import Any


class Tracked:
    """A Book that notes which data groups are read, for the build's dependency check.

    When the build runs a chapter it sets ICEBOOK_READS_LOG; each group read is
    appended to that file, and the build fails a chapter that read a group its
    entry in chapters/params.yml does not list (its output could go stale). The
    groups of each field come from the wrapped dataclass's own declaration (``reads(...)``
    in its field metadata); a method of it runs against this wrapper, so the fields it
    reads are noted too.
    """

    def __init__(self, data: Any):
        self._data = data
        self._groups: dict[str, tuple[str, ...]] = {f.name: f.metadata["reads"] for f in fields(data)}
        self._logged: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        method = getattr(type(self._data), name, None)
        if callable(method):
            return method.__get__(self)
        for group in self._groups[name]:
            if group not in self._logged:
                self._logged.add(group)
                log = os.environ.get("ICEBOOK_READS_LOG")
                if log:
                    with open(log, "a", encoding="utf-8") as handle:
                        handle.write(group + "\n")
        return getattr(self._data, name)
