"""rules/privacy.py: a built-in customer or ticket number pattern is searched only on a page that
holds its words and digits; a configured one always."""

from __future__ import annotations

import pytest

from generator.rules.privacy import _identifiers
from tests.conftest import Project, article_text

TROUBLE = "Ask your workspace administrator to give you permission."


@pytest.mark.parametrize(
    "text",
    [
        "Ticket 48213 was closed.",
        "See SERVICE\nREQUEST #48213 for the history.",  # a word of two across a line break
        "Le client ID 1003 a vu l'erreur, écrit à Zoë.",  # not ASCII: only the digits are asked
        "The customer # 4421 called.",
    ],
)
def test_a_number_the_pattern_matches_is_never_left_unsearched(text: str) -> None:
    lowered = text.lower() if text.isascii() else None
    found = [i for i in _identifiers(()) if i.pattern.search(text)]
    assert found
    assert all(i.absent is not None and not i.absent(text, lowered) for i in found)


@pytest.mark.parametrize(
    "text",
    ["Restart the service and open a ticket.", "Support: call 555 after 12:30.", "Tickets 123 and 456."],
)
def test_a_page_without_the_words_or_the_digits_is_not_searched(text: str) -> None:
    absent = {i.name: i.absent(text, text.lower()) for i in _identifiers(()) if i.absent}
    assert absent["ticket number"] is True


def test_a_configured_pattern_named_like_a_built_in_one_is_always_searched(project: Project) -> None:
    """It replaces the built-in pattern and its words: 'REF-ABC' holds neither a ticket word nor
    four digits, and is found."""
    project.write("a.md", article_text().replace(TROUBLE, "Quote REF-ABC when you call."))
    assert project.messages("KB301") == []
    patterns = "  identifier_patterns: {ticket number: '\\bREF-[A-Z]{3}\\b'}\n"
    project.replace_in_config("  agent_only_terms:", patterns + "  agent_only_terms:")
    assert project.messages("KB301") == ["ticket number 'REF-ABC' in a public page"]
    assert [i.absent for i in _identifiers((("ticket number", "x"),)) if i.name == "ticket number"] == [None]


def test_a_demonstration_page_still_makes_its_numbers_examples(project: Project) -> None:
    """The page's demonstration words are read only once a number is found, and still count."""
    project.write("a.md", article_text().replace(TROUBLE, "Ticket 48213 is in the CRONUS demo company."))
    assert project.messages("KB301") == []
    project.write("a.md", article_text().replace(TROUBLE, "Ticket 48213 is in the live company."))
    assert project.messages("KB301") == ["ticket number 'Ticket 48213' in a public page"]
