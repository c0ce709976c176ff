"""The one-pass readers that replaced quadratic patterns read what the patterns read.

Each regex below scanned from every start to the end of the text when nothing closed what it
started (`<a ` or `<!-- ` pasted thousands of times); its replacement reads the same in one pass.
Random texts made of the characters that matter hold the two equal. How long they take is
printed by `python -m benchmarks.adversarial`, never asserted: timings are no test.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from generator import anchors
from generator.model import suppressions_in
from generator.pipeline.stage.markdown import _COMMENT
from generator.rules import links, markup

SAMPLES = 20_000


def texts(pieces: Sequence[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14))) for _ in range(SAMPLES)]


def first_difference(
    pieces: Sequence[str], seed: int, old: Callable[[str], Any], new: Callable[[str], Any]
) -> tuple[str, Any, Any] | None:
    for text in texts(pieces, seed):
        if old(text) != new(text):
            return text, old(text), new(text)
    return None


SUPPRESS = re.compile(r"<!--\s*kb-disable\s+(?P<code>[A-Za-z0-9-]+)\s*(?::(?P<reason>.*?))?\s*-->")


def suppressions_by_regex(body: str) -> list[tuple[str, str, int]]:
    return [
        (m.group("code").upper(), (m.group("reason") or "").strip(), 5 + body.count("\n", 0, m.start()))
        for m in SUPPRESS.finditer(body)
    ]


def suppressions_by_loader(body: str) -> list[tuple[str, str, int]]:
    return [(s.code, s.reason, s.line) for s in suppressions_in(body, 5)]


def spans(matches: Any) -> list[tuple[int, str, tuple[Any, ...]]]:
    return [(m.start(), m.group(0), m.groups()) for m in matches]


def attr_list(found: re.Match[str] | None) -> tuple[int, str] | None:
    return None if found is None else (found.start(), found.group(1))


CASES = {
    "suppressions": (
        ["<!--", "-->", " ", "\n", "kb-disable", "KB401", ":", "why", "-", ">", "\t", "\u2028", "KB"],
        suppressions_by_regex,
        suppressions_by_loader,
    ),
    "comments": (
        ["<!--", "-->", " ", "\n", "-", ">", "<", "!", "x", "--!>"],
        lambda t: re.sub(r"<!--.*?-->", "", t, flags=re.DOTALL),
        lambda t: _COMMENT.sub("", t),
    ),
    "html ids": (
        ["<a", "<A", " id=", " name = ", "x", ">", "'", '"', " ", "\n", "<", "<b", "ID=y", "\t"],
        anchors._HTML_ID.findall,
        anchors._html_ids,
    ),
    "attribute-list ids": (
        ["{", "}", "#", "{:", "x", " ", "\n", ":", "#y", "{#z}", "{ #", "}}"],
        anchors._BLOCK_ATTR_ID.findall,
        anchors._block_attr_ids,
    ),
    "heading attribute list": (
        ["{", "}", "#", "{:", "x", " ", "\n", ":", "#y", "{#z}", "  ", "}}"],
        lambda t: attr_list(anchors._ATTR_LIST.search(t)),
        lambda t: attr_list(anchors._attr_list(t)),
    ),
    "html tags (KB119)": (
        ["<", "</", "a", "div", " ", '"', "'", ">", "/", "=", "x", "\n", "<b", "/>"],
        lambda t: spans(markup._TAG.finditer(t)),
        lambda t: spans(markup._tags(t)),
    ),
    "links left as text (KB115)": (
        ["[", "]", "(", ")", "![", "\\[", "](", "a", " ", "\n", "](a b)", "<"],
        lambda t: spans(links._LINK_TEXT.finditer(t)),
        lambda t: spans(links._link_texts(t)),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_pass_reader_reads_what_the_pattern_reads(name: str) -> None:
    pieces, old, new = CASES[name]
    assert first_difference(pieces, 15, old, new) is None


def test_a_difference_would_be_found() -> None:
    """The comparison itself can fail: a reader that misses the last match is caught."""
    pieces, old, _ = CASES["html ids"]
    assert first_difference(pieces, 15, old, lambda t: anchors._html_ids(t)[:-1]) is not None


def test_code_spans_are_blanked_as_commonmark_pairs_backtick_runs() -> None:
    blank = links._without_code_spans
    assert blank("a `[x](y z)` b") == "a " + " " * len("`[x](y z)`") + " b"
    assert blank("``a ` b`` c") == " " * 9 + " c"  # a single backtick inside a double-backtick span
    assert blank("`a\nb` c") == "  \n   c"  # line ends kept, so the lines of links after it hold
    assert blank("``unclosed `x`") == "``unclosed    "
    assert blank("no code") == "no code"
