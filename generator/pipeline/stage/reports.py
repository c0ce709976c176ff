"""The generated pages only the internal site has: review queue, KB health, translations,
variables and snippets (reuse) and the rules reference, all from generator.reports and the rule
registry, written by generator.output."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from generator.config import SiteConfig
from generator.mdparse import literal
from generator.model import INTERNAL_REPORTS, Article, CheckResult
from generator.output import feedback as feedback_output
from generator.output import freshness as freshness_output
from generator.output import health as health_output
from generator.output import reuse as reuse_output
from generator.output import rules as rules_output
from generator.output import translations as translations_output
from generator.pipeline.stage import Report
from generator.pipeline.stage.agenda import ahead, health_notes, rules_summary
from generator.reports.feedback import FeedbackError, feedback
from generator.reports.freshness import freshness
from generator.reports.health import health
from generator.reports.reuse import reuse
from generator.reports.translations import translations
from generator.rules import select


def internal_reports(
    config: SiteConfig, today: date, articles: Sequence[Article], result: CheckResult
) -> tuple[Report, ...]:
    queue = freshness_output.markdown(freshness(config, today, articles), link_base=_LINK_BASE)
    queue += "\n" + ahead(config, today, articles, _LINK_BASE)
    report = health_output.markdown(health(config, today, result, articles)) + "\n" + health_notes()
    rules = rules_summary(select()) + rules_output.reference(select(), markdown=True)
    if config.feedback.export:
        report += "\n" + _least_helpful(config, articles)
    pages = {
        "review-queue": _link_pages(queue, articles),
        "health": report,
        "translation-status": translations_output.markdown(translations(config, articles)),
        "reuse": reuse_output.markdown(reuse(config, articles)),
        "rules": rules,
    }
    return tuple(Report(page_id, TITLES[page_id], _demote(pages[page_id])) for page_id in INTERNAL_REPORTS)


# Each report's title: also the navigation's, which `kb serve` stages before the check has run.
TITLES = {
    "review-queue": "Review queue",
    "health": "KB health",
    "translation-status": "Translations",
    "reuse": "Variables and snippets",
    "rules": "Rules reference",
}


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


def _least_helpful(config: SiteConfig, articles: Sequence[Article]) -> str:
    """The health page's least helpful articles, from `feedback.export`; a file that cannot be
    read is said on the page rather than failing the build."""
    path = config.root / str(config.feedback.export)
    try:
        return feedback_output.markdown(feedback(config, path, articles))
    except FeedbackError as err:
        return f"## Least helpful articles\n\n{literal(str(err))}\n"
