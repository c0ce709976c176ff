"""The rule registry. Importing this package registers every rule family."""

from __future__ import annotations

# Importing a family's module registers its rules.
from generator.rules import (  # noqa: F401
    boundary,
    compliance,
    freshness,
    html,
    load,
    markup,
    structure,
    style,
)
from generator.rules.base import ALIASES, REGISTRY, Context, CorpusIndex, IndexEntry, Rule

__all__ = ["ALIASES", "REGISTRY", "Context", "CorpusIndex", "IndexEntry", "Rule", "select"]


def select(patterns: tuple[str, ...] = ()) -> list[Rule]:
    """Rules by code, code prefix (`KB1`) or alias, in code order; all rules when none given."""
    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    if not patterns:
        return rules
    wanted = [ALIASES.get(p, p).upper() for p in patterns]
    return [r for r in rules if any(r.code.startswith(w) for w in wanted)]
