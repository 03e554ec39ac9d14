"""Commands for maintainers: add a source (``add-source``) and ask what a data file or fact feeds (``impact``)."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import re
import shutil
from pathlib import Path

from icebook.build.params import PARAMS_FILE, load_jobs
from icebook.core import files, yamlio
from icebook.core.errors import ParameterError
from icebook.core.paths import DATA_DIR, ROOT
from icebook.data.groups import DATA_GROUPS
from icebook.data.schema import FACT_COLUMNS, FILL_IN, SOURCE_KINDS

SOURCE_ID = re.compile(r"^[a-z0-9]+$")


def _stub(source_id: str, file: str, digest: str) -> str:
    """The registry entry of a new source, with what the maintainer must fill in marked FILL IN."""
    return f"""- id: {source_id}
  file: {file}
  title: {FILL_IN} the title as printed
  short_name: {FILL_IN} a short name for tables, charts and citations
  issuer: {FILL_IN} the issuing office
  date_printed: {FILL_IN} the date as printed, or undated
  date: null  # as precise as the copy prints it: YYYY-MM-DD, YYYY-MM (a month) or YYYY (a year); null if none
  document_number: null  # the number the document prints (OIG-20-13), or null
  kind: {FILL_IN} one of {", ".join(SOURCE_KINDS)}
  trust: {FILL_IN} one line on how far to trust its figures
  missing: ''  # what the copy lacks that the original has
  pages_printed: false  # true when the copy prints page numbers: each fact then gives its page (data/README.md, Pages)
  original: []  # what the copy prints about its original: each web address it prints, quoted, and what it is
  notes: ''
  sha256: '{digest}'
"""


def add_source(text_file: Path, source_id: str, data_dir: Path = DATA_DIR) -> list[Path]:
    """Copy a source text into data/sources/, add its registry stub with its full sha256, and create its
    facts CSV with the header. Returns the files written; refuses to overwrite anything."""
    text_file = Path(text_file)
    if not SOURCE_ID.match(source_id):
        raise ParameterError(f"--id {source_id!r}: a source id is lower-case letters and digits only (oig2013)")
    if (what := files.kind(text_file)) not in (None, "missing"):
        raise ParameterError(f"{text_file} is {what}, not a regular file; give the source text's file")
    try:
        raw = text_file.read_bytes()
        raw.decode("utf-8")
    except FileNotFoundError as error:
        raise ParameterError(f"{text_file}: no such file") from error
    except UnicodeDecodeError as error:
        raise ParameterError(f"{text_file}: not UTF-8 text ({error}); convert it before adding it") from error
    registry = data_dir / "sources.yaml"
    known = yamlio.load_config(registry, data_dir, data_dir.parent, shape=list)
    if any(isinstance(s, dict) and s.get("id") == source_id for s in known):
        raise ParameterError(f"{registry}: a source with id {source_id!r} is already registered")
    copy, facts = data_dir / "sources" / text_file.name, data_dir / "facts" / f"{source_id}.csv"
    for path in (copy, facts):
        if path.exists():
            raise ParameterError(f"{path} already exists; nothing was changed")
    shutil.copyfile(text_file, copy)
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text + ("" if text.endswith("\n") else "\n")
                        + _stub(source_id, copy.name, hashlib.sha256(raw).hexdigest()), encoding="utf-8")
    with facts.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([c.name for c in FACT_COLUMNS])
    return [copy, registry, facts]


def _groups_of(path: Path, data_dir: Path) -> list[str]:
    rel = path.resolve().relative_to(data_dir.resolve()).as_posix()
    return [g for g, patterns in DATA_GROUPS.items() if any(fnmatch.fnmatch(rel, p) for p in patterns)]


def _pages_reading(groups: list[str]) -> list[str]:
    lines = []
    for job in load_jobs():
        why = [g for g in groups if g in job.reads]
        if why:
            lines.append(f"  {job.page} ({job.notebook.name}): reads {', '.join(why)}")
    return lines


def impact_of_file(path: Path, data_dir: Path = DATA_DIR) -> list[str]:
    """The pages a data file feeds, and why: its data group and the chapters that read that group."""
    path = Path(path) if Path(path).is_absolute() else ROOT / path
    try:
        groups = _groups_of(path, data_dir)
    except ValueError as error:
        raise ParameterError(f"{path} is not under {data_dir}") from error
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if not groups:
        return [f"{rel} is in no data group that a page reads; validation still checks it "
                f"(data groups: {sorted(DATA_GROUPS)})"]
    lines = [f"{rel} is in data group(s) {', '.join(groups)}; a page that reads one is re-run when it changes.",
             f"Pages ({PARAMS_FILE.relative_to(ROOT)}, 'reads'):", *_pages_reading(groups)]
    lines.append("Also: validation of all data (python -m icebook validate), and the downloads "
                 "(facts, derived figures, measures and sources as CSV with datapackage.json).")
    if "sources" in groups:
        lines.append("Also: the bibliography, written from sources.yaml at build time.")
    return lines


def impact_of_fact(fact_id: str, site: Path = ROOT / "_build" / "html") -> list[str]:
    """Where a fact is used: the data that names it, and the pages of the built site that link to it."""
    from icebook.data.loader import book

    data = book()
    if fact_id not in data.facts.index:
        raise ParameterError(f"no fact or file {fact_id!r}: give a path under data/ or a fact id")
    row = data.fact(fact_id)
    naming = [f"  derived figure {d} takes it as input" for d, r in data.derived.iterrows()
              if fact_id in r["inputs"].values()]
    naming += [f"  claim {c.id} checks it" for c in data.claims
               if fact_id in (c.fact, c.implies, *c.inputs.values())]
    naming += [f"  measure {m.id} charts its metric {row['metric']}" for m in data.measures
               if any(s.metric == row["metric"] for s in m.series)]
    lines = [f"fact {fact_id}: {row['printed']!r} from source {row['source']}, metric {row['metric']}; "
             f"the data that names it: {'' if naming else 'none'}".rstrip(), *naming]
    link = re.compile(r'href="[^"]*#' + re.escape(fact_id) + '"')
    pages = sorted(p for p in site.rglob("*.html") if link.search(p.read_text(encoding="utf-8")))
    if pages:
        lines.append(f"Pages of the built site ({site.relative_to(ROOT) if site.is_relative_to(ROOT) else site}) "
                     "that show it, linked to its entry:")
        lines += [f"  {p.relative_to(site)}" for p in pages]
    else:
        lines.append(f"No page of {site} links to it (build the site first with `make book`); pages that read "
                     "facts:")
        lines += _pages_reading(["facts"])
    return lines
