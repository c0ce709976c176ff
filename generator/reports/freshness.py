"""Which pages are overdue for review or due soon, grouped by owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.config import SiteConfig
from generator.model import Article
from generator.rules.freshness import review_due

OVERDUE, DUE_SOON = "overdue", "due soon"


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
    config: SiteConfig, today: date, articles: Sequence[Article], owner: str | None = None
) -> FreshnessReport:
    """Overdue and due-soon pages grouped by owner, each group oldest due date first."""
    window = config.review.due_soon_days
    by_owner: dict[str, list[ReviewItem]] = {}
    for a in articles:
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
