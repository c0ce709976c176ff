"""What the internal site's report pages add for agents: the reviews ahead of the review queue,
what each column of the health table means, and the rules reference's summary table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from generator.config import SiteConfig
from generator.mdparse import literal
from generator.model import Article
from generator.rules import Rule
from generator.rules.freshness import review_due

WINDOWS = (30, 60, 90)  # days ahead the review queue lists, in bands

HEALTH_COLUMNS = (
    ("Category", "the category of `categories:` in site_config.yml; the last row is the whole help center"),
    ("Pages", "articles and free-form pages in it, public and internal"),
    ("Public", "pages customers see on the public help center"),
    ("Internal", "agent-only pages (`audience: internal`)"),
    ("Clean", "share of its pages with no error or warning from `kb check`"),
    ("Median grade", "the median reading grade of its public pages (KB401; 8 or below reads easily)"),
    ("Errors", "rule codes with error findings, and how many: each stops `kb build`"),
    ("Warnings", "rule codes with warning findings, and how many"),
    ("Oldest review", "the earliest `last_reviewed` date among its pages"),
)


def ahead(config: SiteConfig, today: date, articles: Sequence[Article], link_base: str) -> str:
    """Markdown: the reviews due in the next 30, 60 and 90 days (after the due-soon window the
    queue above already lists), each band grouped by owner, soonest first."""
    soon = config.review.due_soon_days
    out = [f"## Coming up\n\nReviews due in the next {WINDOWS[-1]} days, after the ones above.\n"]
    start = soon
    for end in WINDOWS:
        if end <= start:
            continue
        band = []
        for a in articles:
            status = review_due(a, config, today)
            if status is not None and start < status.days_left <= end:
                band.append((a.owner, status.due, a.path, a.title, status.last_reviewed))
        out.append(f"### In {start + 1} to {end} days ({len(band)})\n")
        if not band:
            out.append("Nothing due.\n")
        for owner in sorted({b[0] for b in band}, key=str.casefold):
            rows = sorted(b for b in band if b[0] == owner)
            out.append(f"**{literal(owner)}** ({len(rows)})\n")
            out.append("| Due | Last reviewed | Page |\n| --- | --- | --- |")
            out += [f"| {d} | {last} | [{literal(t)}]({link_base}{path}) |" for _, d, path, t, last in rows]
            out.append("")
        start = end
    return "\n".join(out) + "\n"


def health_notes() -> str:
    """Markdown: what each column of the health table means."""
    lines = ["## What the columns mean\n"]
    lines += [f"- **{name}**: {meaning}." for name, meaning in HEALTH_COLUMNS]
    return "\n".join(lines) + "\n"


def rules_summary(rules: Iterable[Rule]) -> str:
    """Markdown: one row per rule (code, alias, default severity, its first line), each code
    linking to its details below."""
    lines = [
        "## All rules at a glance\n",
        "| Code | Alias | Severity | What it checks |",
        "| --- | --- | --- | --- |",
    ]
    for r in rules:
        first = r.doc.strip().splitlines()[0] if r.doc.strip() else ""
        anchor = f"{r.code}-{r.alias}".lower()
        lines.append(f"| [{r.code}](#{anchor}) | `{r.alias}` | {r.default.value} | {literal(first)} |")
    return "\n".join(lines) + "\n\n"
