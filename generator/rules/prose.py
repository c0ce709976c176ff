"""The writer's own sentences: what the prose rules (KB308, KB401-KB404) read.

They judge wording, so they read only text the writer wrote and can reword. Left out, as code
always was: tables and headings; block quotes, which in a help article quote the product (an
error message, a log, a dialog's text), except a note written as an alert (`> [!NOTE]`); lines
that are not sentences (a docfx `:::image` directive, a stack frame); and whatever
`data/prose.yml` names. Read as one word each, since the reader reads them as one: bold text (a
UI label), a code span, quoted text ("the message "Access denied" appears"), a docfx include.

A paragraph's line breaks are kept apart from its text: a hard break (two spaces or `<br>` at a
line's end) or a soft break between two lines that are each a link or a label alone separates
items of a list, not words of a sentence (`segments`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.model import Article
from generator.rules.wordlists import load
from generator.text import ends_sentence, matches_ignoring_case, per_article, sentences

STAND_IN = "X"  # what a name or a quotation reads as: one word of one syllable, in no phrase
_HARD = "\r"  # a hard break while a paragraph's text is put together
_SOFT = "\n"
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Prose:
    """A paragraph or list item of the writer's own text."""

    line: int  # file line where the paragraph starts
    text: str  # its text: markup dropped, names and quotations as STAND_IN, breaks as spaces
    breaks: tuple[int, ...] = ()  # offsets in `text` of the breaks that separate list items


@per_article
def prose(article: Article) -> tuple[Prose, ...]:
    """The prose paragraphs and list items of the body, in order."""
    out: list[Prose] = []
    in_table = heading = False
    quotes: list[bool] = []  # for each block quote the walk is in: whether it is a quotation
    tokens = article.tokens
    for i, tok in enumerate(tokens):
        if tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"
        elif tok.type in ("heading_open", "heading_close"):
            heading = tok.type == "heading_open"
        elif tok.type == "blockquote_open":
            quotes.append(not _alert(tokens, i))
        elif tok.type == "blockquote_close":
            quotes.pop()
        elif tok.type == "inline" and tok.map and not in_table and not heading and not any(quotes):
            found = _paragraph(article.body_line + tok.map[0], tok.children or ())
            if found is not None:
                out.append(found)
    return tuple(out)


def _alert(tokens: Sequence[Any], i: int) -> bool:
    """Whether the block quote opened at tokens[i] starts with an alert marker (`[!NOTE]`)."""
    first = next((t for t in tokens[i + 1 : i + 4] if t.type == "inline"), None)
    return first is not None and _alert_marker().match(first.content) is not None


def _paragraph(line: int, children: Sequence[Any]) -> Prose | None:
    lines = _lines(children)
    kept = [(text, alone, hard) for text, alone, hard in lines if not _not_prose().search(text)]
    if kept and _alert_marker().fullmatch(kept[0][0]):
        kept = kept[1:]  # the `[!NOTE]` marker line
    joined = ""
    for n, (text, alone, _) in enumerate(kept):
        if n:
            _, alone_before, hard_before = kept[n - 1]
            # A break between two lines that are each a link or a label alone is a list's.
            joined += _HARD if hard_before or (alone_before and alone) else _SOFT
        joined += text
    names = _names(joined)
    joined = _quoted().sub(STAND_IN, names.sub(STAND_IN, joined) if names else joined)
    if not _WORDY.search(joined.replace(STAND_IN, "")):
        return None  # nothing but labels, names and punctuation
    breaks = tuple(m.start() for m in re.finditer(_HARD, joined))
    text = joined.replace(_HARD, " ").replace(_SOFT, " ")
    stripped = len(text) - len(text.lstrip())
    return Prose(line, text.strip(), tuple(b - stripped for b in breaks))


_WORDY = re.compile(r"[^\W\d_]{2,}")


def _lines(children: Sequence[Any]) -> list[tuple[str, bool, bool]]:
    """(text, a link or label alone?, ends in a hard break?) of each line of an inline token."""
    out: list[tuple[str, bool, bool]] = []
    pieces: list[str] = []
    elements = words = 0  # links and labels on the line; text outside them that has letters
    skip = 0  # depth of bold being read as one word
    link = False
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak") or (kind == "html_inline" and _BR.fullmatch(child.content)):
            out.append(("".join(pieces), elements == 1 and not words, kind != "softbreak"))
            pieces, elements, words = [], 0, 0
        elif kind == "strong_open":
            if not skip:
                pieces.append(STAND_IN)
                elements += not link
            skip += 1
        elif kind == "strong_close":
            skip = max(0, skip - 1)
        elif skip:
            continue
        elif kind == "link_open":
            link = True
            elements += 1
        elif kind == "link_close":
            link = False
        elif kind == "code_inline":
            pieces.append(STAND_IN)
            elements += not link
        elif kind == "text":
            pieces.append(child.content)
            words += not link and _WORDY.search(child.content) is not None
    out.append(("".join(pieces), elements == 1 and not words, False))
    return out


@cache
def _data() -> dict[str, Any]:
    return dict(load("prose"))


@cache
def _not_prose() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _data()["not_prose_lines"]))


def _names(text: str) -> re.Pattern[str] | None:
    """The names pattern (data/prose.yml) less the ones whose `needs` `text` does not hold: they
    cannot match in it, so what the pattern finds is the same, and a paragraph is searched for
    two or three names instead of five, each tried at every word (half of the prose's cost).
    None when none can match."""
    return _names_of(tuple(needs is None or needs.search(text) is not None for _, needs in _name_patterns()))


@cache
def _name_patterns() -> tuple[tuple[str, re.Pattern[str] | None], ...]:
    return tuple(
        (str(n), None) if isinstance(n, str) else (str(n["pattern"]), re.compile(str(n["needs"])))
        for n in _data()["names"]
    )


@cache
def _names_of(searched: tuple[bool, ...]) -> re.Pattern[str] | None:
    kept = [p for (p, _), keep in zip(_name_patterns(), searched, strict=True) if keep]
    return re.compile("|".join(f"(?:{p})" for p in kept)) if kept else None


@cache
def _quoted() -> re.Pattern[str]:
    # An opening mark, then neither mark, then the closing one: each character is read from one
    # opening mark at most, so an unclosed mark pasted many times stays linear.
    pairs = (f"{re.escape(a)}[^{re.escape(a + b)}]*{re.escape(b)}" for a, b in _data()["quotes"])
    return re.compile("|".join(pairs))


@cache
def _alert_marker() -> re.Pattern[str]:
    """An alert's opening (`[!NOTE]`, or a bold `**Note:**` label)."""
    names = "|".join(re.escape(str(a)) for a in _data()["alerts"])
    return re.compile(rf"\s*(?:\[!(?:{names})\]|\*\*(?:{names}):?\*\*)", re.IGNORECASE)


def segments(p: Prose) -> list[str]:
    """The paragraph's text cut at the breaks between list items."""
    cuts = [0, *p.breaks, len(p.text)]
    return [p.text[a:b].strip() for a, b in itertools.pairwise(cuts) if p.text[a:b].strip()]


def prose_sentences(p: Prose) -> list[str]:
    """The paragraph's sentences: each list item on its own, then split at full stops."""
    return [s for part in segments(p) for s in sentences(part)]


def as_sentences(p: Prose) -> str:
    """The paragraph's text with a full stop after each list item and at its end where none is,
    so that a list is not read as one endless sentence."""
    return " ".join(part if ends_sentence(part) else part + "." for part in segments(p))


def prose_search(
    article: Article, pattern: re.Pattern[str], table: dict[int, str] | None = None
) -> Iterator[tuple[Prose, re.Match[str]]]:
    """(paragraph, match) of each match of a case-insensitive `pattern` in the article's prose,
    its text translated with the one-character `table` if given (the match is in that text).

    One search of all the prose finds the paragraphs a match may be in, instead of one search per
    paragraph; every paragraph a match spans is searched, so nothing a search of every paragraph
    would find is missed."""
    found, joined, starts = _joined(article)
    hit: set[int] = set()
    for match in matches_ignoring_case(pattern, joined.translate(table) if table else joined):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
        hit.update(range(first, last + 1))
    for i in sorted(hit):
        text = found[i].text.translate(table) if table else found[i].text
        for match in matches_ignoring_case(pattern, text):
            yield found[i], match


@per_article
def _joined(article: Article) -> tuple[tuple[Prose, ...], str, list[int]]:
    """The paragraphs, their text joined by newlines, and where each starts in it."""
    found = prose(article)
    joined = "\n".join(p.text for p in found)
    starts = list(itertools.accumulate((len(p.text) + 1 for p in found[:-1]), initial=0))
    return found, joined, starts
