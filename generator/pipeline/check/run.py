"""Which rules run, on which articles, and at what severity."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.config import SiteConfig
from generator.model import Article, Finding, Hit, Severity
from generator.pipeline.expand import relocated
from generator.pipeline.load import PartialFields, UnusableField, finding
from generator.rules import REGISTRY, Context, Rule, select
from generator.rules.base import Reads


def severity_of(rule_code: str, config: SiteConfig) -> Severity:
    """Config first, then the rule's default (as in Vale and the GitHub Docs linter)."""
    configured = config.severities.get(rule_code)
    if configured is not None:
        return configured
    rule = REGISTRY.get(rule_code)
    return rule.default if rule else Severity.ERROR


def with_severity(finding: Finding, config: SiteConfig) -> Finding:
    severity = severity_of(finding.rule, config)
    if severity is finding.severity:
        return finding
    return Finding(finding.path, finding.line, finding.column, finding.rule, severity, finding.message)


def configured(findings: Iterable[Finding], config: SiteConfig) -> list[Finding]:
    """`findings` at the severities `config` gives their rules, those turned off left out, in
    report order."""
    kept = (f for f in (with_severity(f, config) for f in findings) if f.severity is not Severity.OFF)
    return sorted(kept, key=Finding.sort_key)


def article_rules(selected: tuple[str, ...]) -> tuple[list[Rule], list[Rule]]:
    """The selected rules that read articles: those that read one article alone, and those that
    also read the corpus index (`uses_corpus`). The rules that read files, front matter and
    suppressions run wherever those are read, whatever the selection (rules.base.Reads)."""
    rules = [r for r in select(selected) if r.reads is Reads.ARTICLE]
    return [r for r in rules if not r.uses_corpus], [r for r in rules if r.uses_corpus]


def check_article(article: Article, ctx: Context, rules: Iterable[Rule]) -> list[Finding]:
    """What `rules` find in `article`, at their default severities, suppressions not applied. In
    an article whose front matter has problems, a rule that reads a field it cannot use finds
    nothing (the front-matter rules report the field)."""
    found: list[Finding] = []
    for rule in _applicable(tuple(rules), article, ctx.config):
        try:
            hits = list(rule.check(article, ctx))
        except UnusableField:
            continue
        if article.expansion is not None:  # at the line written, and the snippet line it came from
            hits = [Hit(*relocated(article, h.line, h.message), h.column) for h in hits]
        found.extend(finding(rule, article.path, hit) for hit in hits)
    return found


_applicable_memo: dict[tuple[Any, ...], tuple[Rule, ...]] = {}


def _applicable(rules: tuple[Rule, ...], article: Article, config: SiteConfig) -> tuple[Rule, ...]:
    """The rules that apply to pages like `article`: worked out once per kind of page, not per
    page (every article asks for the same few combinations)."""
    if isinstance(article.meta, PartialFields):
        return tuple(r for r in rules if _applies(r, article, config))
    kind = tuple(str(article.meta.get(k)) for k in ("type", "audience", "lang"))
    key = (tuple(r.code for r in rules), *kind, config.default_language)
    found = _applicable_memo.get(key)
    if found is None:
        found = tuple(r for r in rules if r.applies_to(article, config))
        if len(_applicable_memo) > 256:
            _applicable_memo.clear()
        _applicable_memo[key] = found
    return found


def _applies(rule: Rule, article: Article, config: SiteConfig) -> bool:
    """Whether `rule` applies to an article whose front matter has problems: not when what decides
    it (its audience, its language) cannot be used."""
    try:
        return rule.applies_to(article, config)
    except UnusableField:
        return False
