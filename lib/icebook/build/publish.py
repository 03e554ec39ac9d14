"""The built site checked, copied with its footers' build version filled in, and published by one atomic
rename of the ``_build/html`` link; the site it replaced is kept for ``rollback``."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from icebook.build import siterecord
from icebook.build.editions import Edition, keep_edition
from icebook.build.layout import (
    BUILD,
    BUILD_VERSION,
    LOCK,
    SITE,
    SITE_FILES,
    SITE_RECORD,
    SITES,
    STAGE,
    step,
    write_json,
)
from icebook.build.lock import BuildLock
from icebook.build.params import ROOT, default_value
from icebook.core.errors import BuildError
from icebook.core.files import writing
from icebook.pages.cite import EDITION


def published_site() -> Path | None:
    """The folder the published site link points to, if there is one."""
    return SITE.resolve() if SITE.is_symlink() and SITE.exists() else None


def edition_footer(record: dict, published: str) -> str:
    """Every page's footer: the edition (the day it was built, its data version and source commit), which the
    "cite this book" block and a figure's copied citation name (icebook.js reads it from the footer)."""
    from markupsafe import escape

    from icebook.core import yamlio

    title = escape(yamlio.load((ROOT / "_config.yml").read_text())["title"])
    return (f'<span class="edition" data-book="{title}" data-published="{published}" '
            f'data-data-version="{record["data_version"]}" data-commit="{record["commit"]}">'
            f'Edition of {published} · data version <code>{record["data_version"]}</code> · '
            f'source commit <code>{record["commit"]}</code></span>')


def site_copy(built: Path, record: dict, published: str) -> Path:
    """A copy of the built site, its footers naming the edition: the build's date, data version and source commit;
    the "cite this book" blocks naming it too (pages/cite.py)."""
    version = edition_footer(record, published).encode()
    edition = (f'Edition of {published} (data version {record["data_version"]}, source commit '
               f'{record["commit"]})').encode()

    def copy(origin: str, target: str) -> None:
        if origin.endswith(".html"):
            page = Path(origin).read_bytes().replace(BUILD_VERSION.encode(), version)
            with writing(Path(target)):
                Path(target).write_bytes(page.replace(EDITION.encode(), edition))
        else:
            shutil.copyfile(origin, target)

    step.now = "copying the built site"
    new_site = STAGE / "site"
    if new_site.exists():
        shutil.rmtree(new_site)
    shutil.copytree(built, new_site, copy_function=copy)
    return new_site


def ready_checks() -> None:
    """Import the site checks (BeautifulSoup, lxml and their compiled patterns) and work out the
    counts they compare the pages with and what their verdicts depend on, while Sphinx builds the site the
    checks will read."""
    from icebook.data.loader import book
    from icebook.site.checks import ready
    from icebook.site.counts import book_counts

    ready(book_counts(book(), default_value("comparison", "fiscal_years")), book().texts)


def check_built_site(built: Path) -> None:
    """Check the site as Sphinx wrote it, before site_copy fills in its footers: a page Sphinx did not change
    keeps its bytes from build to build, so the checks read its verdict from their cache, where a footer naming
    the data version would change every page's bytes whenever the data change. What the footer adds (two hashes
    in <code>, outside the article, no link, id or script) is nothing any check reads."""
    from icebook.core.cache import CACHE
    from icebook.data.loader import book
    from icebook.site.checks import check_site
    from icebook.site.counts import book_counts

    step.now = "checking the built site"
    counts = book_counts(book(), default_value("comparison", "fiscal_years"))
    problems = check_site(built, counts=counts, texts=book().texts, cache=CACHE / "site-checks.json")
    if problems:
        raise BuildError("the built site failed its checks:\n" + "\n".join(f"  - {p}" for p in problems[:50]))


def publish_site(new_site: Path, record: dict, published: str) -> None:
    """Make the new site the published one in one atomic step: a symbolic link renamed over the old."""
    step.now = "publishing the site"
    SITES.mkdir(exist_ok=True)
    if SITE.exists() and not SITE.is_symlink():  # a site from before sites were versioned
        SITE.rename(SITES / "earlier")
        SITE.symlink_to(Path("sites") / "earlier")
    previous = published_site()
    target = SITES / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    link = BUILD / "html.new"
    link.unlink(missing_ok=True)
    link.symlink_to(target.relative_to(BUILD))  # made first: if _build/ is read-only, nothing has moved
    new_site.rename(target)
    os.replace(link, SITE)
    write_json(SITE_RECORD, record)
    siterecord.save(SITE_FILES, target)
    keep_edition(target, Edition(record["data_version"], record["commit"], published))
    keep = {target.name, previous.name if previous else None}  # the new site and the one it replaced
    for old in SITES.iterdir():
        if old.name not in keep:
            shutil.rmtree(old)


def rollback() -> int:
    """Publish again the site the last build replaced (kept in _build/sites/)."""
    with BuildLock(LOCK):
        current = published_site()
        others = sorted(p for p in SITES.glob("*") if p != current) if SITES.exists() else []
        if not others:
            print("error: no earlier site is kept in _build/sites/ to roll back to", file=sys.stderr)
            return 1
        link = BUILD / "html.new"
        link.unlink(missing_ok=True)
        link.symlink_to(others[-1].relative_to(BUILD))
        os.replace(link, SITE)
        SITE_RECORD.unlink(missing_ok=True)  # the next build rebuilds from the sources
    print(f"site published: {SITE.relative_to(ROOT)} -> {others[-1].relative_to(ROOT)}")
    return 0
