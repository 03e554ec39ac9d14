"""The Component profiles landing page (chapters/components.md): each component the book profiles, with one line
and a link to its page, so the landing page is no dead end on a phone, where the sidebar is hidden."""

from __future__ import annotations

import re

from markupsafe import Markup

from icebook.data.loader import book

# up to the first full stop after a small letter, a digit or a bracket ("U.S." ends no sentence)
FIRST_SENTENCE = re.compile(r"^.*?[a-z0-9)][.!?](?=\s+[A-Z“\"]|\s*$)")


def profiled() -> list[dict]:
    """The components with a profile page: ICE's current components below the agency, as the structure lists them."""
    return [c for c in book().structure.get("components", []) if c.get("current") and c.get("parent")]


def _line(component: dict) -> Markup:
    """What the component is, in one line: where it stands, and its mission's first sentence in its source's words."""
    parents = {c["id"]: c["abbreviation"] for c in book().structure.get("components", [])}
    place = "Part of ICE" if component["parent"] == "ICE" else f"Part of {parents.get(component['parent'])}"
    missions = component.get("missions") or []
    if not missions:
        return Markup("{}.").format(place)
    quote = missions[0]["quote"]
    sentence = FIRST_SENTENCE.match(quote)
    return Markup('{}: <q class="source-quote">{}</q>').format(place, sentence[0] if sentence else quote)


def component_list() -> Markup:
    items = [Markup('<li><a href="profile-{}.html"><strong>{} ({})</strong></a>. {}</li>').format(
        c["id"].lower(), c["name"], c["abbreviation"], _line(c)) for c in profiled()]
    return Markup('<ul class="component-list">{}</ul>').format(Markup("").join(items))
