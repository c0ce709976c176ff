"""KB402-KB404 put each finding at its own place, found in one pass along the line.

Each finding used to be looked for from the start of its paragraph's first line (the body split
again each time): a phrase found twice got the first one's column twice, and a line with
thousands of findings took seconds.
"""

from __future__ import annotations

from tests.conftest import BODY, Project, article_text

TIPS = "- You can turn the feature off again at any time.\n"
TIPS_LINE = 26


def with_tips(tips: str) -> str:
    assert TIPS in BODY
    return article_text(body=BODY.replace(TIPS, tips, 1))


def places(project: Project, code: str) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in project.check().findings if f.rule == code]


def test_a_phrase_found_twice_in_a_paragraph_gets_two_columns(project: Project) -> None:
    tip = "- Your invoice is sent by email, and the receipt is sent by email too.\n"
    project.write("page.md", with_tips(tip))
    first = tip.index("is sent") + 1
    second = tip.index("is sent", first) + 1
    assert places(project, "KB402") == [(TIPS_LINE, first), (TIPS_LINE, second)]


def test_tone_phrases_each_get_their_own_column(project: Project) -> None:
    tip = "- No worries if it fails. No worries if it works.\n"
    project.write("page.md", with_tips(tip))
    first = tip.index("No worries") + 1
    assert places(project, "KB403") == [(TIPS_LINE, first), (TIPS_LINE, tip.index("No worries", first) + 1)]


def test_thousands_of_findings_on_one_line_are_each_in_place(project: Project) -> None:
    sentence = "The file was sent by email. "
    project.write("page.md", with_tips("- " + sentence * 2000 + "\n"))
    columns = [column for _, column in places(project, "KB402")]
    assert columns == [3 + len(sentence) * n + sentence.index("was sent") for n in range(2000)]


def test_long_sentences_repeated_are_each_in_place(project: Project) -> None:
    sentence = "Open " + "the menu and " * 13 + "select it. "
    project.write("page.md", with_tips("- " + sentence * 3 + "\n"))
    assert [column for _, column in places(project, "KB404")] == [3, 3 + len(sentence), 3 + 2 * len(sentence)]
