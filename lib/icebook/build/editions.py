"""Editions: the data package of each published site, kept by the publish step, so that the next build can say
what changed (the Changes page, pages/changes.py, from data/changes.py's comparison).

``_build/editions/`` holds one folder per data version that was published (its data package: the tables and
``datapackage.json`` of the downloads, without the source texts and charts) and ``editions.json``, the
editions in the order they were last published, each with its data version, source commit and date (the day that
data version was first published: a rebuild of the same data on a later day keeps it). A build
compares its data with the last published edition whose data differ from its own; when there is none, it is the
first edition, and the page says so. A rebuild of the same data compares with the same edition, so the page, and
a rebuild with nothing changed, stay as they were.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from icebook.core.paths import ROOT

EDITIONS = ROOT / "_build" / "editions"
LIST = "editions.json"
PACKAGE = "_static/downloads"  # where the site holds its data package


@dataclass(frozen=True)
class Edition:
    """A published edition: its data version, the source commit it was built from and the day it was published."""

    data_version: str
    commit: str
    published: str

    def package(self, folder: Path = EDITIONS) -> Path:
        return folder / self.data_version


def editions(folder: Path = EDITIONS) -> list[Edition]:
    """The editions kept, oldest publication first; an unreadable list is read as none kept."""
    try:
        entries = json.loads((folder / LIST).read_text(encoding="utf-8"))
        return [Edition(**entry) for entry in entries]
    except (OSError, ValueError, TypeError):
        return []


def previous_edition(data_version: str, folder: Path = EDITIONS) -> Edition | None:
    """The last published edition whose data differ from ``data_version`` and whose package is kept."""
    earlier = [e for e in editions(folder) if e.data_version != data_version and e.package(folder).is_dir()]
    return earlier[-1] if earlier else None


def edition_date(data_version: str, today: str, folder: Path = EDITIONS) -> str:
    """The day an edition is dated: the day its data version was first published, if it was, else ``today``. A
    rebuild of the same data on a later day (after a damaged record or cache) is the same edition, and publishes
    the same pages, byte for byte."""
    return next((e.published for e in editions(folder) if e.data_version == data_version), today)


def keep_edition(site: Path, edition: Edition, folder: Path = EDITIONS) -> None:
    """After publishing: keep the site's data package under its data version (once) and list the edition last."""
    target = edition.package(folder)
    if not target.is_dir():
        made = target.with_name(target.name + ".new")
        shutil.rmtree(made, ignore_errors=True)
        made.mkdir(parents=True)
        for path in (site / PACKAGE).glob("*"):
            if path.is_file():
                shutil.copy2(path, made / path.name)
        made.rename(target)
    kept = [e for e in editions(folder) if e.data_version != edition.data_version] + [edition]
    listing = folder / LIST
    tmp = listing.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(e) for e in kept], indent=1) + "\n", encoding="utf-8")
    tmp.replace(listing)
