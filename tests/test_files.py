"""Which files the book reads: regular files inside their folder, named by plain relative names."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from icebook.core import files
from icebook.core.errors import DataError
from icebook.core.versions import data_version
from icebook.data.collect import Collector
from icebook.data.read import check_files
from icebook.data.registry import load_sources

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "project" / "data")


def test_a_regular_file_and_a_link_inside_the_folder_may_be_read(data: Path):
    (data / "facts" / "linked.csv").symlink_to(data / "facts" / "sample.csv")
    assert files.problem(data / "facts" / "sample.csv", data) is None
    assert files.problem(data / "facts" / "linked.csv", data) is None


@pytest.mark.parametrize("make, says", [
    (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
    (lambda p: os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(1, 5)), "is a character device, not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "is a symbolic link to /dev/zero, outside data/"),
    (lambda p: p.symlink_to(p.parent / "gone.csv"), "is a symbolic link to a missing file, not a regular file"),
    (lambda p: p.mkdir(), "is a folder, not a regular file"),
])
def test_a_special_file_is_refused_without_being_opened(data: Path, make, says: str):
    path = data / "facts" / "extra.csv"
    make(path)
    assert files.problem(path, data).startswith(says)


def test_a_link_that_leaves_the_folder_is_refused_naming_its_target(data: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("id\n")
    (data / "facts" / "extra.csv").symlink_to(outside)
    assert files.problem(data / "facts" / "extra.csv", data) == (
        f"is a symbolic link to {outside}, outside data/; the book reads only files inside it: copy the file in "
        "instead")


@pytest.mark.parametrize("name, says", [
    ("/etc/passwd", "is an absolute path"), ("../../../o/secret.md", "climbs out of its folder with '..'"),
    ("a/../../b.md", "climbs out of its folder with '..'"), ("", "is empty"), ("ok.md", None), ("sub/ok.md", None),
])
def test_a_file_named_in_the_data_must_be_a_plain_relative_name(name: str, says: str | None):
    assert (files.plain_name(name) or "").startswith(says or "")
    assert (files.plain_name(name) is None) == (says is None)


@pytest.mark.parametrize("make, says", [
    (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
    (lambda p: os.mknod(p, stat.S_IFCHR | 0o600, os.makedev(1, 5)), "is a character device, not a regular file"),
    (lambda p: p.symlink_to("/dev/zero"), "is a symbolic link to /dev/zero, outside data/"),
])
def test_validation_stops_at_a_special_file_in_data_naming_it(data: Path, make, says: str):
    make(data / "facts" / "zero.csv")
    with pytest.raises(DataError) as caught:
        check_files(data)
    [problem] = caught.value.problems
    assert problem.file == "data/facts/zero.csv" and problem.message.startswith(says)


def _registry_with_file(data: Path, name: str) -> None:
    registry = data / "sources.yaml"
    registry.write_text(registry.read_text().replace("file: sample.md", f"file: {name!r}"))


@pytest.mark.parametrize("name, says", [
    ("../../../o/secret.md", "file '../../../o/secret.md' climbs out of its folder with '..'"),
    ("/tmp/secret.md", "file '/tmp/secret.md' is an absolute path"),
])
def test_a_source_file_outside_data_sources_is_refused_and_not_read(data: Path, name: str, says: str):
    _registry_with_file(data, name)
    col = Collector(data)
    _, texts = load_sources(data, col)
    assert texts == {}
    assert [(p.record, p.field) for p in col.problems] == [("sample", "file")]
    assert col.problems[0].message.startswith(says)


def test_a_source_text_linked_from_outside_the_repository_is_refused_even_with_its_hash(data: Path, tmp_path: Path):
    text = data / "sources" / "sample.md"
    outside = tmp_path / "secret.md"
    shutil.copy2(text, outside)  # the same bytes: its recorded hash matches
    text.unlink()
    text.symlink_to(outside)
    col = Collector(data)
    _, texts = load_sources(data, col)
    assert texts == {}
    assert [p.message for p in col.problems] == [
        f"source text data/sources/sample.md is a symbolic link to {outside}, outside data/sources/; the book reads "
        "only files inside it: copy the file in instead"]
    with pytest.raises(DataError):
        check_files(data)


def test_a_link_to_an_identical_copy_changes_the_data_version(data: Path, tmp_path: Path):
    """So a build after the swap validates again, and refuses it, instead of finding nothing changed."""
    before = data_version(data)
    text = data / "sources" / "sample.md"
    shutil.copy2(text, tmp_path / "copy.md")
    text.unlink()
    text.symlink_to(tmp_path / "copy.md")
    assert data_version(data) != before


def test_a_fifo_changes_the_data_version_without_being_read(data: Path):
    before = data_version(data)
    os.mkfifo(data / "facts" / "pipe.csv")
    assert data_version(data) != before  # returns at all: the FIFO was not opened
