"""Benchmark: the site checks (checks.check_site) on a copy of the built site. Prints figures; asserts nothing.

1. cold: no verdict cache, every page parsed;
2. warm: nothing changed since the last check, every verdict read back;
3. the five pages a one-fact edit changes (home, comparison, profile-ero, checking, facts-ar2020) changed.

Run `make book` first: it reads _build/html.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from icebook.build.params import default_value
from icebook.data.loader import book
from icebook.site.checks import check_site
from icebook.site.counts import book_counts

ROOT = Path(__file__).resolve().parents[1]
ONE_FACT_PAGES = ["home", "comparison", "profile-ero", "checking", "facts-ar2020"]


def timed(site: Path, cache: Path, counts, texts) -> tuple[float, int]:
    start = time.perf_counter()
    problems = check_site(site, counts=counts, texts=texts, cache=cache)
    return time.perf_counter() - start, len(problems)


def main() -> None:
    built = ROOT / "_build" / "html"
    if not built.exists():
        sys.exit("no built site: run `make book` first")
    data = book()
    counts, texts = book_counts(data, default_value("comparison", "fiscal_years")), data.texts
    with tempfile.TemporaryDirectory(prefix="icebook-bench-checks-") as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "site-checks.json"
        shutil.copytree(built.resolve(), site)
        cold = timed(site, cache, counts, texts)
        warm = timed(site, cache, counts, texts)
        for name in ONE_FACT_PAGES:
            page = site / "chapters" / "pages" / f"{name}.html"
            page.write_bytes(page.read_bytes() + b"\n")  # new bytes, same checks' outcome
        five = timed(site, cache, counts, texts)
    for label, (seconds, problems) in (("cold (no cache)", cold), ("warm, nothing changed", warm),
                                       ("5 pages of a one-fact edit changed", five)):
        print(f"check_site, {label}: {seconds:.2f} s ({problems} problems)")


if __name__ == "__main__":
    main()
