"""KB305: sensitive pages need a current compliance review; and the line reader the KB3xx rules
share.

The other KB3xx rules are one module per family: personal data (KB301) in rules/privacy.py,
credentials (KB302) in rules/credentials.py, internal links and terms (KB303, KB304) in
rules/agent.py, image alt text (KB307) in rules/images.py, promises (KB308) in rules/promises.py;
unsafe HTML and SVG (KB306, KB309, KB311) in rules/html.py, agent-only blocks (KB310) in
rules/boundary.py."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.freshness import as_date


def numbered_lines(article: Article, *, public: bool) -> Iterator[tuple[int, str]]:
    """(file line, text) of every body line; agent-only blocks blanked when `public`."""
    for n, text in enumerate(article.public_lines if public else article.lines):
        if text.strip():
            yield article.body_line + n, text


@rule("KB305", "compliance-review", Severity.ERROR)
def compliance_review(article: Article, ctx: Context) -> Iterator[Hit]:
    """A sensitive page without a current compliance review.

    **What it does**: a page in a category listed in `compliance.sensitive_categories` (security)
    or with a tag in `compliance.sensitive_tags` (security, privacy, legal, refunds) needs
    `compliance_review: {reviewer, date}`, and the review date must not be before the page's last
    change (`last_changed`, else `last_reviewed`).

    **Why it matters**: the knowledge-base procedure requires a compliance check of security,
    privacy, legal and refund content before it is published, and again after each change.

    **Example**: add `compliance_review: {reviewer: Priya Nair, date: 2026-10-02}` after the
    review.
    """
    opts = ctx.config.compliance
    tags = {str(t) for t in article.meta.get("tags") or ()}
    reasons = []
    if article.category in opts.sensitive_categories:
        reasons.append(f"category '{article.category}'")
    reasons += [f"tag '{t}'" for t in sorted(tags & set(opts.sensitive_tags))]
    if not reasons:
        return
    review = article.meta.get("compliance_review")
    changed_field = "last_changed" if article.meta.get("last_changed") else "last_reviewed"
    changed = as_date(article.meta.get(changed_field))
    if not isinstance(review, Mapping) or not review.get("reviewer") or not review.get("date"):
        yield Hit(
            article.field_line("category" if reasons[0].startswith("category") else "tags"),
            f"sensitive page ({', '.join(reasons)}) needs compliance_review: {{reviewer, date}}",
        )
    elif (reviewed := as_date(review.get("date"))) and changed and reviewed < changed:
        yield Hit(
            article.field_line("compliance_review"),
            f"compliance review {reviewed} is older than the page's {changed_field} {changed}: "
            "review it again",
        )
