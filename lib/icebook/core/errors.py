"""Problems found in the data, reported with where they are and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BRIEF = 80  # characters of a value a message shows


def brief(value: Any, limit: int = BRIEF, quote: bool = True) -> str:
    """A value as a message shows it: its repr (or its text, with ``quote=False``), cut to ``limit`` characters
    with how long it was, so that no message formats an unbounded value."""
    text = repr(value) if quote else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: the file, the row or record, the field, and what."""

    file: str
    message: str
    row: int | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.record:
            where += f" ({self.record})"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The data did not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:200])
        more = f"\n  ... and {len(problems) - 200} more" if len(problems) > 200 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}{more}")


class ParameterError(ValueError):
    """A chapter parameter that is unknown, of the wrong type or out of range."""


class BuildError(Exception):
    """A build step failed; the message says which and why. The published site is untouched."""


class BuildBusy(Exception):
    """Another build holds the project's build lock."""


class ConfigError(Exception):
    """The project, or one of its configuration files, cannot be used as it is: the message names it and why."""


# The exit code of each error a command reports as a message rather than a traceback.
EXIT_CODES: dict[type[Exception], int] = {DataError: 1, ConfigError: 1, ParameterError: 2, BuildBusy: 3}


def exit_code(error: BaseException) -> int | None:
    """The exit code a command gives for this error, or None if it is not one reported as a message."""
    return next((code for kind, code in EXIT_CODES.items() if isinstance(error, kind)), None)
