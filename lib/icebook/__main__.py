"""Command line: ``python -m icebook validate | export | build | add-source | impact``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from icebook.core.errors import EXIT_CODES, exit_code


def _validate(args: argparse.Namespace) -> int:
    from icebook.data.loader import load

    start = time.perf_counter()
    data = load(args.data)
    print(f"data OK: {len(data.sources)} sources, {len(data.facts)} facts, {len(data.derived)} derived "
          f"figures, {len(data.measures)} measures, {len(data.claims)} claims, "
          f"{len(data.findings)} OIG reports ({time.perf_counter() - start:.2f} s)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from icebook.data.export import export
    from icebook.data.loader import load

    out = export(load(args.data), Path(args.out))
    print(f"wrote the data package to {out}")
    return 0


def _cell_timeout(text: str) -> int | str:
    from icebook.build.params import cell_timeout_option

    try:
        return cell_timeout_option(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a port is a whole number from 0 to 65535 (0: any free one)")
    return port


def _build(args: argparse.Namespace) -> int:
    from icebook.build.command import run
    from icebook.build.plain import VARIABLE

    if args.plain:
        os.environ[VARIABLE] = "1"  # for the workers and kernels too
    return run(only=args.only, params=args.param, out=args.out, jobs=args.jobs, cell_timeout=args.cell_timeout)


def _preview(args: argparse.Namespace) -> int:
    from icebook.tools.preview import serve

    return serve(args.port)


def _rollback(args: argparse.Namespace) -> int:
    from icebook.build.publish import rollback

    return rollback()


def _add_source(args: argparse.Namespace) -> int:
    from icebook.tools.maintain import add_source

    for path in add_source(args.file, args.id, args.data):
        print(f"wrote {path}")
    print(f"Next: fill in the FILL IN fields of {args.id!r} in sources.yaml, add its facts to facts/{args.id}.csv, "
          "run `python -m icebook validate` (it also asks for every number in the text to be a fact or excluded "
          f"in coverage.yaml), then `python -m icebook impact data/facts/{args.id}.csv` and `make book`.")
    return 0


def _impact(args: argparse.Namespace) -> int:
    from icebook.tools.maintain import impact_of_fact, impact_of_file

    target = Path(args.target)
    lines = impact_of_file(target) if target.exists() or "/" in args.target else impact_of_fact(args.target)
    print("\n".join(lines))
    return 0


# The folders of the project each command reads (validate, export and add-source may be given another data folder).
NEEDS = {"build": ("data", "chapters"), "preview": ("data", "chapters"), "rollback": (), "impact": ("data", "chapters")}


def main(argv: list[str] | None = None) -> int:
    from icebook.core.paths import check_root
    from icebook.core.versions import DATA_DIR

    parser = argparse.ArgumentParser(prog="icebook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check all of data/ and exit non-zero on any problem")
    p.add_argument("--data", default=DATA_DIR, type=Path, help="the data folder (default: data/)")
    p.set_defaults(run=_validate)
    p = sub.add_parser("export", help="write the CSVs and datapackage.json")
    p.add_argument("--data", default=DATA_DIR, type=Path)
    p.add_argument("--out", default="_build/downloads")
    p.set_defaults(run=_export)
    p = sub.add_parser("build", help="validate, run the chapters, build and publish the book")
    p.add_argument("--only", help="analyst mode: run one chapter into _build/analysis/, not the site")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="with --only: a parameter for that chapter (repeatable)")
    p.add_argument("--out", help="with --only: where to write the executed notebook and page (a relative "
                   "path is from the current directory; inside _build/ only under _build/analysis/)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    p.add_argument("--plain", action="store_true",
                   help="stock kernels and the plain jupyter-book command, none of the speed work's overrides of "
                        "private APIs (as ICEBOOK_PLAIN=1 does): for when an upgrade breaks the fast path")
    p.add_argument("--cell-timeout", type=_cell_timeout, default=None, metavar="SECONDS",
                   help="stop a notebook whose cell runs longer, or 'none' for no limit (default: cell_timeout in "
                   "chapters/params.yml)")
    p.set_defaults(run=_build)
    p = sub.add_parser("add-source", help="add a source text: copy it, register it with its sha256, "
                       "create its facts CSV")
    p.add_argument("file", type=Path, help="the source text (UTF-8), copied unchanged into data/sources/")
    p.add_argument("--id", required=True, help="the new source's id: lower-case letters and digits")
    p.add_argument("--data", default=DATA_DIR, type=Path)
    p.set_defaults(run=_add_source)
    p = sub.add_parser("impact", help="the pages a data file (or a fact id) feeds, and why")
    p.add_argument("target", help="a path under data/, or a fact id")
    p.set_defaults(run=_impact)
    p = sub.add_parser("rollback", help="publish again the site the last build replaced")
    p.set_defaults(run=_rollback)
    p = sub.add_parser("preview", help="serve the site on 127.0.0.1 and rebuild it on every saved change")
    p.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free one)")
    p.set_defaults(run=_preview)
    args = parser.parse_args(argv)
    try:
        check_root(*NEEDS.get(args.command, ()))
        return args.run(args)
    except tuple(EXIT_CODES) as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_code(error) or 1


if __name__ == "__main__":
    sys.exit(main())
