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
keeps words no page has any more. So each build keeps its index unfrozen, every page's words
and entries, beside the environment (``icebook-search.pickle``, with the hash of the
``searchindex.js`` it wrote). A rebuild indexes into that kept index: each page it writes loses
its old entries just before Sphinx indexes it (once, as it is written), the pages it does not
write keep theirs (their output, and so what they show, is what the last build made), and the
whole is put in a clean build's order. Without a kept index that matches the output's, every
page not written is indexed afresh.

And one more thing differs between a clean build and a rebuild whatever changed: myst-nb copies its
stylesheet into ``_static/`` only when the build finishes, and Sphinx adds a ``?v=`` checksum to
a page's link only to a stylesheet already there. The stylesheet is copied before any page is
written, so every build links it the same way.

Last, the process's own cost, whether or not the build is a rebuild: jupyter-book runs Sphinx in a
fresh process that imports some 1,500 modules before it reads a page, and the garbage collector
looks through all of them at each full collection and once more as the process exits (README,
"Benchmarks", says what that cost). They are moved out of its sight (``gc.freeze``) once the
extensions are loaded, and everything again when the build has finished; what the build makes
and drops meanwhile is collected as usual. And the theme's templates, compiled afresh by every
process, are kept compiled beside the environment (Jinja's bytecode cache, keyed by
each template's source).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import pickle
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils import nodes

from icebook.core.files import write_atomic

SHARED = "icebook_shared_before"  # app attribute: the shared state before this build's reads
INDEX_FILE = "icebook-search.pickle"  # beside the environment: the last build's search index, unfrozen
INDEX_PARTS = ("_titles", "_filenames", "_mapping", "_title_mapping", "_all_titles", "_index_entries")


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


def _index_stamp(app: Any) -> tuple:
    """What a kept index depends on besides the pages: its layout, Sphinx, the search language and options."""
    import sphinx

    config = app.config
    return (INDEX_PARTS, sphinx.__version__, app.env.version, config.html_search_language or config.language,
            sorted(config.html_search_options.items()), config.html_search_scorer)


def _published_index(app: Any) -> str:
    """The hash of the search index in the output, which a kept index must have been frozen into."""
    index = Path(app.outdir) / app.builder.searchindex_filename
    return hashlib.sha256(index.read_bytes()).hexdigest() if index.is_file() else ""


def _kept_indexer(app: Any) -> Any:
    """An indexer holding the last build's entries of the pages there still are, if they were kept for this output."""
    from sphinx.search import IndexBuilder

    config, found = app.config, app.env.found_docs
    indexer = IndexBuilder(app.env, config.html_search_language or config.language,
                           config.html_search_options, config.html_search_scorer)
    indexer.lang.stem = functools.cache(indexer.lang.stem)  # one stem per word across the pages
    try:
        with open(Path(app.doctreedir) / INDEX_FILE, "rb") as kept:
            stamp, published, state = pickle.load(kept)
        if stamp != _index_stamp(app) or published != _published_index(app):
            raise ValueError("kept for another output")
        parts = {name: {doc: value for doc, value in state[name].items() if doc in found}
                 for name in ("_titles", "_filenames", "_all_titles", "_index_entries")}
        parts |= {name: {word: docs & found for word, docs in state[name].items()}
                  for name in ("_mapping", "_title_mapping")}
    except Exception:  # noqa: BLE001 - a missing, damaged, unreadable or unmatched kept index: pages indexed afresh
        parts = {name: {} for name in INDEX_PARTS}
    for name, part in parts.items():  # its own dicts, not the environment's, which Sphinx's indexer has fed
        setattr(indexer, name, part)
    return indexer


def _forget_page(app: Any, doctree: nodes.document, docname: str) -> None:
    """(doctree-resolved) Before Sphinx indexes a page it resolved to write, take the page's last entries out.

    Over a kept index, Sphinx's indexer (read back from the output) gives way to the kept one first.
    """
    if not getattr(app, "icebook_kept_index", False) or getattr(app.builder, "indexer", None) is None:
        return
    if getattr(app, "icebook_indexer", None) is not app.builder.indexer:
        app.builder.indexer = app.icebook_indexer = _kept_indexer(app)
    indexer = app.builder.indexer
    for name in ("_titles", "_filenames", "_all_titles", "_index_entries"):
        getattr(indexer, name).pop(docname, None)
    for name in ("_mapping", "_title_mapping"):
        for docs in getattr(indexer, name).values():
            docs.discard(docname)


def _index_pages(app: Any) -> list:
    """(html-collect-pages) Complete the index over a kept one as a clean build makes it.

    Pages not in the index (none kept for them, or Sphinx wrote them without indexing them) are indexed
    now; words no page has any more are dropped, and the pages' index entries put in a clean build's order.
    """
    builder, env = app.builder, app.env
    if not getattr(app, "icebook_kept_index", False) or getattr(builder, "indexer", None) is None:
        return []
    if getattr(app, "icebook_indexer", None) is not builder.indexer:
        builder.indexer = app.icebook_indexer = _kept_indexer(app)
    indexer = builder.indexer
    for docname in sorted(env.found_docs - indexer._titles.keys()):
        title = env.longtitles.get(docname)
        builder.index_page(docname, env.get_and_resolve_doctree(docname, builder),
                           builder.render_partial(title)["title"] if title else "")
    for name in ("_mapping", "_title_mapping"):
        setattr(indexer, name, {word: docs for word, docs in getattr(indexer, name).items() if docs})
    indexer._index_entries = dict(sorted(indexer._index_entries.items()))
    return []


def _keep_index(app: Any, exception: Exception | None) -> None:
    """(build-finished) Keep the index, unfrozen, for the next build, with the hash of the index it wrote."""
    if exception is not None or getattr(app.builder, "indexer", None) is None:
        return
    state = Path(app.doctreedir) / INDEX_FILE
    write_atomic(state, pickle.dumps((_index_stamp(app), _published_index(app),
                                      {name: getattr(app.builder.indexer, name) for name in INDEX_PARTS})))


def _stylesheet_first(app: Any) -> None:
    from myst_nb.sphinx_ext import add_global_html_resources

    if app.builder.format == "html":
        app.icebook_kept_index = (Path(app.outdir) / app.builder.searchindex_filename).exists()
        (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def _template_cache(app: Any) -> None:
    """(builder-inited) Keep the compiled templates beside the environment for the next build."""
    from jinja2 import FileSystemBytecodeCache

    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None:
        cache = Path(app.doctreedir) / "icebook-templates"
        cache.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(cache))


def _freeze_heap(app: Any, exception: Exception | None) -> None:
    """(build-finished) Leave the heap out of the collection Python runs as the process exits."""
    gc.freeze()


def setup(app: Any) -> dict:
    gc.freeze()  # the modules and extensions loaded so far live as long as the process
    app.connect("builder-inited", _stylesheet_first)
    app.connect("builder-inited", _template_cache)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _record_read, priority=900)  # after Sphinx notes dependencies
    app.connect("env-updated", _updated)
    app.connect("doctree-resolved", _forget_page, priority=900)  # after the handlers that change the doctree
    app.connect("html-collect-pages", _index_pages)
    app.connect("build-finished", _keep_index)
    app.connect("build-finished", _freeze_heap, priority=900)  # after the index is kept
    return {"parallel_read_safe": False, "parallel_write_safe": True, "env_version": 1}
