"""A built page read once (lxml through bs4) and walked without being changed: its strings, text and tags, leaving
out what a check ignores (``Matching``), and its article, the page's own content."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag

SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
PARSER = "lxml"  # libxml2 through bs4: faster than html.parser, and it nests as a browser does


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name not in SKIP_PAGES and "_static" not in p.parts)


def parse_page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), PARSER)


class Matching:
    """Elements that any of a list of simple selectors matches ("svg", ".source-quote", "a.fact"), as a CSS engine
    would (names and classes exactly), without one: soupsieve's select took most of the checks' time."""

    def __init__(self, selectors: list[str] | str):
        self.names: set[str] = set()
        self.classes: set[str] = set()
        self.named_classes: set[tuple[str, str]] = set()
        for selector in selectors.split(",") if isinstance(selectors, str) else selectors:
            name, dot, cls = selector.strip().partition(".")
            if not re.fullmatch(r"[a-z][a-z0-9]*", name or "x") or (dot and not re.fullmatch(r"[A-Za-z][\w-]*", cls)):
                raise ValueError(f"selector {selector!r}: the checks match only NAME, .CLASS or NAME.CLASS")
            if not dot:
                self.names.add(name)
            elif name:
                self.named_classes.add((name, cls))
            else:
                self.classes.add(cls)

    def __call__(self, tag: Tag) -> bool:
        if tag.name in self.names:
            return True
        classes = tag.get("class")
        if not classes:
            return False
        if isinstance(classes, str):
            classes = classes.split()
        return any(c in self.classes or (tag.name, c) in self.named_classes for c in classes)


def strings_of(root: Tag, leave_out: Callable[[Tag], bool] | None = None, strip: bool = False) -> Iterator[str]:
    """The strings ``root.get_text()`` joins, in order, without those in elements ``leave_out`` matches."""
    types = root.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES  # no comments, nor script or style text
    stack = root.contents[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, Tag):
            if leave_out is None or not leave_out(node):
                stack.extend(node.contents[::-1])
        elif type(node) in types:
            if not strip:
                yield node
            elif node.strip():
                yield node.strip()


def text_of(root: Tag, separator: str, leave_out: Callable[[Tag], bool] | None = None, strip: bool = False) -> str:
    return separator.join(strings_of(root, leave_out, strip))


def tags_of(root: Tag, leave_out: Callable[[Tag], bool] | None = None) -> Iterator[Tag]:
    """``root`` and the elements in it, in document order, without those ``leave_out`` matches and what they hold."""
    stack = [root]
    while stack:
        tag = stack.pop()
        if leave_out is None or not leave_out(tag):
            yield tag
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))


def article_of(soup: BeautifulSoup) -> Tag | None:
    return soup.find("article") or soup.body


def article_without(soup: BeautifulSoup, leave_out: Matching) -> Tag | None:
    """The article to read without what ``leave_out`` matches; None where there is none, or it is left out whole
    (the checks used to delete the matches from a copy of the article, the article included)."""
    article = article_of(soup)
    return None if article is None or leave_out(article) else article
