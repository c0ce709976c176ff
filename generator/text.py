"""Prose out of an article: sentences and words, with code, tables and markup left out."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, TypeVar, cast

from generator.model import Article

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.")
_ABBREVIATION = re.compile("|".join(re.escape(a) for a in _ABBREVIATIONS))
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]*\s+|(?<=[。！？])")
R = TypeVar("R")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’.-][A-Za-z0-9\u00C0-\u024F]+)*")


def per_article(fn: Callable[[Article], R]) -> Callable[[Article], R]:
    """`fn`, worked out once for the article it was last called with: the rules of a check read
    the same article one after another, so one remembered article is enough."""
    last: list[Any] = []  # [article, fn(article)]

    @functools.wraps(fn)
    def remembered(article: Article) -> R:
        if not last or last[0] is not article:
            last[:] = [article, fn(article)]
        return cast(R, last[1])

    return remembered


def sentences(text: str) -> list[str]:
    protected = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", "\x00"), text) if "." in text else text
    parts = [p.replace("\x00", ".").strip() for p in _SENTENCE_END.split(protected)]
    return [p for p in parts if p]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’) ").endswith((".", "!", "?", "。", "！", "？"))


def matches_ignoring_case(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a case-insensitive `pattern` in `text`.

    Python's engine scans ten times slower with IGNORECASE than without, so when the pattern has
    no upper-case letters of its own, a case-sensitive copy searches the lower-cased text: the
    offsets hold for `text` (lower-casing kept the length), the matched groups are in lower case.
    Otherwise the pattern runs as given."""
    folded = _case_sensitive(pattern)
    low = text.lower() if folded is not None else ""
    if folded is None or len(low) != len(text):
        return pattern.finditer(text)
    return folded.finditer(low)


@cache
def _case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    # Escapes such as \S and \W, and group syntax such as (?P<name>, keep their case.
    own_letters = re.sub(r"\\.|\(\?P[<=>]", "", pattern.pattern)
    if not pattern.flags & re.IGNORECASE or own_letters != own_letters.lower():
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
