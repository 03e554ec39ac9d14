"""YAML as the book reads it: one strict loader for every YAML file of the project.

It reads what ``yaml.safe_load`` reads, with PyYAML's binding to libyaml where PyYAML has it (about twelve times as
fast as its pure-Python parser), and refuses three things a plain safe load accepts silently:

* a **duplicate key** in a mapping (PyYAML keeps the last value: a second ``formula:`` would publish a wrong
  figure), named with its line and the line of the first;
* a **tag** (``!!python/object``, ``!!str``, ``!custom``): no file of the book needs one, and a tag changes what a
  value is;
* an **alias** (``*name``): no file of the book uses anchors, and aliases nested in each other make a small file
  expand to billions of values (an "alias bomb"). Merge keys (``<<``) are refused with them.

Each refusal, and each syntax error, is a :class:`YAMLProblem` with the line it is on and a message of bounded
length. On malformed YAML the pure-Python parser reads the text again, so the message quotes what libyaml's
does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.resolver import Resolver

from icebook.core import files
from icebook.core.errors import ConfigError, brief

_STANDARD = "tag:yaml.org,2002:"
_MAP, _SEQ, _MERGE = _STANDARD + "map", _STANDARD + "seq", _STANDARD + "merge"


class YAMLProblem(ValueError):
    """YAML the book does not read: malformed, or with a duplicate key, a tag or an alias. ``line`` is 1-based
    (None when the parser gave no position)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _Alias(YAMLProblem):
    """An alias met while constructing: the line is the anchor's until :func:`load` finds the alias's own."""

    def __init__(self, line: int | None):
        super().__init__(f"an alias (*name){_on(line)} is not allowed; the book's YAML uses no anchors or "
                         "aliases: write the value out", line)


def _alias_line(text: str) -> int | None:
    """The line of the first alias in ``text`` (the parser's events: linear in the text, nothing expanded)."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return None


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _on(line: int | None) -> str:
    return f" on line {line}" if line else ""


class _StrictConstructor(SafeConstructor):
    """SafeConstructor that refuses duplicate keys, explicit tags, aliases and merge keys."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Alias(_line(node))
        self._check_tag(node)
        return super().construct_object(node, deep)

    def _check_tag(self, node: Node) -> None:
        """A node whose tag is not the one its text resolves to without a tag carries an explicit tag."""
        if isinstance(node, ScalarNode):
            plain = node.style in (None, "")  # libyaml's binding marks a plain scalar '', the pure parser None
            implicit = self.resolve(ScalarNode, node.value, (plain, not plain))
        else:
            implicit = _MAP if isinstance(node, MappingNode) else _SEQ
        if node.tag != implicit:
            shown = brief(_tag(node.tag), 60, quote=False)
            raise YAMLProblem(f"the tag {shown}{_on(_line(node))} is not allowed; the book's YAML uses no tags: "
                              "write the plain value", _line(node))

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                raise YAMLProblem(f"a merge key (<<){_on(_line(key_node))} is not allowed; the book's YAML uses no "
                                  "anchors or aliases: write the keys out", _line(key_node))
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise YAMLProblem(f"the mapping key{_on(_line(key_node))} is a list or mapping; a key must be a "
                                  "plain value", _line(key_node)) from None
            if first is not None:
                raise YAMLProblem(f"duplicate key {brief(key, 60)}{_on(_line(key_node))} (first on line {first}); "
                                  "a key may appear once in a mapping, and YAML would keep only the last value",
                                  _line(key_node))
            seen[key] = _line(key_node)
        # Each key is constructed again below from the cache of constructed objects; drop them so that the
        # check above does not take a key met twice for an alias.
        for key_node, _ in node.value:
            self.constructed_objects.pop(key_node, None)
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """A date or time as YAML reads one; one that cannot be (2019-02-30) is a problem on its line, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise YAMLProblem(f"{brief(node.value, 40)}{_on(_line(node))} is not a date ({error}); write a date "
                              "that exists", _line(node)) from None


_StrictConstructor.add_constructor(_STANDARD + "timestamp", _StrictConstructor.construct_yaml_timestamp)


class _PureLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                  _StrictConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _StrictConstructor.__init__(self)
        Resolver.__init__(self)


try:
    from yaml.cyaml import CParser

    class _FastLoader(CParser, _StrictConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictConstructor.__init__(self)
            Resolver.__init__(self)

    FAST_LOADER: type = _FastLoader
except ImportError:  # PyYAML built without libyaml
    CParser = None
    FAST_LOADER = _PureLoader


class _NotPlain(Exception):
    """A document ``_plain`` leaves to the strict loader."""


_PLAIN_TAGS = {_STANDARD + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_STR = _STANDARD + "str"


def _plain(text: str) -> Any:
    """The document in ``text``, built straight from libyaml's events when it is plain: one document, with no
    anchor, alias or tag anywhere, whose mappings have plain values as keys, each once, and whose every value
    resolves to text, a number, true or false, null or a date that exists. Anything else raises _NotPlain (or
    the parser's error), and the strict loader reads the document again: it gives the same values for a plain
    document, and names what is wrong in any other. Most of the time of reading a long file goes to the node
    graph the loader composes before it constructs a value; a plain document needs none."""
    parser, resolver, constructor = CParser(text), Resolver(), _StrictConstructor()
    next_event = parser.get_event
    if type(next_event()) is not yaml.StreamStartEvent or type(event := next_event()) is yaml.StreamEndEvent:
        return None  # no document: what yaml.load gives
    if type(event) is not yaml.DocumentStartEvent:
        raise _NotPlain
    no_key, in_list = object(), object()  # a mapping's state between a value and its next key; a list's
    open_: list[tuple[Any, Any]] = []  # the collections the events are inside, each with its pending key
    while True:
        event = next_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            tag = resolver.resolve(ScalarNode, event.value, event.implicit)
            if tag == _STR:
                value = event.value
            elif tag in _PLAIN_TAGS:
                value = constructor.yaml_constructors[tag](constructor, ScalarNode(
                    tag, event.value, event.start_mark, event.end_mark, event.style))
            else:
                raise _NotPlain
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or (open_ and open_[-1][1] is no_key):
                raise _NotPlain  # a collection as a mapping's key, too
            open_.append(({}, no_key) if kind is yaml.MappingStartEvent else ([], in_list))
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = open_.pop()[0]
        else:
            raise _NotPlain  # an alias, or a second document
        if not open_:
            break
        collection, key = open_[-1]
        if key is in_list:
            collection.append(value)
        elif key is no_key:
            if value in collection:
                raise _NotPlain  # a duplicate key
            open_[-1] = (collection, value)
        else:
            collection[key] = value
            open_[-1] = (collection, no_key)
    if type(next_event()) is not yaml.DocumentEndEvent or type(next_event()) is not yaml.StreamEndEvent:
        raise _NotPlain
    return value


def _at(mark: yaml.Mark | None) -> str:
    """Where a mark is: its line and, cut short, the text on it."""
    if mark is None:
        return ""
    lines = (mark.get_snippet(indent=0, max_length=75) or "").splitlines()
    text = lines[0].strip() if lines else ""
    return f" on line {mark.line + 1}" + (f" ({brief(text, 80)})" if text else "")


def _from_yaml_error(error: yaml.YAMLError) -> YAMLProblem:
    """A PyYAML syntax error as one bounded message with its line, quoting the text where it is."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return YAMLProblem("malformed YAML: " + brief(str(error), 300, quote=False))
    parts = [f"{brief(error.context, 100, quote=False)}{_at(error.context_mark)}" if error.context else "",
             f"{brief(error.problem or 'cannot be read', 100, quote=False)}{_at(error.problem_mark)}"]
    mark = error.problem_mark or error.context_mark
    return YAMLProblem("malformed YAML: " + ": ".join(p for p in parts if p), mark.line + 1 if mark else None)


def load(text: str) -> Any:
    """The YAML document in ``text``, read strictly; raises :class:`YAMLProblem`."""
    if CParser is not None:
        try:
            return _plain(text)
        except (_NotPlain, yaml.YAMLError, ValueError):
            pass  # read again below, and what is wrong named
    try:
        return yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 - the strict loader constructs plain values only
    except _Alias:
        raise _Alias(_alias_line(text)) from None
    except YAMLProblem:
        raise
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_PureLoader)  # noqa: S506 - as above; its error quotes the line
    except YAMLProblem:
        raise
    except yaml.YAMLError as error:
        raise _from_yaml_error(error) from None


def load_file(path: Path) -> Any:
    """The YAML document in a UTF-8 file; raises OSError, UnicodeDecodeError or :class:`YAMLProblem`."""
    return load(path.read_text(encoding="utf-8"))


def load_config(path: Path, folder: Path, base: Path, shape: type = dict) -> Any:
    """A configuration file (``_config.yml``, ``_toc.yml``, ``chapters/params.yml``, ``data/vocabulary.yaml``)
    read strictly, or one :class:`ConfigError` naming it (relative to ``base``) when it is missing, not a regular
    file in ``folder``, not UTF-8, malformed, or not of ``shape`` (a mapping, or a list)."""
    name = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
    if why := files.problem(path, folder, base):
        raise ConfigError(f"{name} {why}")
    try:
        value = load_file(path)
    except YAMLProblem as error:
        raise ConfigError(f"{name}: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{name} is not UTF-8 text; re-save it as UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{name} cannot be read ({error.strerror})") from None
    if not isinstance(value, shape):
        wanted = "a mapping (KEY: VALUE lines)" if shape is dict else "a list (- ITEM lines)"
        raise ConfigError(f"{name} must hold {wanted}, not {_kind_of(value)}")
    return value


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (the file is empty)"
    return {list: "a list", dict: "a mapping", str: "a single text"}.get(type(value), f"a {type(value).__name__}")
