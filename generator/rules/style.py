"""KB4xx: plain language. Reading grade, passive voice, tone, sentence length and link text.

These rules read prose only (`text.paragraphs`: code, tables and HTML left out) and run on every
page type, agent-only blocks included: agents copy playbook wording into replies to customers.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from generator.model import Article, Hit, LinkKind, Severity
from generator.rules.base import Context, rule
from generator.rules.wordlists import load
from generator.text import (
    Paragraph,
    ends_sentence,
    paragraphs,
    per_article,
    prose_matches,
    sentences,
    words,
)

ENGLISH = ("en",)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def locate(article: Article, paragraph: Paragraph, needle: str) -> tuple[int, int]:
    """(file line, column) of `needle` in the source lines of a paragraph; the paragraph's first
    line when markup inside the phrase hides it from a plain search."""
    return _find(article, paragraph, needle) or (paragraph.line, 1)


def _find(
    article: Article, paragraph: Paragraph, needle: str, after: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """(file line, column) of `needle` in the paragraph's source lines, past `after` if given."""
    lines, folded = article.lines, _folded(article)
    start = paragraph.line - article.body_line
    first, skip = (start, 0) if after is None else (after[0] - article.body_line, after[1])
    wanted = needle.casefold().translate(_APOSTROPHES)
    for n in range(first, min(start + 40, len(lines))):
        if n not in folded:
            folded[n] = lines[n].casefold().translate(_APOSTROPHES)
        column = folded[n].find(wanted, skip if n == first else 0)
        if column >= 0:
            return article.body_line + n, column + 1
        if n > start and not lines[n].strip():
            break
    return None


@per_article
def _folded(article: Article) -> dict[int, str]:
    """The body's lines searched so far, case-folded: folded once per article, not once per
    finding (thousands of findings on one line made that quadratic)."""
    return {}


class Locator:
    """locate() for one rule's findings on one article, which come in reading order: a phrase
    found again is looked for past the place it was found last, so each finding gets its own
    column and no line is searched from its start again and again. A phrase that could not be
    found is not looked for again in that paragraph."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.last: dict[tuple[int, str], tuple[int, int] | None] = {}

    def __call__(self, paragraph: Paragraph, needle: str) -> tuple[int, int]:
        key = (paragraph.line, needle.casefold())
        found: tuple[int, int] | None = None
        if key not in self.last or self.last[key] is not None:
            found = _find(self.article, paragraph, needle, self.last.get(key))
        self.last[key] = found
        return found or (paragraph.line, 1)


def reading_grade(article: Article, min_words: int = 100) -> float | None:
    """Flesch-Kincaid grade of the article's prose, or None when it has fewer than `min_words`.

    A list item or paragraph without closing punctuation counts as its own sentence, so a
    bulleted list is not read as one endless sentence."""
    parts = [p.text if ends_sentence(p.text) else p.text + "." for p in paragraphs(article)]
    prose = " ".join(parts)
    if len(words(prose)) < min_words:
        return None
    return float(_textstat().flesch_kincaid_grade(prose))


@cache
def _textstat() -> Any:
    # Imported here, so a check without KB401 or a cached re-check does not pay for it. Its
    # default language, en_US, is ours: set_lang would load a second hyphenation dictionary.
    _import_lazily("pkg_resources")
    import textstat

    textstat.textstat.pyphen = _MemoHyphenator(textstat.textstat.pyphen)
    return textstat


def _import_lazily(name: str) -> None:
    """Make `import name` cheap: a stand-in module imports the real one on first use of any of
    its attributes.

    textstat imports pkg_resources (0.15 s: it scans every installed distribution) but reads it
    only for the word lists of readability formulas KB401 does not use. importlib's LazyLoader
    does not help on Python 3.11: a second `import` reads the module's __spec__, which loads it."""
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _StandIn(name)


class _StandIn(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        # Only for attributes a plain module lacks (its __spec__ is None, so `import` passes).
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


class _MemoHyphenator:
    """textstat's hyphenator, each word's syllable positions worked out once per process.

    textstat (pinned in pyproject.toml) counts syllables with pyphen word by word, and pyphen's
    pure-Python pattern matching was half the cost of KB401; help articles reuse a small
    vocabulary, and the grades are the same."""

    def __init__(self, hyphenator: Any) -> None:
        self._hyphenator = hyphenator
        self._positions = lru_cache(maxsize=1 << 16)(hyphenator.positions)

    def positions(self, word: str) -> Any:
        # pyphen takes 20 microseconds a character of a word it has not seen; textstat's words
        # are space-separated chunks with punctuation removed, so `password=` pasted for 100 KB
        # is one word of 2 s. Past LONGEST_WORD characters a "word" is a pasted token, not prose:
        # its syllables are those of its start.
        return self._positions(word[:LONGEST_WORD])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._hyphenator, name)


LONGEST_WORD = 1000


@rule(
    "KB401",
    "reading-grade",
    Severity.WARNING,
    languages=ENGLISH,
    skip_note="Flesch-Kincaid grades are defined for English",
)
def reading_grade_too_high(article: Article, ctx: Context) -> Iterator[Hit]:
    """Reading grade above `style.max_grade` (8).

    **What it does**: computes the Flesch-Kincaid grade of the page's prose (paragraphs and list
    items; headings, code and tables left out) with textstat, offline. Only pages with at least
    `style.min_words_for_grade` (100) words are judged: on a shorter text one long word swings the
    grade by several points. English only.

    **Why it matters**: customers read help articles while something is broken and they are under
    pressure; grade 8 text is understood by most adults, including those reading in a second
    language.

    **Example**: "Subsequently, authentication credentials necessitate revalidation." ->
    "Then sign in again."
    """
    opts = ctx.config.style
    grade = reading_grade(article, opts.min_words_for_grade)
    limit = float(opts.max_grade)
    if grade is not None and grade > limit:
        prose = paragraphs(article)
        yield Hit(
            prose[0].line if prose else article.body_line,
            f"reading grade {grade:.1f} (Flesch-Kincaid) is above {limit:g}: use shorter sentences "
            "and everyday words",
        )


@cache
def _passive_pattern(extra_exceptions: tuple[str, ...]) -> re.Pattern[str]:
    data = load("passive")
    be = "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in sorted(data["be"], key=len, reverse=True))
    skip = {w.casefold() for w in (*data["exceptions"], *data["not_participles"], *extra_exceptions)}
    irregular = "|".join(sorted(w for w in data["irregular"] if w.casefold() not in skip))
    regular = r"[a-z]{2,}ed"
    skipped = "|".join(sorted(re.escape(w) for w in skip))
    return re.compile(
        rf"\b(?:{be})\s+(?:[a-z]+ly\s+)?(?!(?:{skipped})\b)(?P<participle>{irregular}|{regular})\b",
        re.IGNORECASE,
    )


@rule("KB402", "passive-voice", Severity.WARNING, languages=ENGLISH, skip_note="the pattern is English")
def passive_voice(article: Article, ctx: Context) -> Iterator[Hit]:
    """Passive voice: a form of "to be" followed by a past participle.

    **What it does**: finds "is sent", "was deleted", "will be charged", "can't be undone" (with an
    optional adverb between). Participles that describe a state in help text are allowed: "is
    located", "you're signed in", "is enabled" (`data/passive.yml`, plus
    `style.passive_exceptions`). English only.

    **Why it matters**: passive sentences hide who acts. "The file is uploaded" leaves the customer
    wondering whether they still have to do it.

    **Example**: "Your invoice is sent by email." -> "We email your invoice."
    """
    pattern = _passive_pattern(ctx.config.style.passive_exceptions)
    where = Locator(article)
    for p, found in prose_matches(article, pattern):
        line, column = where(p, found)
        yield Hit(line, f"passive voice '{found}': say who does it", column)


@cache
def _tone_pattern(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    swaps = {phrase.casefold().translate(_APOSTROPHES): better for phrase, better in pairs}
    alternatives = "|".join(re.escape(p) for p in sorted(swaps, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), swaps


@rule("KB403", "tone", Severity.WARNING)
def tone(article: Article, ctx: Context) -> Iterator[Hit]:
    """A phrase the support playbooks replace, with the wording to use instead.

    **What it does**: looks for phrases such as "I'll try", "I don't know", "Unfortunately we
    can't" and "It might take a while" (`data/tone.yml`, per language; add your own under
    `style.tone` as `phrase: replacement`) and suggests the playbook wording.

    **Why it matters**: positive, concrete wording tells the customer what will happen next; the
    same words in every article and every reply make the team sound like one team.

    **Example**: "It might take a while to sync." -> "This takes about 5 minutes."
    """
    pairs = {**(load("tone").get(ctx.config.language_of(article).base) or {}), **ctx.config.style.tone}
    if not pairs:
        return
    pattern, swaps = _tone_pattern(tuple(sorted(pairs.items())))
    where = Locator(article)
    for p, found in prose_matches(article, pattern, _APOSTROPHES):
        better = swaps[found.casefold()]
        line, column = where(p, found)
        yield Hit(line, f"replace '{found}' with \"{better}\" (playbook wording)", column)


@rule(
    "KB404",
    "long-sentence",
    Severity.WARNING,
    languages=("en", "es", "fr", "de", "pt", "it", "nl"),
    skip_note="sentence length is counted in space-separated words",
)
def long_sentence(article: Article, ctx: Context) -> Iterator[Hit]:
    """A sentence longer than `style.max_sentence_words` (25) words.

    **What it does**: splits each paragraph and list item into sentences and counts words.

    **Why it matters**: long sentences are where readers lose the thread, and where translations
    go wrong. One idea per sentence.

    **Example**: split "Select Export, which opens a dialog where you choose the format, the date
    range and the columns, and then select Download to save the file to your computer." into two
    or three sentences.
    """
    limit = ctx.config.style.max_sentence_words
    where = Locator(article)
    for p in paragraphs(article):
        if len(words(p.text)) <= limit:
            continue  # none of its sentences can be longer
        for sentence in sentences(p.text):
            count = len(words(sentence))
            if count > limit:
                line, column = where(p, " ".join(sentence.split()[:3]))
                yield Hit(line, f"sentence has {count} words (limit {limit}): split it", column)


_TRIM = " \t.,:;!?()[]\"'“”‘’»«"


@rule("KB405", "vague-link-text", Severity.WARNING)
def vague_link_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """Link text that does not say where the link goes ("click here", "read more").

    **What it does**: compares each link's text with `data/links.yml` (per language) and
    `style.vague_link_text`.

    **Why it matters**: screen-reader users jump from link to link, and everyone scans links; "here"
    says nothing out of context.

    **Example**: `To reset it, [click here](reset-password.md).` ->
    `[Reset your password](reset-password.md).`
    """
    vague = {
        t.casefold()
        for t in (
            *(load("links").get(ctx.config.language_of(article).base) or ()),
            *ctx.config.style.vague_link_text,
        )
    }
    for link in article.links:
        if link.kind is LinkKind.LINK and link.text.strip(_TRIM).casefold() in vague:
            yield Hit(link.line, f"link text '{link.text.strip()}' is vague: say where the link goes")
