"""The shared data module of the ICE FY2017–FY2020 book: load, validate, derive, format, chart, build.

``book``, ``load`` and ``Book`` are imported on first use (PEP 562), so a process that needs only
part of the package (Sphinx loading the book's extensions, the build command) does not pay for
pandas and the validators.
"""

from typing import Any

from .errors import DataError, ParameterError, Problem

__all__ = ["Book", "DataError", "ParameterError", "Problem", "book", "load"]
_FROM_DATA = {"Book", "book", "load"}


def __getattr__(name: str) -> Any:
    if name in _FROM_DATA:
        from . import data

        return getattr(data, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
