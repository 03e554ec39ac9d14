"""The slow tier's per-test copy of the built project (treecopy.TreeCopy): after each restore the copy is the
template again, byte for byte, mode for mode, time for time, whatever the test before did to it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from treecopy import TreeCopy


def _tree(root: Path) -> dict[str, tuple]:
    """What a test could see of a tree: each entry's kind, mode, modification time and content or target."""
    seen = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            what = ("link", os.readlink(path))
        elif path.is_dir():
            what = ("dir",)
        elif not path.is_file():  # a pipe, say: read, it would wait for a writer
            what = ("special", stat.S_IFMT(info.st_mode))
        else:
            what = ("file", path.read_bytes(), info.st_mtime_ns)
        seen[str(path.relative_to(root))] = (*what, stat.S_IMODE(info.st_mode))
    return seen


@pytest.fixture
def template(tmp_path: Path) -> Path:
    root = tmp_path / "template"
    (root / "data" / "facts").mkdir(parents=True)
    (root / "data" / "facts" / "a.csv").write_text("id,value\na,1\n")
    (root / "data" / "register.yaml").write_text("title: x\n")
    (root / "_build" / "sites" / "one").mkdir(parents=True)
    (root / "_build" / "sites" / "one" / "index.html").write_text("<p>1</p>")
    (root / "_build" / "html").symlink_to("sites/one")
    (root / "_build" / "cache.key").write_text("k")
    return root


def _same_size_same_time(root: Path) -> None:
    """A change no size or time shows: same length, the modification time set back."""
    path = root / "data" / "facts" / "a.csv"
    info = path.stat()
    path.write_text(path.read_text().replace("1", "2"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _folder_made_read_only_with_a_new_file(root: Path) -> None:
    (root / "data" / "facts" / "b.csv").write_text("id\n")
    (root / "data" / "facts").chmod(0o555)


def _link_pointed_elsewhere(root: Path) -> None:
    (root / "_build" / "sites" / "two").mkdir()
    (root / "_build" / "html").unlink()
    (root / "_build" / "html").symlink_to("sites/two")


def _file_replaced_by_a_folder(root: Path) -> None:
    (root / "_build" / "cache.key").unlink()
    (root / "_build" / "cache.key").mkdir()
    (root / "_build" / "cache.key" / "inside").write_text("x")


def _folder_removed(root: Path) -> None:
    for path in (root / "_build" / "sites" / "one").iterdir():
        path.unlink()
    (root / "_build" / "sites" / "one").rmdir()


def _special_files(root: Path) -> None:
    os.mkfifo(root / "data" / "facts" / "pipe.csv")
    (root / "data" / "facts" / "a.csv").unlink()
    (root / "data" / "facts" / "a.csv").symlink_to("/dev/null")


def _mode_changed(root: Path) -> None:
    (root / "data" / "register.yaml").chmod(0o600)


CHANGES = [_same_size_same_time, _folder_made_read_only_with_a_new_file, _link_pointed_elsewhere,
           _file_replaced_by_a_folder, _folder_removed, _special_files, _mode_changed]


@pytest.mark.parametrize("change", CHANGES + [lambda root: [change(root) for change in CHANGES[1:]]],
                         ids=[c.__name__ for c in CHANGES] + ["all"])
def test_a_restore_undoes_what_a_test_did(template: Path, tmp_path: Path, change):
    copy = TreeCopy(template, tmp_path / "book")
    root = copy.restore()
    assert _tree(root) == _tree(template)
    change(root)
    assert _tree(root) != _tree(template)
    assert copy.restore() == root
    assert _tree(root) == _tree(template)
    change(root)  # and again, from the state the restore recorded
    copy.restore()
    assert _tree(root) == _tree(template)


def test_a_restore_copies_again_only_what_changed(template: Path, tmp_path: Path):
    copy = TreeCopy(template, tmp_path / "book")
    root = copy.restore()
    kept = (root / "_build" / "sites" / "one" / "index.html").stat().st_ino
    (root / "data" / "register.yaml").write_text("title: y\n")
    copy.restore()
    assert (root / "_build" / "sites" / "one" / "index.html").stat().st_ino == kept
    assert (root / "data" / "register.yaml").read_text() == "title: x\n"
