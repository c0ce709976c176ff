"""KB401: the reading grade of the writer's own prose (rules.prose), with textstat, offline.

textstat is imported the first time a grade is asked for, and its syllable counting is memoised
per process: KB401 was the costliest rule of a check before both.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.prose import STAND_IN, as_sentences, prose
from generator.text import words

if TYPE_CHECKING:
    from generator.config import SiteConfig

ENGLISH = ("en",)


def reading_grade(article: Article, min_words: int = 100, terms: tuple[str, ...] = ()) -> float | None:
    """Flesch-Kincaid grade of the article's prose, or None when it has fewer than `min_words`.

    Each item of a list, and a paragraph or list item without closing punctuation, counts as a
    sentence of its own, so a list is not read as one endless sentence. Names count as one short
    word each: UI labels and quotations (`rules.prose`) and the configured `terms`."""
    text = without_terms(" ".join(as_sentences(p) for p in prose(article)), terms)
    if len(words(text)) < min_words:
        return None
    return float(_textstat().flesch_kincaid_grade(text))


def without_terms(text: str, terms: tuple[str, ...]) -> str:
    """`text` with each of the product's `terms` (`style.terms`) as one short word."""
    return _terms_pattern(terms).sub(STAND_IN, text) if terms else text


@cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.IGNORECASE)


def grade_limit(config: SiteConfig, article: Article) -> float:
    """The grade KB401 allows the article: its category's, else its audience's, else the site's."""
    opts = config.style
    for limits, key in (
        (opts.max_grade_by_category, article.category),
        (opts.max_grade_by_audience, article.audience),
    ):
        if key in limits:
            return float(limits[key])
    return float(opts.max_grade)


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
    vocabulary, and the grades are the same. A word seen before is a dictionary look-up with no
    Python call between (`positions` is the memo's own `__getitem__`): textstat asks for every
    word of every page, and a Python method per word was a tenth of KB401's time."""

    def __init__(self, hyphenator: Any) -> None:
        self._hyphenator = hyphenator
        self.positions = _Positions(hyphenator.positions).__getitem__

    def __getattr__(self, name: str) -> Any:
        return getattr(self._hyphenator, name)


class _Positions(dict[str, Any]):
    """word -> pyphen's positions of it, filled as words are asked for."""

    def __init__(self, positions: Any) -> None:
        super().__init__()
        self._positions = positions

    def __missing__(self, word: str) -> Any:
        # pyphen takes 20 microseconds a character of a word it has not seen; textstat's words
        # are space-separated chunks with punctuation removed, so `password=` pasted for 100 KB
        # is one word of 2 s. Past LONGEST_WORD characters a "word" is a pasted token, not prose:
        # its syllables are those of its start (kept under that start only).
        if len(word) > LONGEST_WORD:
            return self[word[:LONGEST_WORD]]
        if len(self) >= 1 << 16:
            self.clear()  # a bound on memory, as the least-recently-used memo had
        found = self[word] = self._positions(word)
        return found


LONGEST_WORD = 1000


@rule(
    "KB401",
    "reading-grade",
    Severity.WARNING,
    languages=ENGLISH,
    skip_note="Flesch-Kincaid grades are defined for English",
    version=3,
)
def reading_grade_too_high(article: Article, ctx: Context) -> Iterator[Hit]:
    """Reading grade above `style.max_grade` (8), or the limit set for the page's category or
    audience.

    **What it does**: computes the Flesch-Kincaid grade of the page's own prose (paragraphs and
    list items; headings, code, tables and text quoted from the product left out: block quotes of
    messages, bold UI labels, quoted text) with textstat, offline. Each item of a list counts as a
    sentence. The product's names listed in `style.terms` (`[Business Central, general ledger]`)
    count as one short word each: the reader knows them, and the writer cannot shorten them. Only
    pages with at least `style.min_words_for_grade` (100) words are judged: on a shorter text one
    long word swings the grade by several points. The limit is `style.max_grade_by_category` for
    the page's category, else `style.max_grade_by_audience` for its audience (`internal: 10`: agents
    read the product's terms every day), else `style.max_grade`. English only.

    **Why it matters**: customers read help articles while something is broken and they are under
    pressure; grade 8 text is understood by most adults, including those reading in a second
    language.

    **Example**: "Subsequently, authentication credentials necessitate revalidation." ->
    "Then sign in again."
    """
    opts = ctx.config.style
    grade = reading_grade(article, opts.min_words_for_grade, opts.terms)
    limit = grade_limit(ctx.config, article)
    if grade is not None and grade > limit:
        found = prose(article)
        yield Hit(
            found[0].line if found else article.body_line,
            f"reading grade {grade:.1f} (Flesch-Kincaid) is above {limit:g}: use shorter sentences "
            "and everyday words",
        )
