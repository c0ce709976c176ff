"""Prose out of an article: sentences and words, with code, tables and markup left out."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar, cast

from generator.mdparse import plain_text
from generator.model import Article

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.")
_ABBREVIATION = re.compile("|".join(re.escape(a) for a in _ABBREVIATIONS))
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]*\s+|(?<=[。！？])")
R = TypeVar("R")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’.-][A-Za-z0-9\u00C0-\u024F]+)*")


@dataclass(frozen=True)
class Paragraph:
    line: int  # file line where the paragraph starts
    text: str
    internal: bool  # inside an `!!! internal` block


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


def paragraphs(article: Article) -> tuple[Paragraph, ...]:
    """Prose paragraphs and list items of the body; code, tables and HTML are left out."""
    return _prose(article)[0]


def prose_matches(
    article: Article, pattern: re.Pattern[str], table: dict[int, str] | None = None
) -> Iterator[tuple[Paragraph, str]]:
    """(paragraph, matched text) of each match of a case-insensitive `pattern` in the article's
    paragraphs, their text translated with the one-character `table` if given.

    One search of all the prose finds the paragraphs a match may be in, instead of one search per
    paragraph; every paragraph a match spans is searched, so nothing a search of every paragraph
    would find is missed."""
    found, joined, starts = _prose(article)
    hit: set[int] = set()
    for match in matches_ignoring_case(pattern, joined.translate(table) if table else joined):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
        hit.update(range(first, last + 1))
    for i in sorted(hit):
        text = found[i].text.translate(table) if table else found[i].text
        for match in matches_ignoring_case(pattern, text):
            yield found[i], text[match.start() : match.end()]


@per_article
def _prose(article: Article) -> tuple[tuple[Paragraph, ...], str, list[int]]:
    """The paragraphs, their text joined by newlines, and where each starts in it."""
    found = _paragraphs(article)
    joined = "\n".join(p.text for p in found)
    starts = list(itertools.accumulate((len(p.text) + 1 for p in found[:-1]), initial=0))
    return found, joined, starts


def _paragraphs(article: Article) -> tuple[Paragraph, ...]:
    internal = article.internal_lines
    out: list[Paragraph] = []
    in_table = False
    heading = False
    for tok in article.tokens:
        if tok.type == "table_open":
            in_table = True
        elif tok.type == "table_close":
            in_table = False
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline" and not in_table and tok.map and not heading:
            text = plain_text(tok).strip()
            if text:
                start = tok.map[0]
                out.append(Paragraph(article.body_line + start, text, start in internal))
    return tuple(out)


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
