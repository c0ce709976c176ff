"""KB308: promises support may not be able to keep, in the writer's own prose (data/promises.yml)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.prose import prose_search
from generator.rules.style import locate
from generator.rules.wordlists import load


@cache
def _promise_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def _negation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A negation among the last three words of a sentence's start ("Microsoft cannot ")."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) if w.startswith("n'") else rf"\b{re.escape(w)}" for w in words)
    return re.compile(rf"(?:{alternatives})\b(?:\W+\w+){{0,2}}\W*$", re.IGNORECASE)


# Where the sentence a match is in starts: after the last full stop, question or exclamation mark.
_SENTENCE_START = re.compile(r".*[.!?]\s", re.DOTALL)


def negated(text: str, start: int, negations: re.Pattern[str]) -> bool:
    """Whether the words just before `start` in `text` (at most three, in its sentence) negate
    what follows."""
    before = text[max(0, start - 80) : start]
    opening = _SENTENCE_START.match(before)
    return negations.search(before[opening.end() :] if opening else before) is not None


@rule("KB308", "promises", Severity.WARNING, version=3)
def promises(article: Article, ctx: Context) -> Iterator[Hit]:
    """A promise support cannot keep ("we guarantee", "100% uptime", "never happens again").

    **What it does**: looks for the phrases in `data/promises.yml` (per language) and the extra
    phrases in `style.promises` or `compliance.promises`, in the writer's own prose on every page
    type (text quoted from the product, such as a message in a block quote, is left out). A
    promise is made in our voice or about what the reader gets: how the product behaves ("the
    tab is always available", "this setting guarantees unique keys") is not one, and neither is
    a phrase the words just before it negate ("Microsoft cannot guarantee", "may not be 100%
    accurate").

    **Why it matters**: the playbooks say "don't make promises you can't keep": a guarantee in a
    help article is quoted back in the next complaint, and may be read as a contract term.

    **Example**: "We guarantee the error never happens again." -> "This prevents the most
    common cause of the error."
    """
    data = load("promises")
    lang = ctx.config.language_of(article).base
    extra = [*ctx.config.style.promises, *ctx.config.compliance.promises]
    patterns = [*(data.get(lang) or ())]
    patterns += [rf"(?<!\w){re.escape(str(p))}(?!\w)" for p in extra]
    if not patterns:
        return
    pattern = _promise_pattern(tuple(patterns))
    negations = _negation(tuple(str(w) for w in (data.get("negations") or {}).get(lang) or ()))
    for p, match in prose_search(article, pattern):
        if negations is not None and negated(p.text, match.start(), negations):
            continue
        line, column = locate(article, p, match.group(0))
        yield Hit(line, f"'{match.group(0)}' promises what support may not be able to keep", column)
