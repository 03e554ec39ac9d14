"""YAML as the book reads it: with PyYAML's binding to libyaml where PyYAML has it, about twelve times as fast as
its pure-Python loader (a second of every validation; most of a rebuild with nothing to do). Both loaders take
the same YAML to the same values; on malformed YAML the pure loader reads it again, so the error it raises has
its message, which quotes the offending line (libyaml's does not)."""

from __future__ import annotations

from typing import Any

import yaml

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The YAML document in ``text``, as ``yaml.safe_load`` reads it; raises its ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)
