"""The generated pages only the internal site has: review queue, KB health, rules reference.

The review queue and health pages come from `generator.reports` when that module is installed;
the small versions here stand in for it so the internal site always has them."""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from generator.config import SiteConfig
from generator.model import Article, CheckResult
from generator.render.stage import Report
from generator.report import rules_reference
from generator.rules import select

DEFAULT_INTERVAL = 180
DUE_SOON = 30


def internal_reports(
    config: SiteConfig, today: date, articles: Sequence[Article], result: CheckResult
) -> tuple[Report, ...]:
    queue, health = _from_reports_module(config, today, articles, result) or (
        review_queue(config, today, articles),
        health_page(articles, result),
    )
    return (
        Report("review-queue", "Review queue", queue),
        Report("health", "KB health", health),
        Report("rules", "Rules reference", _demote(rules_reference(select(), markdown=True))),
    )


def _from_reports_module(
    config: SiteConfig, today: date, articles: Sequence[Article], result: CheckResult
) -> tuple[str, str] | None:
    if importlib.util.find_spec("generator.reports") is None:
        return None
    reports = importlib.import_module("generator.reports")
    queue = reports.freshness_markdown(reports.freshness(config, today), link_base=_LINK_BASE)
    return _link_pages(queue, articles), reports.health_markdown(reports.health(config, today))


# The reports link source paths; on the site each path links to the staged page instead.
_LINK_BASE = "kb-source:"
_SOURCE_LINK = re.compile(r"\[([^\]]*)\]\(" + re.escape(_LINK_BASE) + r"([^)]*)\)")


def _link_pages(text: str, articles: Sequence[Article]) -> str:
    ids = {a.path: a.id for a in articles}

    def page(match: re.Match[str]) -> str:
        page_id = ids.get(match.group(2))
        return f"[{match.group(1)}]({page_id}.md)" if page_id else match.group(1)

    return _SOURCE_LINK.sub(page, text)


def _demote(text: str) -> str:
    """Headings one level down, so the page title stays the only H1."""
    return "\n".join("#" + line if line.startswith("#") else line for line in text.splitlines()) + "\n"


def _interval(config: SiteConfig, article: Article) -> int:
    own = article.meta.get("review_interval_days")
    category = config.category(article.category)
    configured = config.block("review").get("interval_days")
    return int(own or (category and category.review_interval_days) or configured or DEFAULT_INTERVAL)


def review_queue(config: SiteConfig, today: date, articles: Sequence[Article]) -> str:
    rows = []
    for a in articles:
        try:
            reviewed = date.fromisoformat(str(a.meta.get("last_reviewed")))
        except ValueError:
            continue
        due = reviewed + timedelta(days=_interval(config, a))
        if due <= today + timedelta(days=DUE_SOON):
            rows.append((due, a))
    if not rows:
        return f"Nothing is due for review in the next {DUE_SOON} days.\n"
    lines = [
        f"Pages overdue for review, or due within {DUE_SOON} days of {today.isoformat()}.",
        "",
        "| Due | Page | Owner | Last reviewed |",
        "|---|---|---|---|",
    ]
    for due, a in sorted(rows, key=lambda r: (r[0], r[1].path)):
        state = "**overdue**" if due < today else "due"
        reviewed = a.meta.get("last_reviewed")
        lines.append(f"| {due.isoformat()} {state} | `{a.path}` {a.title} | {a.owner} | {reviewed} |")
    return "\n".join(lines) + "\n"


def health_page(articles: Sequence[Article], result: CheckResult) -> str:
    audiences = Counter(a.audience.value for a in articles)
    langs = Counter(a.lang or "default" for a in articles)
    rules = Counter((f.rule, f.severity.value) for f in result.findings)
    lines = [
        f"{len(articles)} pages: "
        + ", ".join(f"{n} {k}" for k, n in sorted(audiences.items()))
        + "; languages: "
        + ", ".join(f"{k} {n}" for k, n in sorted(langs.items()))
        + ".",
        "",
        f"Findings: {result.errors} errors, {result.warnings} warnings.",
        "",
    ]
    if rules:
        lines += ["| Rule | Severity | Findings |", "|---|---|---|"]
        lines += [f"| {code} | {sev} | {n} |" for (code, sev), n in sorted(rules.items())]
        lines += ["", "| File | Line | Rule | Message |", "|---|---|---|---|"]
        lines += [
            f"| `{f.path}` | {f.line} | {f.rule} | {f.message.replace('|', '/')} |" for f in result.findings
        ]
    return "\n".join(lines) + "\n"
