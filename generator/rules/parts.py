"""KB103-KB108: the parts of the seven-part help article, each where it belongs.

Prerequisites, Steps (numbered), Tips, Troubleshooting and Related articles, as `##` sections in
that order; section names are configured per language under `languages:` in site_config.yml.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.mdparse import PARTS
from generator.model import Article, Hit, LinkKind, Section, Severity
from generator.rules.base import Context, rule
from generator.rules.structure import ARTICLES, closest_article, link_hit, part, resolve

MIN_RELATED = 2


def _require(article: Article, ctx: Context, name: str) -> Iterator[Hit]:
    if part(article, ctx, name) is None:
        heading = ctx.config.language_of(article).sections[name]
        line, where = _belongs(article, ctx, name)
        yield Hit(line, f"'## {heading}' section missing: add it {where}")


def _belongs(article: Article, ctx: Context, name: str) -> tuple[int, str]:
    """(file line, in words) where part `name` goes, by the seven-part order: before the first
    part of the page that comes after it, else after the last line of the page's text."""
    names = ctx.config.language_of(article).sections
    later = {names[p].casefold() for p in PARTS[PARTS.index(name) + 1 :]}
    following = next((s for s in article.sections if s.title.casefold() in later), None)
    if following is not None:
        return following.line, f"above '## {following.title}'"
    filled = [n for n, text in enumerate(article.lines) if text.strip()]
    line = article.body_line + (filled[-1] + 1 if filled else 0)
    last = min(line, article.body_line + len(article.lines) - 1)
    before = PARTS[: PARTS.index(name)]
    present = [s for s in article.sections if s.title.casefold() in {names[p].casefold() for p in before}]
    after = f", after '## {present[-1].title}'" if present else ""
    return last, f"at the end of the page{after}"


@rule("KB103", "missing-prerequisites", Severity.ERROR, types=ARTICLES, version=2)
def missing_prerequisites(article: Article, ctx: Context) -> Iterator[Hit]:
    """Prerequisites section missing.

    **What it does**: requires a `## Prerequisites` section (the name is per language).

    **Why it matters**: a customer who lacks a role, a plan or an app version fails at step 3 and
    opens a ticket; saying so up front saves both sides the trip.

    **Example**: `## Prerequisites` then `- An Administrator role in your workspace.`
    """
    yield from _require(article, ctx, "prerequisites")


@rule("KB104", "steps-not-numbered", Severity.ERROR, types=ARTICLES, version=2)
def steps_not_numbered(article: Article, ctx: Context) -> Iterator[Hit]:
    """Steps section missing, or not a numbered list.

    **What it does**: requires a `## Steps` section whose steps are a numbered (ordered) list.

    **Why it matters**: numbers let a customer keep their place and tell support "I'm stuck at
    step 4".

    **Example**: `- Open Settings` -> `1. Open **Settings**.`
    """
    steps = part(article, ctx, "steps")
    if steps is None:
        yield from _require(article, ctx, "steps")
        return
    tokens = article.section_tokens(steps)
    if any(t.type == "ordered_list_open" for t in tokens):
        return
    bullets = next((t for t in tokens if t.type == "bullet_list_open" and t.map), None)
    if bullets is not None:
        yield Hit(
            article.body_line + bullets.map[0],
            "Steps are bullets, not a numbered list: write '1. ', '2. ', ... in place of "
            f"'{bullets.markup} '",
        )
    else:
        yield Hit(
            steps.line,
            "Steps have no numbered list: write each step on its own line as '1. Open **Settings**.', "
            "'2. ...'",
        )


@rule("KB105", "missing-tips", Severity.ERROR, types=ARTICLES, version=2)
def missing_tips(article: Article, ctx: Context) -> Iterator[Hit]:
    """Tips section missing.

    **What it does**: requires a `## Tips` section with shortcuts or helpful context.

    **Why it matters**: tips answer the follow-up question before it becomes a second ticket.

    **Example**: `## Tips` then `- Press Ctrl+K to search from any page.`
    """
    yield from _require(article, ctx, "tips")


@rule("KB106", "troubleshooting-empty", Severity.ERROR, types=ARTICLES, version=2)
def troubleshooting_empty(article: Article, ctx: Context) -> Iterator[Hit]:
    """Troubleshooting section missing, empty, or a problem without its fix.

    **What it does**: requires `## Troubleshooting` with at least one problem, written as a `###`
    heading followed by its fix.

    **Why it matters**: customers arrive at a help article because something went wrong; the
    troubleshooting section is often the part they came for.

    **Example**: `### I didn't get the reset email` then `Check your spam folder, then ...`
    """
    section = part(article, ctx, "troubleshooting")
    if section is None:
        yield from _require(article, ctx, "troubleshooting")
        return
    tokens = article.section_tokens(section)
    if not any(t.type == "inline" and t.content.strip() for t in tokens):
        yield Hit(section.line, "Troubleshooting is empty: add a problem as a ### heading and its fix")
        return
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h3":
            following = tokens[i + 3] if i + 3 < len(tokens) else None
            if following is None or following.type == "heading_open":
                yield Hit(
                    article.body_line + tok.map[0], f"problem '{tokens[i + 1].content}' has no fix under it"
                )


@rule("KB107", "related-articles", Severity.ERROR, types=ARTICLES, uses_corpus=True)
def related_articles(article: Article, ctx: Context) -> Iterator[Hit]:
    """Related articles missing, fewer than two links, or a link that is not an article.

    **What it does**: requires `## Related articles` with at least two links to other articles,
    written as relative links to their Markdown files (`[Cancel your plan](../billing/cancel.md)`).
    Each link must resolve to an article in `kb_source/`.

    **Why it matters**: related links carry customers to the next question they have; a broken one
    is a dead end at the moment they need help.

    **Example**: `- [Reset your password](reset-password.md)`
    """
    section = part(article, ctx, "related")
    if section is None:
        yield from _require(article, ctx, "related")
        return
    found = [
        (i, link.target)
        for i, link in enumerate(article.links)
        if link.kind is LinkKind.LINK and section.line <= link.line <= section.end_line
    ]
    if len(found) < MIN_RELATED:
        yield Hit(
            section.line,
            f"Related articles has {len(found)} link(s); link at least {MIN_RELATED} articles, one per "
            "line as '- [How do I ...?](../category/article.md)'",
        )
    for i, href in found:
        target = resolve(article, href)
        if target is None:
            message = f"'{href}' is not a relative link to an article's .md file: link to the article's file"
            yield link_hit(article, i, message)
        elif ctx.index.by_path(target) is None:
            hint = closest_article(article, ctx, target)
            yield link_hit(article, i, f"'{href}' does not resolve to an article ({target} not found){hint}")


@rule("KB108", "section-order", Severity.ERROR, types=ARTICLES, version=2)
def section_order(article: Article, ctx: Context) -> Iterator[Hit]:
    """Sections out of order, repeated, or a `##` section the structure does not know.

    **What it does**: the `##` sections must be Prerequisites, Steps, Tips, Troubleshooting and
    Related articles, in that order (names per language). Use `###` inside a section for more
    headings.

    **Why it matters**: the same order on every page lets customers jump straight to the part
    they need, and lets the renderer style each part.

    **Example**: Tips before Steps -> move `## Tips` after `## Steps`.
    """
    names = ctx.config.language_of(article).sections
    order = {names[p].casefold(): n for n, p in enumerate(PARTS)}
    known = ", ".join(names[p] for p in PARTS)
    last: Section | None = None  # the part furthest along the order so far
    seen: dict[str, Section] = {}
    for section in article.sections:
        key = section.title.casefold()
        if key not in order:
            yield Hit(
                section.line,
                f"unknown section '## {section.title}' (sections are: {known}): rename it to one of "
                f"them, or make it a '### {section.title}' inside one",
            )
            continue
        if key in seen:
            yield Hit(
                section.line,
                f"section '## {section.title}' appears twice (first on line {seen[key].line}): merge the two",
            )
            continue
        if last is not None and order[key] < order[last.title.casefold()]:
            ahead = next(s for s in seen.values() if order[s.title.casefold()] > order[key])
            yield Hit(
                section.line,
                f"section '## {section.title}' is out of order: move it before '## {ahead.title}' "
                f"(line {ahead.line}); the order is {known}",
            )
        seen[key] = section
        if last is None or order[key] > order[last.title.casefold()]:
            last = section
