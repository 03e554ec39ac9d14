"""A file's digest is read once while the file stays as it was, and read again once it changes (core/files.py):
the build hashes the same files for every page's key."""

from __future__ import annotations

import os

from icebook.core.files import digest_files


def test_a_changed_file_changes_the_digest_and_an_unchanged_one_keeps_it(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,value\na,1\n")
    first = digest_files([path], tmp_path)
    assert digest_files([path], tmp_path) == first
    path.write_text("id,value\na,2\n")  # same size, new bytes
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert digest_files([path], tmp_path) != first
