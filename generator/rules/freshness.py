"""KB2xx: review dates. Every article names the day it was last reviewed; these rules say when the
next review is due, catch impossible dates, and catch translations left behind by their source."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule

if TYPE_CHECKING:  # generator.config imports the rule registry
    from generator.config import SiteConfig


def as_date(value: object) -> date | None:
    """A front-matter date (kept as a string by the loader), or None when absent or not a date."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def interval_days(article: Article, config: SiteConfig) -> int:
    """The article's own interval, else its category's, else the site default."""
    own = article.meta.get("review_interval_days")
    if own:
        return int(own)
    category = config.category(article.category)
    if category is not None and category.review_interval_days:
        return category.review_interval_days
    return config.review.default_interval_days


@dataclass(frozen=True)
class ReviewDue:
    last_reviewed: date
    interval: int
    due: date
    days_left: int  # negative when overdue


def review_due(article: Article, config: SiteConfig, today: date) -> ReviewDue | None:
    """When the next review is due; None when last_reviewed is missing or in the future (KB204)."""
    reviewed = as_date(article.meta.get("last_reviewed"))
    if reviewed is None or reviewed > today:
        return None
    interval = interval_days(article, config)
    due = reviewed + timedelta(days=interval)
    return ReviewDue(reviewed, interval, due, (due - today).days)


@rule("KB201", "review-overdue", Severity.ERROR)
def review_overdue(article: Article, ctx: Context) -> Iterator[Hit]:
    """Review overdue: last_reviewed plus the review interval is before today.

    **What it does**: the interval is the article's `review_interval_days`, else its category's
    `review_interval_days` in site_config.yml, else `review.default_interval_days` (180).

    **Why it matters**: plans, screens and prices change; an article nobody has checked for months
    sends customers down steps that no longer exist, and they open a ticket anyway.

    **Example**: `last_reviewed: 2026-01-05` on a security page (every 90 days) is overdue on
    2026-04-06: review it, then set `last_reviewed` to the review date.
    """
    status = review_due(article, ctx.config, ctx.today)
    if status is not None and status.days_left < 0:
        yield Hit(
            article.field_line("last_reviewed"),
            f"review overdue by {-status.days_left} days: last reviewed {status.last_reviewed}, "
            f"due every {status.interval} days (was due {status.due})",
        )


@rule("KB202", "review-due-soon", Severity.WARNING)
def review_due_soon(article: Article, ctx: Context) -> Iterator[Hit]:
    """Review due soon: the next review falls within `review.due_soon_days` (14) of today.

    **What it does**: warns from two weeks before the due date (the window is configurable) until
    the day itself; after that KB201 takes over.

    **Why it matters**: owners can plan reviews instead of finding a red build.

    **Example**: `last_reviewed: 2026-05-30` with a 180-day interval warns from 2026-11-12.
    """
    status = review_due(article, ctx.config, ctx.today)
    window = ctx.config.review.due_soon_days
    if status is not None and 0 <= status.days_left <= window:
        yield Hit(
            article.field_line("last_reviewed"),
            f"review due in {status.days_left} days (on {status.due}); last reviewed {status.last_reviewed}",
        )


@rule("KB204", "date-in-future", Severity.ERROR)
def date_in_future(article: Article, ctx: Context) -> Iterator[Hit]:
    """A review or change date in the future.

    **What it does**: `last_reviewed`, `last_changed` and `compliance_review.date` must be today or
    earlier.

    **Why it matters**: a future date silently postpones the next review by the same amount, and is
    usually a typo (2062 for 2026).

    **Example**: `last_reviewed: 2062-10-01` -> `last_reviewed: 2026-10-01`
    """
    review = article.meta.get("compliance_review")
    fields = {
        "last_reviewed": article.meta.get("last_reviewed"),
        "last_changed": article.meta.get("last_changed"),
        "compliance_review": review.get("date") if isinstance(review, dict) else None,
    }
    for name, value in fields.items():
        day = as_date(value)
        if day is not None and day > ctx.today:
            label = "compliance_review.date" if name == "compliance_review" else name
            yield Hit(article.field_line(name), f"{label} {day} is in the future (today is {ctx.today})")


@rule("KB205", "translation-stale", Severity.WARNING, uses_corpus=True)
def translation_stale(article: Article, ctx: Context) -> Iterator[Hit]:
    """Translation older than its source, or a translation without a source.

    **What it does**: a translation (a file whose `lang` is not the default language) is made from
    the source article with the same `id`. Its `translation_of_date` (else its `last_reviewed`)
    must not be earlier than the source's `last_changed` (else `last_reviewed`).

    **Why it matters**: when the English steps change, the translated page keeps the old steps;
    customers reading it follow instructions that no longer work.

    **Example**: the source changed on 2026-10-01 and `translation_of_date: 2026-06-01` -> update the
    translation, then set `translation_of_date: 2026-10-01`.
    """
    lang = ctx.config.language_of(article)
    if lang.default:
        return
    sources = [e for e in ctx.index.by_id(article.id) if ctx.config.language_of(e).default]
    if not sources:
        yield Hit(
            article.field_line("id"),
            f"translation '{article.id}' ({lang.code}) has no source article in "
            f"'{ctx.config.default_language}' with that id",
        )
        return
    lag = translation_lag(article.meta, sources[0].last_changed)
    if lag is not None:
        yield Hit(
            article.field_line(lag.field),
            f"translation is stale: {lag.field} {lag.made} is before the source's last change {lag.changed} "
            f"({sources[0].path})",
        )


@dataclass(frozen=True)
class Lag:
    field: str  # the translation's date field that was compared
    made: date
    changed: date


def translation_lag(meta: Mapping[str, object], source_last_changed: str) -> Lag | None:
    """How far a translation trails its source, or None when it is current (or dates are missing)."""
    field = "translation_of_date" if meta.get("translation_of_date") else "last_reviewed"
    made = as_date(meta.get(field))
    changed = as_date(source_last_changed)
    if made is not None and changed is not None and made < changed:
        return Lag(field, made, changed)
    return None
