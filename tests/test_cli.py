"""The command line refuses values it cannot use with one message, before anything runs or is created."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from icebook.build.analyst import check_out
from icebook.build.command import _parse_overrides
from icebook.core.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]


def icebook(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "icebook", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "lib"), **(env or {})}, timeout=120)


@pytest.mark.parametrize("value", ["-5", "0", "1e3", "soon", "None "])
def test_a_cell_timeout_that_is_not_a_positive_whole_number_or_none_is_refused(value: str):
    result = icebook("build", "--cell-timeout", value)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"icebook build: error: argument --cell-timeout: {value!r}: give a "
                                              "positive whole number of seconds, or 'none' for no limit")
    assert "Traceback" not in result.stderr


def test_a_repeated_parameter_that_takes_a_list_adds_its_values():
    given = _parse_overrides("comparison", ["fiscal_years=2017,2018", "fiscal_years=2020", "baseline_year=2017"])
    assert given == {"fiscal_years": [2017, 2018, 2020], "baseline_year": 2017}


def test_a_repeated_parameter_that_takes_one_value_is_refused():
    with pytest.raises(ParameterError) as caught:
        _parse_overrides("comparison", ["baseline_year=2017", "baseline_year=2019"])
    assert str(caught.value) == ("-p 'baseline_year' is given twice, and chapter 'comparison''s parameter "
                                 "'baseline_year' takes one value; give it once")


@pytest.mark.parametrize("command", [["validate"], ["build"], ["export", "--out", "x"], ["rollback"]])
def test_an_icebook_root_that_does_not_exist_is_refused_and_not_created(tmp_path: Path, command: list[str]):
    missing = tmp_path / "no-such-project"
    result = icebook(*command, env={"ICEBOOK_ROOT": str(missing)}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: the project folder ICEBOOK_ROOT={str(missing)!r} ({missing}) does not exist; "
                             "point ICEBOOK_ROOT to a checkout of the book, or unset it\n")
    assert list(tmp_path.iterdir()) == []


def test_an_icebook_root_that_is_a_file_is_refused(tmp_path: Path):
    file = tmp_path / "project.txt"
    file.write_text("not a folder\n")
    result = icebook("validate", env={"ICEBOOK_ROOT": str(file)}, cwd=tmp_path)
    assert result.returncode == 1
    assert f"({file}) is not a folder" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["project.txt"]


def test_an_icebook_root_without_chapters_is_refused_by_the_build(tmp_path: Path):
    (tmp_path / "data").mkdir()
    result = icebook("build", env={"ICEBOOK_ROOT": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "has no chapters/ folder" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


def test_a_busy_preview_port_is_refused_before_any_build():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = icebook("preview", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr == (f"error: cannot serve on 127.0.0.1:{port}: it is in use (another preview, or another "
                             "server?); stop that server, or give another port with --port PORT (0: any free one)\n")
    assert "rebuilding" not in result.stdout


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_that_cannot_be_one_is_refused(port: str):
    result = icebook("preview", "--port", port)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"icebook preview: error: argument --port: {port!r}: a port is a whole "
                                              "number from 0 to 65535 (0: any free one)")


@pytest.mark.parametrize("where, says", [("/", "the root folder"), ("~", "your home folder")])
def test_analyst_out_is_never_the_root_or_the_home_folder(where: str, says: str):
    target = Path(where).expanduser().resolve()
    with pytest.raises(ParameterError) as caught:
        check_out(target, where, ROOT / "_build" / "analysis")
    assert str(caught.value) == f"--out {where}: {target} is {says}; give a new or empty folder for the run"
