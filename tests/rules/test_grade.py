"""rules/grade.py: textstat's syllable positions memoised per word, the same as pyphen's."""

from __future__ import annotations

from typing import Any

from generator.rules import grade


class Counting:
    """A stand-in hyphenator that counts what it is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def positions(self, word: str) -> list[int]:
        self.asked.append(word)
        return list(range(2, len(word), 3))


def test_a_word_is_hyphenated_once_and_read_the_same() -> None:
    inner = Counting()
    memo: Any = grade._MemoHyphenator(inner)
    assert [memo.positions(w) for w in ("account", "account", "ok")] == [[2, 5], [2, 5], []]
    assert inner.asked == ["account", "ok"]


def test_a_pasted_token_is_read_by_its_start_and_kept_by_it() -> None:
    inner = Counting()
    memo: Any = grade._MemoHyphenator(inner)
    long = "x" * (grade.LONGEST_WORD + 5)
    assert memo.positions(long) == inner.positions("x" * grade.LONGEST_WORD)
    assert memo.positions(long + "y") == memo.positions(long)
    assert inner.asked == ["x" * grade.LONGEST_WORD] * 2  # the memo's one question, then the test's


def test_the_memo_is_bounded() -> None:
    memo: Any = grade._MemoHyphenator(Counting())
    for n in range((1 << 16) + 3):
        memo.positions(f"w{n}")
    assert len(memo.positions.__self__) <= 1 << 16


def test_textstat_reads_the_memo() -> None:
    textstat = grade._textstat()
    assert isinstance(textstat.textstat.pyphen, grade._MemoHyphenator)
    pyphen = textstat.textstat.pyphen._hyphenator
    text = "Open the billing page and select Subscriptions"
    expected = sum(len(pyphen.positions(word)) + 1 for word in text.lower().split())
    assert textstat.syllable_count(text) == expected
