"""The cache of validated data: read instead of loading only for the very same inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from icebook.core import cache as datacache


@pytest.fixture
def loads(tmp_path: Path, monkeypatch) -> list[str]:
    monkeypatch.setattr(datacache, "CACHE", tmp_path / "cache")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.csv").write_text("id,value\na,1\n")
    return []


def _load(calls: list[str]):
    def load(data_dir: Path) -> str:
        calls.append(data_dir.name)
        return (data_dir / "facts.csv").read_text()
    return load


def test_same_files_are_read_from_the_cache_and_an_edit_loads_again(tmp_path: Path, loads: list[str]):
    data = tmp_path / "data"
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert loads == ["data"]  # the second process would read the pickle
    (data / "facts.csv").write_text("id,value\na,2\n")
    assert datacache.cached(data, _load(loads)) == "id,value\na,2\n"
    (data / "notes.yaml").write_text("a: note\n")  # a new file is a new version too
    datacache.cached(data, _load(loads))
    assert loads == ["data"] * 3
    assert len(list((tmp_path / "cache").glob("book-*.pickle"))) == 1  # older entries are dropped


def test_a_damaged_entry_is_loaded_afresh_and_an_unwritable_cache_is_skipped(tmp_path: Path, loads: list[str]):
    data = tmp_path / "data"
    datacache.cached(data, _load(loads))
    [entry] = (tmp_path / "cache").glob("book-*.pickle")
    entry.write_bytes(entry.read_bytes()[:5])
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert loads == ["data", "data"]
    (tmp_path / "cache").rename(tmp_path / "moved")
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert loads == ["data"] * 3


def test_an_object_is_made_once_per_inputs_and_a_damaged_entry_is_made_again(tmp_path: Path, monkeypatch):
    """``cached_object`` (the detectors' sweep, the coverage spans): made for new inputs, read back for the same,
    and made again when its entry is damaged."""
    monkeypatch.setattr(datacache, "CACHE", tmp_path / "cache")
    made: list[int] = []

    def make() -> dict:
        made.append(1)
        return {"candidates": ("a", "b")}

    assert datacache.cached_object("sweeps", b"texts v1", make) == {"candidates": ("a", "b")}
    assert datacache.cached_object("sweeps", b"texts v1", make) == {"candidates": ("a", "b")}
    assert len(made) == 1
    (entry,) = (tmp_path / "cache" / "sweeps").iterdir()
    entry.write_bytes(b"not a pickle")
    assert datacache.cached_object("sweeps", b"texts v1", make) == {"candidates": ("a", "b")}
    assert len(made) == 2  # the damaged entry made again
    datacache.cached_object("sweeps", b"texts v2", make)
    assert len(made) == 3  # other inputs, another entry


class _Planted:
    """A pickle that, when loaded, writes a file: what a crafted cache entry could do."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "code from the cache ran"))


@pytest.fixture
def own_key(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(datacache, "KEY", tmp_path / "cache.key")
    datacache._key.cache_clear()
    yield tmp_path / "cache.key"
    datacache._key.cache_clear()


def test_a_pickle_placed_in_the_cache_is_refused_unread_and_made_again(tmp_path: Path, loads: list[str], own_key):
    import pickle

    data = tmp_path / "data"
    datacache.cached(data, _load(loads))
    [entry] = (tmp_path / "cache").glob("book-*.pickle")
    ran = tmp_path / "ran.txt"
    entry.write_bytes(pickle.dumps(_Planted(ran)))  # the right name, content not sealed by the cache's key
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"
    assert not ran.exists()
    assert loads == ["data", "data"]
    assert datacache.cached(data, _load(loads)) == "id,value\na,1\n"  # the entry made again is read back
    assert loads == ["data", "data"]
    assert own_key.stat().st_mode & 0o777 == 0o600


def test_a_sealed_entry_from_another_key_is_refused(tmp_path: Path, monkeypatch, own_key):
    """A copy of another checkout's cache (another key) is made again, never loaded."""
    monkeypatch.setattr(datacache, "CACHE", tmp_path / "cache")
    made: list[int] = []
    assert datacache.cached_bytes("charts/a.svg", lambda: made.append(1) or b"<svg/>") == b"<svg/>"
    entry = tmp_path / "cache" / "charts" / "a.svg"
    entry.write_bytes(b"\0" * datacache.SEAL + b"<svg onload='alert(1)'/>")
    assert datacache.cached_bytes("charts/a.svg", lambda: made.append(1) or b"<svg/>") == b"<svg/>"
    assert len(made) == 2
    own_key.write_bytes(b"k" * 32)  # another key: every entry is refused
    datacache._key.cache_clear()
    assert datacache.cached_bytes("charts/a.svg", lambda: made.append(1) or b"<svg/>") == b"<svg/>"
    assert len(made) == 3
