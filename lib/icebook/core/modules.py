"""The package's own code as files: which modules a piece of code imports, the files they live in, and one
digest of the whole package. Every cache key that depends on code is made from these, so moving a module
between subpackages changes the keys it should and never leaves a key pointing at a file that is gone.

Module names are dotted and absolute throughout (``icebook.pages.fmt``); an import of an ``icebook`` module
that resolves to no file is an error, never skipped.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable
from pathlib import Path

from icebook.core.files import digest_files

PACKAGE = "icebook"
LIB = Path(__file__).resolve().parents[1]  # lib/icebook
# Old flat names → the modules they now are: an analyst's notebook that imports ``icebook.fmt`` keeps working
# (icebook/__init__.py hands out the same module object under the old name).
FACES = {
    "icebook.fmt": "icebook.pages.fmt",
    "icebook.chart": "icebook.pages.chart",
    "icebook.keyfindings": "icebook.pages.keyfindings",
    "icebook.sections": "icebook.pages.sections",
    "icebook.diagram": "icebook.pages.diagram",
    "icebook.compare": "icebook.data.comparability",
    "icebook.audit": "icebook.data.audit",
    "icebook.detect": "icebook.data.detect",
}


class UnknownModule(ImportError):
    """Code imports an ``icebook`` module that no file of the package provides."""


def module_file(name: str) -> Path | None:
    """The file of a dotted module name (a module or a package's ``__init__.py``), or None."""
    name = FACES.get(name, name)
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = LIB.joinpath(*parts[1:])
    for path in (base.with_suffix(".py") if len(parts) > 1 else None, base / "__init__.py"):
        if path is not None and path.is_file():
            return path
    return None


def module_name(path: Path) -> str:
    """The dotted name of a file of the package."""
    relative = path.resolve().relative_to(LIB).with_suffix("")
    parts = [PACKAGE, *relative.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parents(name: str) -> list[str]:
    """A module and the packages importing it runs first (``icebook``, ``icebook.pages``, …)."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _resolve(name: str, where: str) -> list[str]:
    """The modules an import of ``name`` runs, or UnknownModule naming it and the code that imports it."""
    if module_file(name) is None:
        raise UnknownModule(f"{where} imports {name}, which is no module of lib/{PACKAGE}")
    target = FACES.get(name, name)
    return _parents(name) + _parents(target)


@functools.lru_cache(maxsize=512)
def imports(source: str, module: str = "", is_package: bool = False, where: str = "code") -> frozenset[str]:
    """The ``icebook`` modules a piece of code imports, at any depth (a function's own import counts), as
    dotted names with the packages they run. ``module`` is the importing module's name, for relative imports.
    Kept by the code's text: every page's lineage reads the same modules."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    found.update(_resolve(alias.name, where))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            found.update(_resolve(target, where))
            for alias in node.names:  # from icebook.pages import fmt: a module, or a name of the package
                if module_file(f"{target}.{alias.name}") is not None:
                    found.update(_resolve(f"{target}.{alias.name}", where))
    return frozenset(found)


def closure(names: Iterable[str] = (), source: str = "", where: str = "code") -> list[str]:
    """Every ``icebook`` module that ``names`` and ``source`` can run: those they import, and theirs."""
    todo = set(names) | set(imports(source, where=where))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = module_file(name)
        if path is None:
            raise UnknownModule(f"{where} needs {name}, which is no module of lib/{PACKAGE}")
        seen.add(name)
        todo |= imports(path.read_text(encoding="utf-8"), FACES.get(name, name), path.name == "__init__.py",
                        where=str(path.relative_to(LIB.parents[1]))) - seen
    return sorted(seen)


def files_of(names: Iterable[str]) -> list[Path]:
    """The files of these modules (each must exist)."""
    files = []
    for name in names:
        path = module_file(name)
        if path is None:
            raise UnknownModule(f"{name} is no module of lib/{PACKAGE}")
        files.append(path)
    return sorted(set(files))


def subpackage_modules(*subpackages: str) -> list[str]:
    """Every module of these subpackages (``build``, ``core`` …), found on disk: a module added to one is in."""
    return sorted(module_name(p) for sub in subpackages for p in (LIB / sub).rglob("*.py"))


def package_files() -> list[Path]:
    """Every Python file of the package, in every subpackage."""
    return sorted(p for p in LIB.rglob("*.py") if "__pycache__" not in p.parts)


def file_key(path: Path) -> str:
    """A file of the package named as the project names it (``lib/icebook/pages/fmt.py``), wherever it lies."""
    return str(Path("lib", PACKAGE, path.relative_to(LIB)))


def package_digest() -> bytes:
    """One digest of every Python file of the package, by its path in the package and its bytes."""
    return digest_files(package_files(), LIB)

