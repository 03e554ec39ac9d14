"""Diagrams drawn at build time with Graphviz (Debian's `dot`), inlined as SVG: no network, no script."""

from __future__ import annotations

import re
import shutil
import subprocess


def graph_svg(nodes: dict[str, str], edges: list[tuple[str, str]], rankdir: str = "TB") -> str:
    """An SVG of a directed graph; node labels are text, so the diagram stays searchable and selectable."""
    if shutil.which("dot") is None:
        raise RuntimeError("Graphviz's `dot` is missing: run `make setup` (it installs Debian's graphviz)")

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"digraph G {{ rankdir={rankdir}; bgcolor=transparent;",
             'node [shape=box, style="rounded,filled", fillcolor="#eef3f8", fontname="Helvetica", fontsize=11];',
             'edge [color="#555555"];']
    lines += [f"{quoted(key)} [label={quoted(label)}];" for key, label in nodes.items()]
    lines += [f"{quoted(a)} -> {quoted(b)};" for a, b in edges]
    lines.append("}")
    svg = subprocess.run(["dot", "-Tsvg"], input="\n".join(lines), capture_output=True, text=True, check=True).stdout
    svg = re.sub(r"<!--.*?-->", "", svg[svg.index("<svg"):], flags=re.S)
    # Scale to the column: keep the viewBox, drop the fixed size.
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg style="max-width:100%;height:auto" aria-hidden="true"',
                  svg, count=1)
