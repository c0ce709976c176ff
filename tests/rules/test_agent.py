"""rules/agent.py: KB304 reads a page line by line only when one of the terms may be on it."""

from __future__ import annotations

import pytest

from generator.rules.agent import _may_hold, _terms_pattern
from tests.conftest import Project, article_text

TERMS = ("Jira", "Stripe dashboard")
TROUBLE = "Ask your workspace administrator to give you permission."


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("We track it in JIRA.", True),
        ("Open the stripe\nDashboard", False),  # a term across lines is on no line
        ("Open the STRIPE DASHBOARD.", True),
        ("Open the JİRA board (dotted İ: case blind, it is Jira).", True),  # not ASCII: searched
        ("Nothing internal here.", False),
        ("Nothing internal here, café.", False),
    ],
)
def test_a_page_is_read_when_a_term_may_be_on_a_line(text: str, held: bool) -> None:
    pattern = _terms_pattern(TERMS)
    assert any(pattern.search(line) for line in text.split("\n")) is held
    assert _may_hold(text, TERMS, pattern) is held


def test_a_term_in_any_case_is_still_found(project: Project) -> None:
    project.write("a.md", article_text().replace(TROUBLE, "Log it in zENDESK and in JİRA."))
    assert project.messages("KB304") == [
        "agent-only term 'zENDESK' in public text",
        "agent-only term 'JİRA' in public text",
    ]
