"""The reports: freshness, health, translations and the rules reference. Plain functions returning
frozen data, and renderers to text, JSON, CSV and Markdown (the internal site shows the Markdown)."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from generator import checker
from generator.config import SiteConfig
from generator.loader import load_site
from generator.mdparse import literal
from generator.model import Article, CheckResult, Finding, Severity
from generator.rules import Rule
from generator.rules.freshness import as_date, review_due, review_options, translation_lag
from generator.rules.style import reading_grade

OVERDUE, DUE_SOON = "overdue", "due soon"


def articles(config: SiteConfig, corpus: Sequence[Article] | None = None) -> Sequence[Article]:
    """`corpus` when the caller already loaded it (a build has), else every article on disk."""
    if corpus is not None:
        return corpus
    return load_site(config)


# --- freshness -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    path: str
    title: str
    owner: str
    status: str  # OVERDUE or DUE_SOON
    last_reviewed: date
    due: date
    days: int  # days overdue, or days left


@dataclass(frozen=True)
class OwnerGroup:
    owner: str
    items: tuple[ReviewItem, ...]


@dataclass(frozen=True)
class FreshnessReport:
    today: date
    groups: tuple[OwnerGroup, ...]

    @property
    def items(self) -> tuple[ReviewItem, ...]:
        return tuple(i for g in self.groups for i in g.items)


def freshness(
    config: SiteConfig, today: date, owner: str | None = None, *, corpus: Sequence[Article] | None = None
) -> FreshnessReport:
    """Overdue and due-soon pages grouped by owner, each group oldest due date first."""
    window = int(review_options(config)["due_soon_days"])
    by_owner: dict[str, list[ReviewItem]] = {}
    for a in articles(config, corpus):
        if owner is not None and a.owner.casefold() != owner.casefold():
            continue
        status = review_due(a, config, today)
        if status is None or status.days_left > window:
            continue
        overdue = status.days_left < 0
        item = ReviewItem(
            path=a.path,
            title=a.title,
            owner=a.owner,
            status=OVERDUE if overdue else DUE_SOON,
            last_reviewed=status.last_reviewed,
            due=status.due,
            days=abs(status.days_left),
        )
        by_owner.setdefault(a.owner, []).append(item)
    groups = tuple(
        OwnerGroup(name, tuple(sorted(items, key=lambda i: (i.due, i.path))))
        for name, items in sorted(by_owner.items(), key=lambda kv: (min(i.due for i in kv[1]), kv[0]))
    )
    return FreshnessReport(today, groups)


def _when(item: ReviewItem) -> str:
    days = f"{item.days} day{'s' if item.days != 1 else ''}"
    return f"{days} overdue" if item.status == OVERDUE else f"{days} left"


def freshness_text(report: FreshnessReport) -> str:
    if not report.groups:
        return f"No reviews overdue or due soon on {report.today}.\n"
    out = [f"Reviews overdue or due soon on {report.today}:"]
    for group in report.groups:
        out.append(f"\n{group.owner} ({len(group.items)})")
        out += [f"  {_when(i):<18} due {i.due}  {i.path}  {i.title}" for i in group.items]
    return "\n".join(out) + "\n"


def freshness_markdown(report: FreshnessReport, link_base: str = "") -> str:
    """Markdown for the internal site; each path links to `link_base + path`."""
    out = [f"# Review schedule\n\nOverdue and due-soon reviews on {report.today}.\n"]
    if not report.groups:
        out.append("Nothing is overdue or due soon.\n")
    for group in report.groups:
        out.append(f"## {group.owner}\n")
        out.append("| Status | Due | Last reviewed | Page | File |\n| --- | --- | --- | --- | --- |")
        out += [
            f"| {_when(i)} | {i.due} | {i.last_reviewed} | {_cell(i.title)} "
            f"| [{i.path}]({link_base}{i.path}) |"
            for i in group.items
        ]
        out.append("")
    return "\n".join(out)


def freshness_json(report: FreshnessReport) -> str:
    data = {"today": report.today, "groups": [asdict(g) for g in report.groups]}
    return json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n"


def freshness_csv(report: FreshnessReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["owner", "status", "days", "due", "last_reviewed", "path", "title"])
    for i in report.items:
        writer.writerow([i.owner, i.status, i.days, i.due, i.last_reviewed, i.path, i.title])
    return buffer.getvalue()


# --- health ----------------------------------------------------------------------------------


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


def health(
    config: SiteConfig,
    today: date,
    result: CheckResult | None = None,
    *,
    corpus: Sequence[Article] | None = None,
) -> HealthReport:
    """Per category and overall: pages, audiences, findings by rule, share clean, median reading
    grade, pages per owner and the oldest review. Pass `result` when the corpus was just checked."""
    if result is None:
        result = checker.check(config, today)
    loaded = articles(config, corpus)
    paths = {a.path for a in loaded}
    by_path: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    grades = {
        a.path: reading_grade(a) for a in loaded if (a.lang or config.default_language).startswith("en")
    }
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


def _list(counts: tuple[Count, ...]) -> str:
    return ", ".join(f"{c.name} {c.count}" for c in counts) or "none"


def _lines(h: Health) -> list[str]:
    grade = f"{h.median_grade:.1f}" if h.median_grade is not None else "n/a"
    oldest = f"{h.oldest_review} ({h.oldest_path})" if h.oldest_review else "n/a"
    return [
        f"pages: {h.pages} ({h.public} public, {h.internal} internal)",
        f"errors: {_list(h.errors)}",
        f"warnings: {_list(h.warnings)}",
        f"clean: {h.clean_share:.0%}",
        f"median reading grade: {grade}",
        f"pages per owner: {_list(h.owners)}",
        f"oldest review: {oldest}",
    ]


def health_text(report: HealthReport) -> str:
    out = [f"Help center health on {report.today}"]
    for h in (report.overall, *report.categories):
        out.append(f"\n{h.name}")
        out += ["  " + line for line in _lines(h)]
    if report.unreadable:
        out.append(f"\n{report.unreadable} file(s) could not be read as articles; run kb check.")
    return "\n".join(out) + "\n"


def health_markdown(report: HealthReport) -> str:
    """Markdown for the internal site."""
    out = [f"# Help center health\n\nOn {report.today}.\n"]
    out.append(
        "| Category | Pages | Public | Internal | Clean | Median grade | Errors | Warnings | Oldest review |"
    )
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for h in (*report.categories, report.overall):
        grade = f"{h.median_grade:.1f}" if h.median_grade is not None else "n/a"
        name = f"**{h.name}**" if h is report.overall else _cell(h.name)
        out.append(
            f"| {name} | {h.pages} | {h.public} | {h.internal} | {h.clean_share:.0%} | {grade} | "
            f"{_list(h.errors)} | {_list(h.warnings)} | {h.oldest_review or 'n/a'} |"
        )
    out.append("\n## Pages per owner\n")
    out += [f"- {_cell(c.name)}: {c.count}" for c in report.overall.owners]
    if report.unreadable:
        out.append(f"\n{report.unreadable} file(s) could not be read as articles; run `kb check`.")
    return "\n".join(out) + "\n"


def health_json(report: HealthReport) -> str:
    return json.dumps(asdict(report), indent=2, default=str, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    """Front-matter text in a Markdown report (a table cell, a list item): shown as typed."""
    return literal(text)


# --- translations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Untranslated:
    id: str
    title: str
    path: str  # the default-language source


@dataclass(frozen=True)
class StaleTranslation:
    id: str
    path: str  # the translation
    source_path: str
    made: date  # the source date the translation was made from
    changed: date  # the source's last change


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    name: str
    translated: int
    missing: tuple[Untranslated, ...]
    stale: tuple[StaleTranslation, ...]
    orphans: tuple[str, ...]  # translations whose id has no source


@dataclass(frozen=True)
class TranslationsReport:
    default_language: str
    languages: tuple[LanguageStatus, ...]


def translations(
    config: SiteConfig, audience: str | None = None, *, corpus: Sequence[Article] | None = None
) -> TranslationsReport:
    """Per configured language: which source pages lack a translation, and which translations trail
    their source's last change (the same comparison as KB205)."""
    default = config.default_language
    loaded = [a for a in articles(config, corpus) if audience is None or a.audience.value == audience]
    sources = {a.id: a for a in loaded if (a.lang or default) == default}
    statuses = []
    for lang in config.languages[1:]:  # the default comes first
        own = {a.id: a for a in loaded if a.lang == lang.code}
        stale = []
        for article_id, translation in sorted(own.items()):
            source = sources.get(article_id)
            if source is None:
                continue
            changed = str(source.meta.get("last_changed") or source.meta.get("last_reviewed", ""))
            lag = translation_lag(translation.meta, changed)
            if lag is not None:
                stale.append(
                    StaleTranslation(article_id, translation.path, source.path, lag.made, lag.changed)
                )
        missing = tuple(
            Untranslated(s.id, s.title, s.path)
            for s in sorted(sources.values(), key=lambda a: a.path)
            if s.id not in own
        )
        statuses.append(
            LanguageStatus(
                code=lang.code,
                name=lang.name,
                translated=sum(1 for i in own if i in sources),
                missing=missing,
                stale=tuple(stale),
                orphans=tuple(sorted(own[i].path for i in own if i not in sources)),
            )
        )
    return TranslationsReport(default, tuple(statuses))


def translations_text(report: TranslationsReport) -> str:
    if not report.languages:
        return "No languages besides the default are configured (site_config.yml languages:).\n"
    out: list[str] = []
    for lang in report.languages:
        out.append(
            f"{lang.name} ({lang.code}): {lang.translated} translated, {len(lang.missing)} missing, "
            f"{len(lang.stale)} stale"
        )
        out += [f"  stale    {s.path}  made from {s.made}, source changed {s.changed}" for s in lang.stale]
        out += [f"  missing  {m.path}  {m.title}" for m in lang.missing]
        out += [f"  orphan   {path}  (no source with this id)" for path in lang.orphans]
    return "\n".join(out) + "\n"


def translations_markdown(report: TranslationsReport) -> str:
    out = ["# Translations\n"]
    for lang in report.languages:
        out.append(f"## {lang.name} ({lang.code})\n")
        out.append(f"{lang.translated} translated, {len(lang.missing)} missing, {len(lang.stale)} stale.\n")
        if lang.stale:
            out.append("| Stale translation | Made from | Source changed |\n| --- | --- | --- |")
            out += [f"| {s.path} | {s.made} | {s.changed} |" for s in lang.stale]
            out.append("")
        if lang.missing:
            out.append("Missing:\n")
            out += [f"- {_cell(m.title)} ({m.path})" for m in lang.missing]
            out.append("")
    return "\n".join(out) + "\n"


def translations_json(report: TranslationsReport) -> str:
    return json.dumps(asdict(report), indent=2, default=str, ensure_ascii=False) + "\n"


# --- rules reference -------------------------------------------------------------------------


def rules_reference(rules: Iterable[Rule], markdown: bool = False) -> str:
    """The rules reference, generated from each rule's registration and docstring."""
    out: list[str] = []
    for r in rules:
        scope = []
        if r.public_only:
            scope.append("public pages only")
        if len(r.types) == 1:
            scope.append(f"type: {next(iter(r.types)).value} only")
        if r.languages is not None:
            scope.append(f"languages: {', '.join(sorted(r.languages))}")
        if r.skip_note:
            scope.append(f"skipped elsewhere: {r.skip_note}")
        if r.fix is not None:
            scope.append("fixable: kb check --fix")
        if markdown:
            out.append(f"## {r.code} `{r.alias}`\n")
            out.append(
                f"Default severity: **{r.default.value}**"
                + (f" · {'; '.join(scope)}" if scope else "")
                + "\n"
            )
            out.append(r.doc + "\n")
        else:
            out.append(
                f"{r.code}  {r.alias}  [{r.default.value}]" + (f"  ({'; '.join(scope)})" if scope else "")
            )
            out.extend("    " + line if line else "" for line in r.doc.splitlines())
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
