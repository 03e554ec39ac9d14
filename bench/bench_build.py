"""Benchmark: the build on a copy of the project. Prints figures; asserts nothing.

1. cold build (every notebook executed, then jupyter-book with execution off);
2. no-op rebuild (target < 1 s, no notebook executed, Sphinx not started);
3. rebuild after changing one data file (register.yaml: read by the checking and home chapters);
4. rebuild after editing one chapter (one notebook re-executed);
5. for reference, plain `jupyter-book build` with execute_notebooks: force over the same chapters,
   and the ratio of the cold build to it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
COPY = ["lib", "chapters", "data", "_static", "_config.yml", "_toc.yml", "requirements.lock"]


def copy_project() -> Path:
    root = Path(tempfile.mkdtemp(prefix="icebook-bench-build-"))
    for name in COPY:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def run_build(root: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "icebook", "build"], cwd=root, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr}")
    summary = re.search(r"notebooks: .*|nothing changed.*", result.stdout)
    return seconds, summary[0] if summary else ""


def forced_jupyter_book(root: Path) -> float:
    """jupyter-book executing the same chapters itself (default parameters, one page per notebook)."""
    stage = root / "_build" / "force"
    shutil.copytree(root / "_build" / "stage-src-for-bench", stage / "src")
    config = yaml.safe_load((stage / "src" / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 300}
    (stage / "src" / "_config.yml").write_text(yaml.safe_dump(config))
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage / "src"),
                    "--path-output", str(stage / "out"), "-q"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(root / "lib")})
    return time.perf_counter() - start


def main() -> int:
    root = copy_project()
    try:
        cold, summary = run_build(root)
        print(f"cold build: {cold:.1f} s ({summary})")
        noop, summary = run_build(root)
        print(f"no-op rebuild: {noop:.2f} s ({summary}) (target < 1 s)")
        register = root / "data" / "register.yaml"
        register.write_text(register.read_text().replace("title: ", "title: Edited ", 1))
        one_data, summary = run_build(root)
        print(f"rebuild after changing data/register.yaml: {one_data:.1f} s ({summary})")
        notebook = root / "chapters" / "oversight.ipynb"
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell("An edit to one chapter."))
        nbformat.write(nb, notebook)
        one_chapter, summary = run_build(root)
        print(f"rebuild after editing one chapter: {one_chapter:.1f} s ({summary})")
        src = root / "_build" / "stage-src-for-bench"
        shutil.copytree(root, src, ignore=shutil.ignore_patterns("_build", "node_modules", "lib", "data"))
        pages = src / "chapters" / "pages"
        pages.mkdir()
        params = yaml.safe_load((root / "chapters" / "params.yml").read_text())["chapters"]
        for name, entry in params.items():
            target = entry.get("page", name).format(component="ero")
            if "{" in entry.get("page", ""):
                for component in entry["values"]["component"]:
                    shutil.copy2(root / "chapters" / entry["notebook"], pages / f"profile-{component.lower()}.ipynb")
            else:
                shutil.copy2(root / "chapters" / entry["notebook"], pages / f"{target}.ipynb")
        (src / "_static" / "vendor").mkdir(exist_ok=True)
        forced = forced_jupyter_book(root)
        print(f"jupyter-book build with execute_notebooks: force: {forced:.1f} s "
              f"(every profile runs with its default component)")
        print(f"cold build / forced jupyter-book: {cold / forced:.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
