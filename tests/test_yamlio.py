"""The one YAML loader: what yaml.safe_load reads, less duplicate keys, tags and aliases, each named by its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from icebook.core import yamlio
from icebook.core.errors import ConfigError, brief

ROOT = Path(__file__).resolve().parents[1]


def refusal(text: str) -> yamlio.YAMLProblem:
    with pytest.raises(yamlio.YAMLProblem) as caught:
        yamlio.load(text)
    return caught.value


def test_a_duplicate_key_is_named_with_both_lines():
    problem = refusal("- id: a\n  formula: x / y\n  inputs: {x: f1, y: f2}\n  formula: x * y\n")
    assert problem.line == 4
    assert str(problem).startswith("duplicate key 'formula' on line 4 (first on line 2)")
    assert refusal("{a: 1, b: 2, a: 3}").line == 1


def test_keys_that_yaml_reads_as_the_same_value_are_duplicates():
    assert "duplicate key 1" in str(refusal("1: one\n0x1: also one\n"))


def test_a_key_repeated_in_different_mappings_is_no_duplicate():
    assert yamlio.load("- {id: a, label: A}\n- {id: b, label: B}\n") == [{"id": "a", "label": "A"},
                                                                         {"id": "b", "label": "B"}]


@pytest.mark.parametrize("text, tag", [
    ("cmd: !!python/object/apply:os.system ['touch /tmp/icebook-pwned']\n", "!!python/object/apply:os.system"),
    ("n: !!str 12\n", "!!str"),
    ("s: !!set {a, b}\n", "!!set"),
    ("x: !custom value\n", "!custom"),
])
def test_a_tag_is_refused_and_nothing_it_names_runs(text: str, tag: str):
    problem = refusal(text)
    assert str(problem).startswith(f"the tag {tag} on line 1 is not allowed")
    assert not Path("/tmp/icebook-pwned").exists()


def test_an_alias_is_refused_at_its_own_line():
    problem = refusal("a: &shared [1, 2]\nb: 3\nc: *shared\n")
    assert problem.line == 3
    assert str(problem).startswith("an alias (*name) on line 3 is not allowed")


def test_an_alias_bomb_is_refused_before_it_expands():
    """Nine levels of nine aliases each: 387 million strings if constructed; refused at the first alias."""
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, below in zip("bcdefghi", "abcdefgh", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{below}'] * 9)}]")
    assert refusal("\n".join(levels) + "\ncell_timeout: *i\n").line == 2


def test_a_merge_key_is_refused():
    assert "a merge key (<<) on line 1 is not allowed" in str(refusal("- <<: {a: 1}\n  b: 2\n"))


def test_plain_values_read_as_safe_load_reads_them():
    text = "date: 2019-12-01\nquoted: '12'\nflag: yes\nblock: |\n  two\n  lines\nnothing:\nn: 1.5e3\n"
    assert yamlio.load(text) == yaml.safe_load(text)


def test_a_date_that_does_not_exist_is_a_problem_on_its_line():
    """PyYAML reads 2019-02-30 as a date and fails with a bare ValueError."""
    problem = refusal("- id: a\n  date: 2019-02-30\n")
    assert problem.line == 2
    assert str(problem) == ("'2019-02-30' on line 2 is not a date (day is out of range for month); write a date "
                            "that exists")


def test_a_syntax_error_is_one_bounded_message_quoting_its_lines():
    problem = refusal("- id: a\n  label: [one, two\n- id: b\n" + "x" * 10_000)
    assert str(problem).startswith("malformed YAML: while parsing a flow sequence on line 2 ('label: [one, two')")
    assert len(str(problem)) < 500


def test_every_yaml_file_of_the_book_reads_as_safe_load_reads_it():
    files = [*sorted((ROOT / "data").rglob("*.yaml")), ROOT / "chapters" / "params.yml", ROOT / "_config.yml",
             ROOT / "_toc.yml"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert repr(yamlio.load(text)) == repr(yaml.safe_load(text)), path


@pytest.mark.parametrize("content, message", [
    (None, "_config.yml is missing"),
    ("- a\n- b\n", "_config.yml must hold a mapping (KEY: VALUE lines), not a list"),
    ("", "_config.yml must hold a mapping (KEY: VALUE lines), not nothing (the file is empty)"),
    ("title: x\nlogo: !!python/name:os.system\n", "_config.yml: the tag !!python/name:os.system on line 2 is not"),
    ("title: [x\n", "_config.yml: malformed YAML: "),
    (b"title: \xff\n", "_config.yml is not UTF-8 text; re-save it as UTF-8"),
])
def test_a_configuration_file_that_cannot_be_read_is_one_message_naming_it(tmp_path, content, message):
    path = tmp_path / "_config.yml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        yamlio.load_config(path, tmp_path, tmp_path)
    assert str(caught.value).startswith(message)


def test_a_configuration_file_that_is_a_fifo_is_refused_without_reading_it(tmp_path):
    import os

    os.mkfifo(tmp_path / "_toc.yml")
    with pytest.raises(ConfigError) as caught:
        yamlio.load_config(tmp_path / "_toc.yml", tmp_path, tmp_path)
    assert str(caught.value) == "_toc.yml is a FIFO (named pipe), not a regular file; the book reads only regular files"


def test_brief_cuts_a_long_value_and_says_how_long_it_was():
    assert brief("short") == "'short'"
    shown = brief("x" * 5000, 20)
    assert shown == f"{repr('x' * 5000)[:20]}… (5,002 characters)"


PLAIN = ["", "# nothing\n", "---\n", "a word",
         "- 1\n- 2.5\n- .inf\n- 0x1F\n- 1_000\n- yes\n- No\n- null\n- ~\n- 2019-12-01\n"
         "- 2001-12-14t21:59:43.10-05:00\n- '12'\n- \"x\\ty\"\n- |\n  two\n  lines\n- >\n  folded\n  text\n",
         "~: null key\nb: 1\n", "{a: {b: [1, {c: d}]}, e: [], f: {}}", "- - - 1\n  - 2\n- 3\n",
         "1: one\n'1': text one\n"]


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_document_built_from_the_parser_s_events_is_what_the_strict_loader_builds(text):
    assert repr(yamlio._plain(text)) == repr(yaml.load(text, Loader=yamlio.FAST_LOADER))  # noqa: S506


@pytest.mark.parametrize("text", ["a: &x 1\n", "a: [1]\nb: *a\n", "n: !!str 12\n", "n: ! 12\n", "a: 1\na: 2\n",
                                  "true: a\n1: b\n", "<<: {a: 1}\n", "? [a]\n: 1\n", "--- 1\n--- 2\n", "a: =\n"])
def test_a_document_that_is_not_plain_is_left_to_the_strict_loader(text):
    with pytest.raises(yamlio._NotPlain):
        yamlio._plain(text)
