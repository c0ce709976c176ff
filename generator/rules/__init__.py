"""The rule registry. Importing this package registers every rule family."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Importing a family's module registers its rules.
from generator.rules import (  # noqa: F401
    agent,
    boundary,
    compliance,
    credentials,
    expansion,
    freshness,
    grade,
    html,
    images,
    links,
    lists,
    load,
    markers,
    markup,
    parts,
    privacy,
    promises,
    structure,
    style,
)
from generator.rules.base import ALIASES, REGISTRY, Context, CorpusIndex, IndexEntry, Rule

__all__ = ["ALIASES", "REGISTRY", "Context", "CorpusIndex", "IndexEntry", "Rule", "select", "unknown"]


_LOOKALIKES = str.maketrans("OIL", "011")


def unknown(patterns: Iterable[str]) -> list[str]:
    """A line for each pattern that names no rule (code, code prefix or alias), with the closest
    valid name: what a typo (`KB1O4`, `steps-numbered`) would otherwise select, nothing."""
    out = []
    for pattern in patterns:
        if select((pattern,)):
            continue
        names = [*REGISTRY, *ALIASES]
        # A letter typed for a digit (`KB1O4`) is the likeliest typo in a code.
        digits = pattern[:2].upper() + pattern[2:].upper().translate(_LOOKALIKES)
        close = [digits] if select((digits,)) else difflib.get_close_matches(pattern, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        out.append(f"'{pattern}' names no rule{hint}; kb rules lists them")
    return out


def select(patterns: tuple[str, ...] = ()) -> list[Rule]:
    """Rules by code, code prefix (`KB1`) or alias, in code order; all rules when none given."""
    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    if not patterns:
        return rules
    wanted = [ALIASES.get(p, p).upper() for p in patterns]
    return [r for r in rules if any(r.code.startswith(w) for w in wanted)]
