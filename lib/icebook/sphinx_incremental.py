"""A Sphinx extension that makes a rebuild over a kept environment match a clean build.

Sphinx re-reads a page when its file's modification time is newer than the last read, and
writes only the pages it re-read. Two things go stale that way:

* a page whose bytes changed while its time did not (a file copied with its old time): here a
  page, or a file it depends on, is re-read whenever its content hash differs from the one
  recorded at the last read;
* what one page shows of the others: the navigation (titles and contents of every page),
  previous and next links, cross-references, citations. When any of that changed in the pages
  re-read, every page is written again; images and downloads that changed set are dropped
  from the output first, so no file a clean build would not make is left behind.

The search index: Sphinx reads back the last build's index and updates it for the pages it
writes, but reading it back loses the other pages' index entries (the glossary's terms) and
keeps words no page has any more. When there was an index to read back, every page is indexed
afresh from its resolved doctree, in the order a clean build indexes them.

And one more thing differs between a clean build and a rebuild whatever changed: myst-nb copies its
stylesheet into ``_static/`` only when the build finishes, and Sphinx adds a ``?v=`` checksum to
a page's link only to a stylesheet already there. The stylesheet is copied before any page is
written, so every build links it the same way.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes

SHARED = "icebook_shared_before"  # app attribute: the shared state before this build's reads


def _content(env: Any, docname: str) -> str:
    """The hash of a page's source and of every file Sphinx records it depends on."""
    digest = hashlib.sha256(Path(env.doc2path(docname)).read_bytes())
    for dependency in sorted(env.dependencies.get(docname, ())):
        path = Path(env.srcdir) / dependency
        digest.update(str(dependency).encode())
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """A value in an order-free, comparable form (dicts and sets sorted, nodes as their text form)."""
    if isinstance(value, nodes.Node):
        return value.pformat()
    if isinstance(value, dict):
        return sorted((repr(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_plain(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return repr(value)


def _shared(env: Any) -> str:
    """The hash of everything a page shows of other pages, and of the images and downloads the pages use."""
    state = {"titles": env.titles, "tocs": env.tocs, "toctrees": env.toctree_includes,
             "domains": dict(env.domaindata), "images": sorted(env.images), "downloads": sorted(env.dlfiles)}
    return hashlib.sha256(repr(_plain(state)).encode()).hexdigest()


def _outdated(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """Pages whose content changed since they were read, whatever their files' times say."""
    setattr(app, SHARED, _shared(env))
    recorded = getattr(env, "icebook_content", {})
    return sorted(doc for doc in env.found_docs - added - changed if recorded.get(doc) != _content(env, doc))


def _record_read(app: Any, doctree: nodes.document) -> None:
    """Record the hash of a page as it was read, with the files it depends on."""
    env = app.env
    env.icebook_content = {**getattr(env, "icebook_content", {}), env.docname: _content(env, env.docname)}


def _updated(app: Any, env: Any) -> Iterable[str]:
    """Every page to be written again when what pages show of each other changed."""
    if getattr(app, SHARED, None) == _shared(env):
        return []
    for folder in ("_images", "_downloads"):
        shutil.rmtree(Path(app.outdir) / folder, ignore_errors=True)
    return sorted(env.found_docs)


def _index_every_page(app: Any) -> list:
    """(html-collect-pages) Index every page afresh when the build began from a kept index."""
    from sphinx.search import IndexBuilder

    builder, env, config = app.builder, app.env, app.config
    if not getattr(app, "icebook_kept_index", False) or getattr(builder, "indexer", None) is None:
        return []
    builder.indexer = IndexBuilder(env, config.html_search_language or config.language,
                                   config.html_search_options, config.html_search_scorer)
    for docname in sorted(env.found_docs):
        title = env.longtitles.get(docname)
        builder.index_page(docname, env.get_and_resolve_doctree(docname, builder),
                           builder.render_partial(title)["title"] if title else "")
    return []


def _stylesheet_first(app: Any) -> None:
    from myst_nb.sphinx_ext import add_global_html_resources

    if app.builder.format == "html":
        app.icebook_kept_index = (Path(app.outdir) / app.builder.searchindex_filename).exists()
        (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app: Any) -> dict:
    app.connect("builder-inited", _stylesheet_first)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _record_read, priority=900)  # after Sphinx notes dependencies
    app.connect("env-updated", _updated)
    app.connect("html-collect-pages", _index_every_page)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "env_version": 1}
