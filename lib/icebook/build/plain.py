"""Plain mode: the build with none of its speed work that leans on other libraries' private parts.

The fast path overrides private APIs: jupyter_client's ``_async_pre_start_kernel``, ``_async_finish_shutdown``
and ``_handle_kernel_info_reply`` (warm.py: kernels forked from the build, a client ready at the kernel's first
idle) and Sphinx's search indexer's ``_titles`` and friends (sphinx/incremental.py: a rebuild over the kept
environment that matches a clean one). An upgrade of jupyter_client or Sphinx can break any of them.

``ICEBOOK_PLAIN=1`` (or ``python -m icebook build --plain``) builds the same book without them: each page runs
in a stock jupyter_client kernel started by papermill, and the book is built by the ``jupyter-book build``
command, afresh, without the incremental extension. What the reader sees is the same (a slow test compares
the two sites' text); only the time differs.
"""

from __future__ import annotations

import os

VARIABLE = "ICEBOOK_PLAIN"
EXTENSIONS = ["icebook.sphinx.incremental"]  # the Sphinx extensions plain mode leaves out


def plain() -> bool:
    """Is this build plain (``ICEBOOK_PLAIN`` set to anything but empty or ``0``)?"""
    return os.environ.get(VARIABLE, "") not in {"", "0"}
