"""rules/prose.py: a paragraph is searched only for the names (data/prose.yml) whose `needs` it
holds, and what it reads is the same as a search for all of them."""

from __future__ import annotations

import re

import pytest

from generator.rules import prose
from tests.test_checker_real_articles import CORPORA

# Lines of the real articles (paths, dotted and CamelCase names, includes, proper names), and
# the edges of each `needs`: a name at a line's start, across a line break, in non-ASCII text.
TEXTS = [
    *(line for path in sorted(CORPORA.rglob("*.md")) for line in path.read_text("utf-8").splitlines()),
    "[!INCLUDE [prod](../includes/prod.md)] and C:\\Program Files\\App\\bin",
    "Open ~/Library/Caches/com.example then System.Management.Automation.",
    "Set BasicAuthRequireTLS on msExchHomeServer.",
    "the Microsoft Exchange Front End\nTransport Service, Exchange Server 2019",
    "Öffnen Sie Système.Gestion.Données und die Straße/Weg/Platz in der Café Bar",
    "a/b only one slash, a.b.c dotted, aB",
]


def test_each_name_needs_what_its_matches_hold() -> None:
    """A `needs` that some match lacks would leave that name out of a paragraph: the test fails
    on the first text a name matches without it."""
    patterns = prose._name_patterns()
    assert any(needs is not None for _, needs in patterns)
    for pattern, needs in patterns:
        if needs is None:
            continue
        compiled = re.compile(pattern)
        matched = [text for text in TEXTS if compiled.search(text)]
        assert matched, pattern  # the texts exercise every name
        assert [t for t in matched if not needs.search(t)] == [], pattern


def test_names_read_as_a_search_for_all_of_them() -> None:
    every = re.compile("|".join(f"(?:{p})" for p, _ in prose._name_patterns()))
    for text in TEXTS:
        names = prose._names(text)
        assert (names.sub(prose.STAND_IN, text) if names else text) == every.sub(prose.STAND_IN, text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Restart the app and try again.", []),
        ("Open C:/Users/Name/Documents and then the Settings page.", [1, 4]),
        ("[!INCLUDE [prod](prod.md)] uses System.Net.Http.", [0, 2, 4]),
    ],
)
def test_a_paragraph_is_searched_only_for_the_names_it_may_hold(text: str, kept: list[int]) -> None:
    patterns = prose._name_patterns()
    names = prose._names(text)
    expected = "|".join(f"(?:{patterns[k][0]})" for k in kept)
    assert (names.pattern if names else "") == expected
