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
