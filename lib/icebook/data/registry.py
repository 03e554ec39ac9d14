"""The source registry (sources.yaml) and each source's text, checked against its recorded hash."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from icebook.core import files
from icebook.core.errors import brief
from icebook.core.text import normalise
from icebook.data.collect import Collector
from icebook.data.prose import check_prose
from icebook.data.read import check_filled_in, read_records, read_yaml
from icebook.data.schema import Source

HOST = re.compile(r"(?i)(?:[a-z0-9-]+\.)+(?:gov|com|org|net|edu)\b")


def printed_hosts(text: str) -> set[str]:
    """The web hosts a copy prints, in an address, an e-mail address or a site's name ("On DHS.gov"), lower case
    and without "www." (a footer glued to a word, "onwww.oig.dhs.gov", is read as "oig.dhs.gov")."""
    return {match[0].lower().rpartition("www.")[2].rpartition("@")[2] for match in HOST.finditer(text)}


def check_original(source: Source, text: str, path: Path, col: Collector) -> None:
    """Each mark of the original is quoted from the copy, and every host the copy prints is quoted in one, so the
    Sources page can say what the copy prints about its original and never that it prints nothing when it does."""
    marks = getattr(source, "original", []) or []
    for n, mark in enumerate(marks):
        if normalise(mark.quote) not in normalise(text):
            col.add(path, f"the copy does not print {mark.quote!r}: quote it as the copy prints it", record=source.id,
                    field=f"original.{n}.quote")
        check_prose(mark.says, path, col, source.id, f"original.{n}.says", set())
    quoted = " ".join(mark.quote.lower() for mark in marks)
    for host in sorted(printed_hosts(text)):
        if host not in quoted:
            col.add(path, f"the copy prints the address {host!r}, which no entry of 'original' quotes: add one "
                    "saying what it is (the original's address, a site's name, another document's address)",
                    record=source.id, field="original")


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
        check_original(source, text, path, col)
        for name in ("trust", "missing"):
            check_prose(getattr(source, name), path, col, source.id, name, set())
            for quoted in re.findall(r'"([^"]+)"', getattr(source, name)):
                if normalise(quoted) not in texts[source.id]:
                    col.add(path, f"the {name} quotes {quoted!r}, which the copy does not print: quote the copy's "
                            "words, or mark the book's own judgement after 'Our reading:' without quotation marks",
                            record=source.id, field=name)
    return sources | broken, texts
