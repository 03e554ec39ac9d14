"""Chapter parameters: the published sets in chapters/params.yml, checked before anything runs.

papermill only warns on a parameter a notebook does not declare; here an unknown
parameter, a wrong type or a value outside the allowed set is an error that
names the chapter, the parameter and what is allowed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icebook.build.notebooks import code_cells
from icebook.core import files, yamlio
from icebook.core.errors import ConfigError, ParameterError, brief
from icebook.core.paths import CHAPTERS, DATA_DIR, ROOT
from icebook.data.groups import DATA_GROUPS

__all__ = ["CHAPTERS", "PARAMS_FILE", "ROOT", "Job", "chapter_spec", "load_jobs"]

PARAMS_FILE = CHAPTERS / "params.yml"
DEFAULT_CELL_TIMEOUT = 300  # seconds one cell may run; chapters/params.yml's cell_timeout or --cell-timeout
# The most output one page may make, in characters (chapters/params.yml's output_limit and printed_output_limit):
# all of it (the largest page, with its charts' data, makes about 7 million), and the text its cells print (pages
# print next to nothing; a page that printed half a million characters stalled Sphinx).
DEFAULT_OUTPUT_LIMIT = 32_000_000
DEFAULT_PRINTED_LIMIT = 100_000


@dataclass(frozen=True)
class Job:
    """One page to make: a template notebook run with one checked parameter set."""

    chapter: str
    page: str
    notebook: Path
    parameters: dict[str, Any]
    reads: tuple[str, ...]


def _allowed(kind: str) -> list:
    """The values a parameter of this kind may take, read from the data's vocabulary."""
    path = DATA_DIR / "vocabulary.yaml"
    vocab = yamlio.load_config(path, DATA_DIR, ROOT)
    where = f"{path.relative_to(ROOT)}: run `python -m icebook validate` for what is wrong"
    if kind == "component":
        components = vocab.get("components")
        if not isinstance(components, dict | list):
            raise ConfigError(f"{where} (no list of components)")
        return [c for c in components if c not in {"ICE", "external", "OI", "DRO"}]
    if kind == "fiscal_year":
        years = vocab.get("fiscal_years")
        if not (isinstance(years, dict) and all(isinstance(years.get(end), int) for end in ("first", "last"))):
            raise ConfigError(f"{where} (no fiscal_years with a first and a last year)")
        return list(range(years["first"], years["last"] + 1))
    if kind == "source":  # the source registry's ids, in its order
        registry = yamlio.load_config(DATA_DIR / "sources.yaml", DATA_DIR, ROOT, list)
        return [entry["id"] for entry in registry or [] if isinstance(entry, dict) and "id" in entry]
    raise ParameterError(f"{PARAMS_FILE.name}: unknown parameter kind {brief(kind)}")


def notebook_parameters(notebook: Path) -> set[str]:
    """The names assigned in a chapter's cell tagged `parameters` (papermill injects after it)."""
    cell = next((c for c in code_cells(notebook) if "parameters" in c.tags), None)
    if cell is None:
        return set()
    tree = ast.parse(cell.source)
    return {target.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def check_value(chapter: str, name: str, spec: dict, value: Any) -> Any:
    """Check one parameter value against its declared type and allowed values; return it."""
    kind, many = spec["type"], spec.get("many", False)
    values = value if many else [value]
    where = f"chapter {brief(chapter)}, parameter {brief(name)}"
    if many and not isinstance(value, list):
        raise ParameterError(f"{where}: expected a list, got {brief(value)}")
    allowed = _allowed(kind)
    for item in values:
        expected = int if kind == "fiscal_year" else str
        if not isinstance(item, expected) or isinstance(item, bool):
            raise ParameterError(f"{where}: {brief(item)} is not a {expected.__name__}; allowed: {allowed}")
        if item not in allowed:
            raise ParameterError(f"{where}: {brief(item)} is not allowed; allowed values: {allowed}")
    if many and not values:
        raise ParameterError(f"{where}: needs at least one value; allowed values: {allowed}")
    return value


def check_parameters(chapter: str, declared: dict[str, dict], given: dict[str, Any]) -> dict[str, Any]:
    """Check a whole parameter set: no unknown names, every value valid; fill defaults."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterError(f"chapter {brief(chapter)}: unknown parameter(s) {brief(unknown, 200)}; "
                             f"this chapter takes {sorted(declared)}")
    checked = {}
    for name, spec in declared.items():
        value = given.get(name, spec.get("default"))
        checked[name] = check_value(chapter, name, spec, value)
    for rule in ("baseline_in",):
        for name, spec in declared.items():
            if rule in spec and checked[name] not in checked[spec[rule]]:
                raise ParameterError(f"chapter {brief(chapter)}, parameter {brief(name)}: {brief(checked[name])} "
                                     f"must be one of {spec[rule]} {checked[spec[rule]]}")
    return checked


def parse_cli_value(chapter: str, name: str, spec: dict | None, text: str) -> Any:
    """Read ``-p name=value`` from the command line by the parameter's declared type."""
    if spec is None:
        return text  # reported as unknown by check_parameters
    items = [t.strip() for t in text.split(",")] if spec.get("many") else [text.strip()]
    if spec["type"] == "fiscal_year":
        try:
            items = [int(t) for t in items]
        except ValueError as error:
            raise ParameterError(f"chapter {brief(chapter)}, parameter {brief(name)}: {brief(text)} is not a "
                                 f"fiscal year; allowed values: {_allowed('fiscal_year')}") from error
    return items if spec.get("many") else items[0]


def load_jobs(params_file: Path = PARAMS_FILE, overrides: dict[str, dict] | None = None) -> list[Job]:
    """Every page of the book as a job, with parameters checked; fan-out chapters give one job per value."""
    config = read_params(params_file)
    jobs = []
    for chapter, entry in config["chapters"].items():
        declared = entry.get("parameters", {})
        given = dict(entry.get("values", {}))
        given.update((overrides or {}).get(chapter, {}))
        notebook = chapter_notebook(chapter, entry, params_file)
        in_notebook = notebook_parameters(notebook)
        undeclared = sorted(set(declared) - in_notebook)
        if undeclared:
            raise ParameterError(f"chapter {brief(chapter)}: parameter(s) {undeclared} declared in {params_file.name} "
                                 f"are not in {notebook.name}'s parameters cell, which takes {sorted(in_notebook)}")
        reads = tuple(entry.get("reads", []))
        for group in reads:
            if group not in DATA_GROUPS:
                raise ParameterError(f"chapter {brief(chapter)}: reads unknown data group {brief(group)}; "
                                     f"known: {sorted(DATA_GROUPS)}")
        fan_out = entry.get("fan_out")
        if fan_out:
            name = fan_out["parameter"]
            values = given.pop(name, None) or _allowed(declared[name]["type"])
            values = values if isinstance(values, list) else [values]  # one page of a fan-out chapter
            check_value(chapter, name, {**declared[name], "many": True}, values)
            combos = [{name: v} for v in values]
        else:
            combos = [{}]
        for combo in combos:
            params = check_parameters(chapter, declared, {**given, **combo})
            page = entry.get("page", chapter).format(**{k: str(v).lower() for k, v in params.items()})
            jobs.append(Job(chapter, page, notebook, params, reads))
    return jobs


def read_params(params_file: Path = PARAMS_FILE) -> dict:
    """chapters/params.yml, read strictly and checked for its shape: ``chapters``, a mapping of chapter names to
    mappings, each with its ``notebook``; one message naming the file and the key otherwise."""
    config = yamlio.load_config(params_file, params_file.parent, ROOT)
    name = params_file.relative_to(ROOT) if params_file.is_relative_to(ROOT) else params_file
    chapters = config.get("chapters")
    if not isinstance(chapters, dict) or not chapters:
        raise ConfigError(f"{name}: 'chapters' must be a mapping of each chapter's name to its entry")
    for chapter, entry in chapters.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("notebook"), str):
            raise ConfigError(f"{name}: chapter {brief(chapter)} must be a mapping with its 'notebook' (a file name)")
        for key in ("parameters", "values"):
            if not isinstance(entry.get(key, {}), dict):
                raise ConfigError(f"{name}: chapter {brief(chapter)}: {key!r} must be a mapping")
        if not isinstance(entry.get("reads", []), list):
            raise ConfigError(f"{name}: chapter {brief(chapter)}: 'reads' must be a list of data groups")
        for parameter, spec in entry.get("parameters", {}).items():
            if not isinstance(spec, dict) or "type" not in spec or "default" not in spec:
                raise ConfigError(f"{name}: chapter {brief(chapter)}, parameter {brief(parameter)} must be a "
                                  "mapping with its 'type' and 'default'")
        fan_out = entry.get("fan_out")
        if fan_out is not None and not (isinstance(fan_out, dict)
                                        and fan_out.get("parameter") in entry.get("parameters", {})):
            raise ConfigError(f"{name}: chapter {brief(chapter)}: 'fan_out' must name one of its parameters "
                              "(parameter: NAME)")
    return config


def chapter_notebook(chapter: str, entry: dict, params_file: Path = PARAMS_FILE) -> Path:
    """A chapter's notebook: a plain name of a regular file in chapters/ (core/files.py)."""
    if why := files.plain_name(entry["notebook"]):
        raise ConfigError(f"chapter {brief(chapter)}: notebook {brief(entry['notebook'])} {why}")
    notebook = params_file.parent / entry["notebook"]
    if not notebook.exists() and not notebook.is_symlink():
        raise ParameterError(f"chapter {brief(chapter)}: notebook {notebook} does not exist")
    if why := files.problem(notebook, params_file.parent, ROOT):
        raise ConfigError(f"chapter {brief(chapter)}: notebook {notebook.relative_to(ROOT)} {why}")
    return notebook


NO_LIMIT = "none"  # --cell-timeout none: no per-cell time limit


def cell_timeout_option(text: str) -> int | str:
    """``--cell-timeout``'s value: a positive whole number of seconds, or ``none`` written out for no limit."""
    if text == NO_LIMIT:
        return NO_LIMIT
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{brief(text)}: give a positive whole number of seconds, or '{NO_LIMIT}' for no limit")
    return value


def configured_cell_timeout(params_file: Path = PARAMS_FILE) -> int:
    """The per-cell time limit set in chapters/params.yml (``cell_timeout``, seconds), or the default."""
    value = yamlio.load_config(params_file, params_file.parent, ROOT).get("cell_timeout", DEFAULT_CELL_TIMEOUT)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ParameterError(f"{params_file.name}: cell_timeout must be a whole number of seconds, not "
                             f"{brief(value)}")
    return value


def chapter_notebooks(params_file: Path = PARAMS_FILE) -> list[Path]:
    """The chapters' text notebooks, as chapters/params.yml names them."""
    chapters = read_params(params_file)["chapters"]
    return sorted({params_file.parent / entry["notebook"] for entry in chapters.values()})


def static_pages(params_file: Path = PARAMS_FILE) -> list[Path]:
    """The book's pages written by hand (chapters/*.md that are not a chapter's notebook): staged as they are."""
    return sorted(set(params_file.parent.glob("*.md")) - set(chapter_notebooks(params_file)))


def configured_output_limits(params_file: Path = PARAMS_FILE) -> tuple[int, int]:
    """The most output one page may make, and the most text it may print, in characters (``output_limit`` and
    ``printed_output_limit`` in chapters/params.yml, or the defaults)."""
    config = yamlio.load_config(params_file, params_file.parent, ROOT)
    limits = []
    for key, default in (("output_limit", DEFAULT_OUTPUT_LIMIT), ("printed_output_limit", DEFAULT_PRINTED_LIMIT)):
        value = config.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ParameterError(f"{params_file.name}: {key} must be a whole number of characters, not {brief(value)}")
        limits.append(value)
    return limits[0], limits[1]


def chapter_spec(chapter: str, params_file: Path = PARAMS_FILE) -> dict:
    config = read_params(params_file)
    if chapter not in config["chapters"]:
        raise ParameterError(f"no chapter {brief(chapter)}; chapters: {sorted(config['chapters'])}")
    return config["chapters"][chapter]


def default_value(chapter: str, name: str, params_file: Path = PARAMS_FILE) -> Any:
    """A chapter parameter's default as chapters/params.yml declares it (the one definition of, say, the
    comparison's fiscal years and baseline year)."""
    parameters = chapter_spec(chapter, params_file).get("parameters") or {}
    if name not in parameters:
        raise ParameterError(f"{params_file.name}: chapter {brief(chapter)} has no parameter {brief(name)}; "
                             f"it has {sorted(parameters)}")
    return parameters[name]["default"]


def book_config() -> dict:
    """The book's configuration (``_config.yml``), read strictly: one message naming it when it is missing,
    malformed or not a mapping. ``_toc.yml`` is checked the same way, as jupyter-book reads it too."""
    yamlio.load_config(ROOT / "_toc.yml", ROOT, ROOT)
    return yamlio.load_config(ROOT / "_config.yml", ROOT, ROOT)


def check_book_files(folders: list[str]) -> None:
    """Every file the build copies from these folders (``chapters/``' pages, ``_static/``) is a regular file
    inside its folder (core/files.py); else one message naming it."""
    for name in folders:
        folder = ROOT / name
        for path in files.entries(folder) if folder.is_dir() else []:
            if why := files.problem(path, folder, ROOT):
                raise ConfigError(f"{path.relative_to(ROOT)} {why}")
