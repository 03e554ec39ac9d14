"""Chapter parameters are checked before papermill sees them."""


import nbformat
import pytest

from conftest import write_chapter
from icebook.build import params
from icebook.build.params import CHAPTERS, ROOT, check_parameters, load_jobs, parse_cli_value
from icebook.core.errors import ParameterError

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
    before, _, after = params.read_text().rpartition("baseline_year: {")  # the comparison's, the last declared
    params.write_text(f"{before}baseline_yaer: {{{after}")
    with pytest.raises(ParameterError, match=r"\['baseline_yaer'\] declared in params.yml are not in comparison.md"):
        load_jobs(params)


def test_one_value_for_a_fan_out_parameter_makes_one_page():
    jobs = [j for j in load_jobs(overrides={"profiles": {"component": "HSI"}}) if j.chapter == "profiles"]
    assert [(j.page, j.parameters) for j in jobs] == [("profile-hsi", {"component": "HSI"})]


@pytest.mark.parametrize("value", ["'soon'", "0", "true"])
def test_a_cell_timeout_that_is_not_a_whole_number_of_seconds_is_refused(tmp_path, value):
    from icebook.build.params import configured_cell_timeout

    params = tmp_path / "params.yml"
    params.write_text(f"cell_timeout: {value}\nchapters: {{}}\n")
    with pytest.raises(ParameterError, match="cell_timeout must be a whole number of seconds"):
        configured_cell_timeout(params)


@pytest.mark.parametrize(("text", "why"), [
    ("---\nkernelspec: [\n---\n", "front matter: malformed YAML: while parsing a flow node on line 3"),
    ("# A chapter\n\n```{code-cell} ipython3\nx = 1\n", "the code cell opened at line 3 is not closed"),
    ("# A page of Markdown, not a notebook\n", "its front matter names no kernelspec"),
])
def test_a_chapter_that_is_not_a_text_notebook_is_named(tmp_path, text, why):
    from icebook.build.params import notebook_parameters
    from icebook.core.errors import BuildError

    notebook = tmp_path / "broken.md"
    notebook.write_text(text)
    with pytest.raises(BuildError, match=rf"broken.md is not a readable text notebook \({why}"):
        notebook_parameters(notebook)


def test_the_parameters_are_those_of_the_cell_tagged_parameters(tmp_path):
    from icebook.build.params import notebook_parameters

    cells = [nbformat.v4.new_code_cell("unrelated = 1"),
             nbformat.v4.new_code_cell("fiscal_years = [2019]\nbaseline_year: int = 2019",
                                       metadata={"tags": ["parameters", "remove-cell"]}),
             nbformat.v4.new_code_cell("later = 2")]
    assert notebook_parameters(write_chapter(tmp_path / "page.md", *cells)) == {"fiscal_years", "baseline_year"}


def test_no_module_types_a_fiscal_year():
    """The years a page covers come from chapters/params.yml or the vocabulary, never from a literal in code."""
    import ast

    typed = [f"{path.name}:{node.lineno}: {node.value}" for path in sorted((ROOT / "lib" / "icebook").rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and type(node.value) is int and 2000 <= node.value <= 2035]
    assert typed == []


def test_the_home_page_sets_the_comparisons_years_against_each_other():
    """The key findings on the home page compare the years the comparison page compares: the home chapter
    declares the same parameters, with the same defaults (the pages take the years as arguments and never read
    chapters/params.yml themselves)."""
    assert params.chapter_spec("home")["parameters"] == params.chapter_spec("comparison")["parameters"]


def test_an_undeclared_parameter_default_is_refused():
    with pytest.raises(ParameterError, match="chapter 'comparison' has no parameter 'component'"):
        params.default_value("comparison", "component")
