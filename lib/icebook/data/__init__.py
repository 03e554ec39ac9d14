"""The data: read, check and derive everything in data/ (validation, derivation, audit, coverage, detectors,
comparisons between figures, export). ``load``, ``book``, ``validated`` and ``Book`` are its entry points
(``loader.py``), imported on first use so that a process needing only part of the package does not pay for
pandas and the validators. Imports only icebook.core."""

from typing import Any

__all__ = ["Book", "book", "load", "validated"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
