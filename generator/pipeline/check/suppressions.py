"""Inline suppressions: `<!-- kb-disable CODE: reason -->` silences rule CODE for one file; the
rule's alias names it as well as its code (`<!-- kb-disable list-indent: reason -->`).

The rules that read suppressions (KB005: a reason, and a code or alias that names a rule) judge
each one first: a suppression they find something in silences nothing, and what they find is
reported whatever else the file suppresses. The check (`apply`) and `kb check --fix` (`silenced`)
read suppressions alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model import Finding, Suppression
from generator.pipeline.load import finding
from generator.rules.base import Reads, rules_reading
from generator.rules.load import rule_of


def apply(path: str, suppressions: Iterable[Suppression], findings: Iterable[Finding]) -> list[Finding]:
    """The findings of the file at `path` that its suppressions leave, after what the rules that
    read suppressions found in them."""
    problems, silenced = _judged(path, suppressions)
    return [*problems, *(f for f in findings if f.rule not in silenced)]


def silenced(suppressions: Iterable[Suppression]) -> frozenset[str]:
    """The codes of the rules that a file's suppressions silence."""
    return _judged("", suppressions)[1]


def _judged(path: str, suppressions: Iterable[Suppression]) -> tuple[list[Finding], frozenset[str]]:
    """What the rules that read suppressions find in them, and the codes of the rules silenced by
    those they find nothing in."""
    judges = rules_reading(Reads.SUPPRESSION)
    problems: list[Finding] = []
    codes: set[str] = set()
    for suppression in suppressions:
        found = [finding(rule, path, hit) for rule in judges for hit in rule.check(suppression)]
        code = rule_of(suppression.code)
        if found:
            problems.extend(found)
        elif code is not None:
            codes.add(code)
    return problems, frozenset(codes)
