"""What readers said in "Was this article helpful?": an export of the votes (CSV with a header
`page, vote, reason, date`, or JSON lines as the widget sends them) read into helpful and not
helpful per page, least helpful first, with the reasons given and each page's owner."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.model import Article
from generator.reports.exports import records

VOTES = {"yes": True, "1": True, "true": True, "no": False, "0": False, "false": False}


class FeedbackError(ValueError):
    """The export cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class PageVotes:
    page: str  # the page's URL path below the site root as the widget sends it ("reset-password/")
    title: str  # the article's title; the page when no article has that id
    owner: str  # "" when no article has that id
    yes: int
    no: int
    reasons: tuple[str, ...]  # as given, newest first

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def helpful(self) -> float:
        return self.yes / self.votes if self.votes else 0.0


@dataclass(frozen=True)
class FeedbackReport:
    source: str
    votes: int
    pages: tuple[PageVotes, ...]  # least helpful first, then most votes


def _records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    return records(path, ("page", "vote"), ("reason", "date"), FeedbackError)


def feedback(config: SiteConfig, path: Path, articles: Sequence[Article]) -> FeedbackReport:
    """The votes of the export at `path`, per page; a record with a reason counts only its reason
    (the widget sends the vote first, then the reason with the same vote). Titles and owners are
    the default language's."""
    by_id = {a.id: a for a in articles if config.language_of(a).default}
    yes: dict[str, int] = {}
    no: dict[str, int] = {}
    reasons: dict[str, list[tuple[str, str]]] = {}
    total = 0
    for line, record in _records(path):
        page = str(record.get("page") or "").strip().strip("/")
        vote = VOTES.get(str(record.get("vote", "")).strip().casefold())
        if not page or vote is None:
            raise FeedbackError(f"{path}:{line}: needs a page and a vote (yes or no)")
        reason = " ".join(str(record.get("reason") or "").split())
        if reason:
            reasons.setdefault(page, []).append((str(record.get("date") or ""), reason))
            continue
        total += 1
        (yes if vote else no)[page] = (yes if vote else no).get(page, 0) + 1
    out = []
    for page in sorted(set(yes) | set(no) | set(reasons)):
        article = by_id.get(page.split("/")[-1])
        given = tuple(r for _, r in sorted(reasons.get(page, []), reverse=True))
        out.append(
            PageVotes(
                page + "/",
                article.title if article else page,
                article.owner if article else "",
                yes.get(page, 0),
                no.get(page, 0),
                given,
            )
        )
    out.sort(key=lambda p: (p.helpful if p.votes else 1.0, -p.votes, p.page))
    return FeedbackReport(str(path), total, tuple(out))
