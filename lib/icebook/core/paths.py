"""Where the project is: the one definition of its root, data and chapters folders.

The root is the checkout this package sits in, unless ``ICEBOOK_ROOT`` names
another (a clone, or a temporary copy in a test), so that a build, a kernel or
a command reads that project's own data.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ICEBOOK_ROOT") or Path(__file__).resolve().parents[3]).resolve()
DATA_DIR = ROOT / "data"
CHAPTERS = ROOT / "chapters"


def check_root(*needed: str) -> None:
    """Refuse a project root that cannot be one, before anything reads or creates a file there: it must be a
    folder, holding the ``needed`` folders (``data``, ``chapters``). Raises ConfigError naming it."""
    from icebook.core.errors import ConfigError

    given = os.environ.get("ICEBOOK_ROOT")
    where = f"ICEBOOK_ROOT={given!r} ({ROOT})" if given else str(ROOT)
    hint = "point ICEBOOK_ROOT to a checkout of the book, or unset it" if given else "is the checkout whole?"
    if not ROOT.exists():
        raise ConfigError(f"the project folder {where} does not exist; {hint}")
    if not ROOT.is_dir():
        raise ConfigError(f"the project folder {where} is not a folder; {hint}")
    missing = [name for name in needed if not (ROOT / name).is_dir()]
    if missing:
        raise ConfigError(f"the project folder {where} has no {' or '.join(f'{m}/' for m in missing)} folder; {hint}")
