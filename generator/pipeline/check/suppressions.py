"""Inline suppressions: `<!-- kb-disable CODE: reason -->` silences rule CODE for one file.

The rules that read suppressions (KB005: a reason, and a code that names a rule) judge each one
first: a suppression they find something in silences nothing, and what they find is reported
whatever else the file suppresses.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model import Finding, Suppression
from generator.rules.base import Reads, rules_reading


def apply(path: str, suppressions: Iterable[Suppression], findings: Iterable[Finding]) -> list[Finding]:
    """The findings of the file at `path` that its suppressions leave, after what the rules that
    read suppressions found in them."""
    judges = rules_reading(Reads.SUPPRESSION)
    silenced: set[str] = set()
    out: list[Finding] = []
    for suppression in suppressions:
        problems = [
            Finding(path, hit.line, hit.column, rule.code, rule.default, hit.message)
            for rule in judges
            for hit in rule.check(suppression)
        ]
        if problems:
            out.extend(problems)
        else:
            silenced.add(suppression.code)
    out.extend(f for f in findings if f.rule not in silenced)
    return out
