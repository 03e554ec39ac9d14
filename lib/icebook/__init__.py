"""The ICE FY2017–FY2020 book as a package, in layers that import one way only:

    tools (preview, maintain) → build → site, pages, sphinx → data → core

``book``, ``load`` and ``Book`` are imported on first use (PEP 562), so a process that needs only part of the
package (Sphinx loading the book's extensions, the build command) does not pay for pandas and the validators.

The module names chapters imported before the package was split (``icebook.fmt``, ``icebook.chart`` …) stay
importable as stable faces: each is the same module object as its home in a subpackage (``FACES``).
"""

import importlib
import importlib.abc
import importlib.util
import sys
from typing import Any

from .core.errors import DataError, ParameterError, Problem
from .core.modules import FACES

__all__ = ["Book", "DataError", "ParameterError", "Problem", "book", "load"]
_FROM_DATA = {"Book", "book", "load"}



class _Face(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds a face's old name and hands back the module at its new home (the same object, not a copy)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname not in FACES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: Any) -> Any:
        return importlib.import_module(FACES[spec.name])

    def exec_module(self, module: Any) -> None:
        """Nothing to run: the module ran when it was imported under its own name."""


if not any(isinstance(finder, _Face) for finder in sys.meta_path):
    sys.meta_path.append(_Face())


def __getattr__(name: str) -> Any:
    if name in _FROM_DATA:
        from . import data

        return getattr(data, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
