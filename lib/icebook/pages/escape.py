"""One escaping path for each context in which text from data/ reaches a page.

* HTML text and HTML attribute values (always written in double quotes): markupsafe's
  escape, which ``Markup.format`` applies to every argument, so pages build HTML with
  ``Markup("<p>{}</p>").format(text)`` and never by string concatenation.
* JSON inside a ``<script>`` element (a chart's spec): ``json.dumps`` and then ``<``,
  ``>``, ``&`` and the line separators U+2028/U+2029 written as ``\\uXXXX`` escapes, so no
  value can close the script, open a comment (``<!--`` changes how the HTML parser
  reads a script) or end a JavaScript string; the JSON means the same to the script.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_TABLE = str.maketrans(SCRIPT_UNSAFE)


def html_text(text: Any) -> Markup:
    """Text between tags: ``<``, ``>``, ``&`` and quotes as entities."""
    return escape(text)


def html_attribute(text: Any) -> Markup:
    """A double-quoted attribute value: the same entities, quotes included, so it cannot end the attribute."""
    return escape(text)


def json_in_script(value: Any, **dumps: Any) -> Markup:
    """A value as JSON safe to place inside ``<script>…</script>``."""
    return Markup(json.dumps(value, **dumps).translate(_SCRIPT_TABLE))
