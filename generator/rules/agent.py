"""KB303, KB304: what only agents may see, named on a public page: links to internal pages,
internal page ids in keywords, and the agent-only terms of site_config.yml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from generator.model import Article, Audience, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.compliance import numbered_lines
from generator.rules.structure import links, resolve


@rule("KB303", "links-to-internal", Severity.ERROR, public_only=True, uses_corpus=True, version=2)
def links_to_internal(article: Article, ctx: Context) -> Iterator[Hit]:
    """A public page links to an internal page, or names one in its `keywords:` or `tags:`.

    **What it does**: resolves each relative `.md` link outside agent-only blocks and fails when
    the target article has `audience: internal`. A keyword or tag that is an internal page's id
    (`refund-authorization`) is reported too: keywords are printed in the page for search.

    **Why it matters**: internal pages are not on the public site; the customer gets a dead link,
    and the link text may already say more than it should. An id in the search terms tells
    outsiders the name of an agent-only page.

    **Example**: `[refund approvals](../agent-playbooks/refunds.md)` in a public article -> link the
    public refund policy, or move the sentence into a `!!! internal` block.
    """
    for field in ("keywords", "tags"):
        for value in article.meta.get(field) or ():
            for word in _slugs(str(value)):
                entries = ctx.index.by_id(word)
                if entries and all(e.audience is Audience.INTERNAL for e in entries):
                    yield Hit(
                        article.field_line(field),
                        f"{field} '{value}' names the internal page '{word}' ({entries[0].title}): "
                        "remove it or say it in the customer's words",
                    )
    hidden = {article.body_line + k for k in article.internal_lines}
    for line, href in links(article):
        target = resolve(article, href)
        entry = ctx.index.by_path(target) if target and line not in hidden else None
        if entry is not None and entry.audience is Audience.INTERNAL:
            yield Hit(line, f"public page links to internal page '{href}' ({entry.title})")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def _slugs(value: str) -> list[str]:
    """The words of a keyword that could be a page id: the whole keyword, and each hyphenated word."""
    lowered = value.strip().lower()
    return list(dict.fromkeys([lowered, *_SLUG.findall(lowered)]))


@cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w#@.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@rule("KB304", "agent-only-terms", Severity.ERROR, public_only=True)
def agent_only_terms(article: Article, ctx: Context) -> Iterator[Hit]:
    """Agent-only terms in public text: internal tools, channels, files and hosts.

    **What it does**: looks for the terms in `compliance.agent_only_terms` (for example Zendesk,
    Jira, `#incident-channel`, `customer_analytics.csv`) in public pages, outside `!!! internal`
    blocks.

    **Why it matters**: customers cannot open our ticketing tool or Slack channels; naming them is
    confusing at best and tells outsiders how we work inside.

    **Example**: "We track this in Jira" -> "We track this and email you when it's fixed", or move
    the sentence into a `!!! internal "Agent note"` block.
    """
    terms = tuple(t for t in ctx.config.compliance.agent_only_terms if t.strip())
    if not terms:
        return
    pattern = _terms_pattern(terms)
    if not _may_hold("\n".join(article.public_lines), terms, pattern):
        return
    for line, text in numbered_lines(article, public=True):
        for match in pattern.finditer(text):
            yield Hit(line, f"agent-only term '{match.group(0)}' in public text", match.start() + 1)


def _may_hold(text: str, terms: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
    """Whether `pattern` (the terms, case blind) may match in a line of `text`: on ASCII text,
    where matching case blind is comparing lower case, whether a term is in it at all; else one
    search of the whole text. Most pages hold no term, and searching each of their lines case
    blind was 1.8 s of a check of the 3,770 corpus files."""
    if text.isascii() and all(t.isascii() for t in terms):
        lowered = text.lower()
        return any(t.lower() in lowered for t in terms)
    return pattern.search(text) is not None
