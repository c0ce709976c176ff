"""How healthy the help center is, per category and overall: pages, findings by rule, the share
of clean pages, the median reading grade, owners and the oldest review."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from generator.config import SiteConfig
from generator.model import Article, CheckResult, Finding, Severity
from generator.rules.freshness import as_date
from generator.rules.grade import reading_grade


@dataclass(frozen=True)
class Count:
    name: str
    count: int


@dataclass(frozen=True)
class Health:
    name: str  # a category title, or "All pages"
    pages: int
    public: int
    internal: int
    errors: tuple[Count, ...]  # by rule code
    warnings: tuple[Count, ...]
    clean_share: float  # pages without error or warning findings, 0..1
    median_grade: float | None  # Flesch-Kincaid, English pages with enough prose
    owners: tuple[Count, ...]
    oldest_review: date | None
    oldest_path: str


@dataclass(frozen=True)
class HealthReport:
    today: date
    categories: tuple[Health, ...]
    overall: Health
    unreadable: int  # files the loader could not use (their findings count in overall)


def health(config: SiteConfig, today: date, result: CheckResult, articles: Sequence[Article]) -> HealthReport:
    """Per category and overall: pages, audiences, findings by rule, share clean, median reading
    grade, pages per owner and the oldest review, from the check's `result` on `articles`."""
    loaded = articles
    paths = {a.path for a in loaded}
    by_path: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    grades = {a.path: reading_grade(a) for a in loaded if config.language_of(a).base == "en"}
    summaries = []
    for category in config.categories:
        members = [a for a in loaded if a.category == category.id]
        if members:
            found = [f for a in members for f in by_path.get(a.path, ())]
            summaries.append(_health(category.title, members, found, by_path, grades))
    loose = [f for f in result.findings if f.path not in paths]
    overall = _health("All pages", list(loaded), [*result.findings], by_path, grades)
    return HealthReport(today, tuple(summaries), overall, len({f.path for f in loose}))


def _health(
    name: str,
    pages: list[Article],
    found: list[Finding],
    by_path: dict[str, list[Finding]],
    grades: dict[str, float | None],
) -> Health:
    clean = sum(1 for a in pages if not any(_counts(f) for f in by_path.get(a.path, ())))
    values = [g for a in pages if (g := grades.get(a.path)) is not None]
    reviews = sorted((d, a.path) for a in pages if (d := as_date(a.meta.get("last_reviewed"))))
    return Health(
        name=name,
        pages=len(pages),
        public=sum(1 for a in pages if a.is_public),
        internal=sum(1 for a in pages if not a.is_public),
        errors=_by_rule(f for f in found if f.severity is Severity.ERROR),
        warnings=_by_rule(f for f in found if f.severity is Severity.WARNING),
        clean_share=clean / len(pages) if pages else 1.0,
        median_grade=round(statistics.median(values), 1) if values else None,
        owners=tuple(Count(o, n) for o, n in sorted(Counter(a.owner for a in pages).items())),
        oldest_review=reviews[0][0] if reviews else None,
        oldest_path=reviews[0][1] if reviews else "",
    )


def _counts(f: Finding) -> bool:
    return f.severity in (Severity.ERROR, Severity.WARNING)


def _by_rule(findings: Iterable[Finding]) -> tuple[Count, ...]:
    return tuple(Count(rule, n) for rule, n in sorted(Counter(f.rule for f in findings).items()))
