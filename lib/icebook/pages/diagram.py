"""Diagrams as HTML boxes that the page's stylesheet lays out: text a reader can read at any width, no picture.

A tree (the organisation chart) is nested lists: on a wide screen a row of boxes under their parent, on a phone an
indented column. A sequence of steps (the Criminal Alien Program) is a numbered list of boxes joined by arrows. The
text is the page's own, at the page's size, so it never shrinks with the screen, and it is searchable and
selectable; each diagram has its text version, in sentences, one click away.
"""

from __future__ import annotations

from markupsafe import Markup


def _tree(node: str, nodes: dict[str, str], children: dict[str, list[str]]) -> Markup:
    below = children.get(node, [])
    return Markup('<li><span class="diagram-box">{}</span>{}</li>').format(
        nodes[node], Markup("<ul>{}</ul>").format(Markup("").join(_tree(c, nodes, children) for c in below))
        if below else "")


def tree_diagram(nodes: dict[str, str], edges: list[tuple[str, str]], caption: Markup) -> Markup:
    """A tree of boxes, each node's label in a box under its parent's (``edges`` are parent, child pairs; the
    root is the node no edge leads to), captioned, with the tree in sentences one click away."""
    children: dict[str, list[str]] = {}
    for parent, child in edges:
        children.setdefault(parent, []).append(child)
    roots = [n for n in nodes if n not in {child for _, child in edges}]
    if len(roots) != 1:
        raise ValueError(f"a tree has one root; these nodes have no parent: {', '.join(roots) or 'none'}")
    outline = Markup("").join(Markup("<li>{} — part of {}</li>").format(nodes[child], nodes[parent])
                              for parent, child in edges)
    return Markup('<figure class="diagram tree-diagram"><ul class="diagram-tree">{}</ul><figcaption>{}</figcaption>'
                  '<details class="diagram-text"><summary>The chart as text</summary><ul>{}</ul></details>'
                  "</figure>").format(_tree(roots[0], nodes, children), caption, outline)


def steps_diagram(steps: list[tuple[str, str, Markup]], caption: Markup) -> Markup:
    """A numbered sequence of boxes, each a step's name and who takes it (``steps``: name, actor, the step in
    words), joined by arrows; captioned, with every step in words one click away."""
    boxes = Markup("").join(
        Markup('<li class="diagram-step"><span class="diagram-box"><strong>{}</strong>'
               '<span class="diagram-actor">{}</span></span></li>').format(name, actor) for name, actor, _ in steps)
    words = Markup("").join(Markup("<li><strong>{}</strong> ({}): {}</li>").format(name, actor, said)
                            for name, actor, said in steps)
    return Markup('<figure class="diagram steps-diagram"><ol class="diagram-steps">{}</ol><figcaption>{}'
                  '</figcaption><details class="diagram-text"><summary>Each step in words</summary><ol>{}</ol>'
                  "</details></figure>").format(boxes, caption, words)
