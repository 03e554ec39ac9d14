"""The source registry (sources.yaml) and each source's text, checked against its recorded hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from icebook.core import files
from icebook.core.errors import brief
from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.prose import check_prose
from icebook.data.read import check_filled_in, read_records, read_yaml
from icebook.data.schema import Source


def load_sources(data_dir: Path, col: Collector) -> tuple[dict[str, Source], dict[str, str]]:
    """The registry and each source's normalised text. An entry that fails its schema is reported and
    kept unchecked, so that its facts and quotes are still checked and not reported as naming no source."""
    path = data_dir / "sources.yaml"
    raw = read_yaml(path, col)
    sources = {s.id: s for s in read_records(path, col, Source, raw)}
    check_filled_in(raw, path, col)
    broken = {str(r["id"]): Source.model_construct(**r) for r in (raw if isinstance(raw, list) else [])
              if isinstance(r, dict) and "id" in r and str(r["id"]) not in sources}
    texts = {}
    for source in [*sources.values(), *broken.values()]:
        if not isinstance(getattr(source, "file", None), str):
            continue
        if why := files.plain_name(source.file):
            col.add(path, f"file {brief(source.file)} {why} (data/sources/)", record=source.id, field="file")
            continue
        file = data_dir / "sources" / source.file
        if why := files.problem(file, data_dir / "sources", data_dir.parent):
            col.add(path, f"source text {col.rel(file)} {why}", record=source.id, field="file")
            continue
        raw_text = file.read_bytes()
        text = raw_text.decode("utf-8")
        digest = hashlib.sha256(raw_text).hexdigest()
        texts[source.id] = normalise(text)  # quotes are still checked while the hash fails
        if source.id in broken:
            continue
        if digest != source.sha256:
            col.add(path, f"source text {col.rel(file)} does not match its recorded sha256: recorded "
                    f"{source.sha256}, the file's is {digest}. If the source is new, record the file's hash "
                    f"(a quoted string: sha256: '{digest}'); a source already in the book is never edited: "
                    "restore its original bytes", record=source.id, field="sha256")
        if source.original_address and source.original_address not in text:
            col.add(path, f"original_address {source.original_address!r} is not printed in the copy; give "
                    "only an address the copy prints", record=source.id, field="original_address")
        for name in ("trust", "missing"):
            check_prose(getattr(source, name), path, col, source.id, name, set())
    return sources | broken, texts
