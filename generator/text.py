"""Prose out of an article: sentences and words, with code, tables and markup left out."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.mdparse import internal_blocks, plain_text
from generator.model import Article

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.")
_ABBREVIATION = re.compile("|".join(re.escape(a) for a in _ABBREVIATIONS))
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]*\s+|(?<=[。！？])")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’.-][A-Za-z0-9\u00C0-\u024F]+)*")


@dataclass(frozen=True)
class Paragraph:
    line: int  # file line where the paragraph starts
    text: str
    internal: bool  # inside an `!!! internal` block


def paragraphs(article: Article) -> tuple[Paragraph, ...]:
    """Prose paragraphs and list items of the body; code, tables and HTML are left out."""
    return _prose(article)[0]


def paragraphs_matching(
    article: Article, pattern: re.Pattern[str], table: dict[int, str] | None = None
) -> list[Paragraph]:
    """The paragraphs in which `pattern` (case-insensitive) may match, their text translated
    with the one-character `table` if given; found with one search of all the prose instead of
    one per paragraph. Every paragraph a match spans is included, so searching each of them
    finds what searching every paragraph would."""
    found, joined, starts = _prose(article)
    hit: set[int] = set()
    for offset, text in find_ignoring_case(pattern, joined.translate(table) if table else joined):
        first = bisect.bisect_right(starts, offset) - 1
        last = bisect.bisect_right(starts, offset + max(len(text) - 1, 0)) - 1
        hit.update(range(first, last + 1))
    return [found[i] for i in sorted(hit)]


def _prose(article: Article) -> tuple[tuple[Paragraph, ...], str, list[int]]:
    # Several rules read the same article's prose one after the other: walk its tokens once.
    if _last and _last[0] is article:
        return _last[1]
    found = _paragraphs(article)
    joined = "\n".join(p.text for p in found)
    starts = list(itertools.accumulate((len(p.text) + 1 for p in found[:-1]), initial=0))
    _last[:] = [article, (found, joined, starts)]
    return found, joined, starts


_last: list[Any] = []  # [article, (its paragraphs, their text joined, where each starts)]


def _paragraphs(article: Article) -> tuple[Paragraph, ...]:
    lines = article.body.split("\n")
    internal = {k for b in internal_blocks(lines) for k in range(b.start, b.end)}
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


def find_ignoring_case(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, str]]:
    """(offset, matched text) of each match of a case-insensitive `pattern` in `text`.

    Python's engine scans ten times slower with IGNORECASE than without, so when the pattern has
    no upper-case letters of its own, a case-sensitive copy searches the lower-cased text; the
    offsets map back because lower-casing kept the length. Otherwise the pattern runs as given."""
    folded = _case_sensitive(pattern)
    low = text.lower() if folded is not None else ""
    if folded is None or len(low) != len(text):
        for match in pattern.finditer(text):
            yield match.start(), match.group(0)
        return
    for match in folded.finditer(low):
        yield match.start(), text[match.start() : match.end()]


@cache
def _case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    # Escapes such as \S and \W, and group syntax such as (?P<name>, keep their case.
    own_letters = re.sub(r"\\.|\(\?P[<=>]", "", pattern.pattern)
    if not pattern.flags & re.IGNORECASE or own_letters != own_letters.lower():
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
