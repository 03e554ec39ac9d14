"""Chapter parameters are checked before papermill sees them."""

import os

import pytest

from icebook import params
from icebook.errors import ParameterError
from icebook.params import CHAPTERS, ROOT, check_parameters, load_jobs, parse_cli_value

DECLARED = {
    "fiscal_years": {"type": "fiscal_year", "many": True, "default": [2017, 2018, 2019, 2020]},
    "baseline_year": {"type": "fiscal_year", "default": 2017, "baseline_in": "fiscal_years"},
}


def test_published_parameter_sets_are_valid_and_fan_out_to_one_page_per_component():
    jobs = load_jobs()
    profiles = sorted(j.page for j in jobs if j.chapter == "profiles")
    assert profiles == ["profile-ero", "profile-hsi", "profile-ihsc", "profile-ma", "profile-ope",
                        "profile-opla", "profile-opr"]
    assert len({j.page for j in jobs}) == len(jobs)


def test_defaults_fill_missing_parameters():
    assert check_parameters("comparison", DECLARED, {}) == {"fiscal_years": [2017, 2018, 2019, 2020],
                                                            "baseline_year": 2017}


@pytest.mark.parametrize("given, message", [
    ({"fiscal_yeras": [2019]}, "unknown parameter(s) ['fiscal_yeras']; this chapter takes"),
    ({"fiscal_years": [2002, 2019]}, "parameter 'fiscal_years': 2002 is not allowed; allowed values: [2003"),
    ({"fiscal_years": 2019}, "parameter 'fiscal_years': expected a list"),
    ({"baseline_year": "2019"}, "parameter 'baseline_year': '2019' is not a int"),
    ({"fiscal_years": [2019, 2020], "baseline_year": 2017}, "'baseline_year': 2017 must be one of fiscal_years"),
])
def test_bad_parameters_name_chapter_parameter_and_allowed_values(given, message):
    with pytest.raises(ParameterError) as caught:
        check_parameters("comparison", DECLARED, given)
    assert "chapter 'comparison'" in str(caught.value)
    assert message in str(caught.value)


def test_command_line_values_are_read_by_declared_type():
    assert parse_cli_value("comparison", "fiscal_years", DECLARED["fiscal_years"], "2019, 2020") == [2019, 2020]
    with pytest.raises(ParameterError, match="'twenty' is not a fiscal year"):
        parse_cli_value("comparison", "fiscal_years", DECLARED["fiscal_years"], "twenty")


def test_a_declared_parameter_the_notebook_does_not_take_is_refused(tmp_path):
    import shutil

    shutil.copytree(CHAPTERS, tmp_path / "chapters")
    params = tmp_path / "chapters" / "params.yml"
    params.write_text(params.read_text().replace("baseline_year: {", "baseline_yaer: {"))
    with pytest.raises(ParameterError, match=r"\['baseline_yaer'\] declared in params.yml are not in comparison.ipynb"):
        load_jobs(params)


def test_one_value_for_a_fan_out_parameter_makes_one_page():
    jobs = [j for j in load_jobs(overrides={"profiles": {"component": "HSI"}}) if j.chapter == "profiles"]
    assert [(j.page, j.parameters) for j in jobs] == [("profile-hsi", {"component": "HSI"})]


@pytest.mark.parametrize("value", ["'soon'", "0", "true"])
def test_a_cell_timeout_that_is_not_a_whole_number_of_seconds_is_refused(tmp_path, value):
    from icebook.params import configured_cell_timeout

    params = tmp_path / "params.yml"
    params.write_text(f"cell_timeout: {value}\nchapters: {{}}\n")
    with pytest.raises(ParameterError, match="cell_timeout must be a whole number of seconds"):
        configured_cell_timeout(params)


def test_a_notebook_that_is_not_json_is_named(tmp_path):
    from icebook.errors import BuildError
    from icebook.params import notebook_parameters

    notebook = tmp_path / "broken.ipynb"
    notebook.write_text('{"cells": [')
    with pytest.raises(BuildError, match=r"broken.ipynb is not a readable notebook \(JSONDecodeError"):
        notebook_parameters(notebook)


def test_no_module_types_a_fiscal_year():
    """The years a page covers come from chapters/params.yml or the vocabulary, never from a literal in code."""
    import ast

    typed = [f"{path.name}:{node.lineno}: {node.value}" for path in sorted((ROOT / "lib" / "icebook").glob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and type(node.value) is int and 2000 <= node.value <= 2035]
    assert typed == []


def test_key_findings_take_the_comparison_defaults_from_params_yml(tmp_path):
    import subprocess
    import sys

    (tmp_path / "chapters").mkdir()
    published = (ROOT / "chapters" / "params.yml").read_text(encoding="utf-8")
    edited = published.replace("default: [2017, 2018, 2019, 2020]", "default: [2018, 2019, 2020]").replace(
        "default: 2017, baseline_in", "default: 2018, baseline_in")
    assert edited.count("2018, 2019, 2020]") == 1 and "default: 2018, baseline_in" in edited
    (tmp_path / "chapters" / "params.yml").write_text(edited, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "from icebook import keyfindings as k; "
                             "print(k.FISCAL_YEARS, k.BASELINE_YEAR)"], capture_output=True, text=True,
                            env={**os.environ, "ICEBOOK_ROOT": str(tmp_path)}, check=True)
    assert result.stdout.split("\n")[0] == "[2018, 2019, 2020] 2018"


def test_an_undeclared_parameter_default_is_refused():
    with pytest.raises(ParameterError, match="chapter 'comparison' has no parameter 'component'"):
        params.default_value("comparison", "component")
