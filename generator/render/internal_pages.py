"""The generated pages only the internal site has: review queue, KB health, translations and the
rules reference, all from `generator.reports` and the rule registry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from generator import reports
from generator.config import SiteConfig
from generator.model import INTERNAL_REPORTS, Article, CheckResult
from generator.render.stage import Report
from generator.rules import select


def internal_reports(
    config: SiteConfig, today: date, articles: Sequence[Article], result: CheckResult
) -> tuple[Report, ...]:
    queue = reports.freshness_markdown(
        reports.freshness(config, today, corpus=articles), link_base=_LINK_BASE
    )
    pages = {
        "review-queue": ("Review queue", _link_pages(queue, articles)),
        "health": (
            "KB health",
            reports.health_markdown(reports.health(config, today, result, corpus=articles)),
        ),
        "translation-status": (
            "Translations",
            reports.translations_markdown(reports.translations(config, corpus=articles)),
        ),
        "rules": ("Rules reference", reports.rules_reference(select(), markdown=True)),
    }
    return tuple(
        Report(page_id, pages[page_id][0], _demote(pages[page_id][1])) for page_id in INTERNAL_REPORTS
    )


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
