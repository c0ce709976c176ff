"""Run the selected rules over the corpus; apply severities from config and inline suppressions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from generator.config import SiteConfig
from generator.loader import discover, load_all, relative
from generator.model import Article, CheckResult, Finding, Severity
from generator.rules import REGISTRY, Context, CorpusIndex, Rule, select


def severity_of(rule_code: str, config: SiteConfig) -> Severity:
    """Config first, then the rule's default (as in Vale and the GitHub Docs linter)."""
    configured = config.severities.get(rule_code)
    if configured is not None:
        return configured
    rule = REGISTRY.get(rule_code)
    return rule.default if rule else Severity.ERROR


def check(
    config: SiteConfig,
    today: date,
    paths: Sequence[Path] = (),
    selected: tuple[str, ...] = (),
) -> CheckResult:
    """Check the files under `paths` (default: all of the source folder).

    Cross-article rules always see the whole corpus, whatever `paths` selects.
    """
    source = config.source_path
    categories = frozenset(c.id for c in config.categories)
    loaded = load_all(source, config.root, categories=categories)
    wanted = _selected_paths(config, paths)
    ctx = Context(config=config, today=today, index=CorpusIndex.build(loaded.articles))
    rules = select(selected)
    findings: list[Finding] = [f for f in loaded.findings if wanted is None or f.path in wanted]
    for article in loaded.articles:
        if wanted is None or article.path in wanted:
            findings.extend(check_article(article, ctx, rules))
    findings = [_with_severity(f, config) for f in findings]
    kept = sorted((f for f in findings if f.severity is not Severity.OFF), key=Finding.sort_key)
    files = loaded.files if wanted is None else len(wanted)
    return CheckResult(files=files, findings=tuple(kept))


def check_article(article: Article, ctx: Context, rules: Iterable[Rule]) -> list[Finding]:
    default_language = ctx.config.default_language
    raw: list[Finding] = []
    for rule in rules:
        if rule.applies_to(article, default_language):
            for hit in rule.check(article, ctx):
                raw.append(Finding(article.path, hit.line, hit.column, rule.code, rule.default, hit.message))
    return apply_suppressions(article, raw)


def apply_suppressions(article: Article, findings: list[Finding]) -> list[Finding]:
    silenced: set[str] = set()
    out: list[Finding] = []
    for s in article.suppressions:
        if s.code not in REGISTRY:
            out.append(_kb005(article, s.line, f"kb-disable names unknown rule '{s.code}'"))
        elif not s.reason:
            out.append(
                _kb005(
                    article, s.line, f"kb-disable {s.code} needs a reason: <!-- kb-disable {s.code}: why -->"
                )
            )
        else:
            silenced.add(s.code)
    out.extend(f for f in findings if f.rule not in silenced)
    return out


def _kb005(article: Article, line: int, message: str) -> Finding:
    return Finding(article.path, line, 1, "KB005", REGISTRY["KB005"].default, message)


def _with_severity(finding: Finding, config: SiteConfig) -> Finding:
    severity = severity_of(finding.rule, config)
    if severity is finding.severity:
        return finding
    return Finding(finding.path, finding.line, finding.column, finding.rule, severity, finding.message)


def _selected_paths(config: SiteConfig, paths: Sequence[Path]) -> set[str] | None:
    if not paths:
        return None
    return {relative(p, config.root) for p in discover(config.source_path, paths)}
