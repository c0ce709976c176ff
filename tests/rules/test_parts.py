"""The seven parts' messages say how to fix the page: a missing part is reported where it belongs
by the seven-part order (above the part that comes after it, or at the end of the page), KB108
gives the order and where to move the section, and KB102 and KB104 say what to write."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RULE_FIXTURES, Project

GOOD = (RULE_FIXTURES / "KB110" / "good.md").read_text(encoding="utf-8")
ORDER = "Prerequisites, Steps, Tips, Troubleshooting, Related articles"


def findings(tmp_path: Path, text: str, code: str) -> list[tuple[int, str]]:
    project = Project(tmp_path / "project")
    project.write("alerts.md", text)
    lines = [f.line for f in project.check().findings if f.rule == code and f.path == "kb_source/alerts.md"]
    return list(zip(lines, project.messages(code), strict=True))


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def without(text: str, heading: str, next_heading: str) -> str:
    start = text.index(heading)
    return text[:start] + text[text.index(next_heading) :]


def test_a_missing_part_is_reported_above_the_part_that_follows_it(tmp_path: Path) -> None:
    text = without(GOOD, "## Tips", "## Troubleshooting")
    [(line, message)] = findings(tmp_path, text, "KB105")
    assert line == line_of(text, "## Troubleshooting")
    assert message == "'## Tips' section missing: add it above '## Troubleshooting'"


def test_a_missing_last_part_is_reported_at_the_end_of_the_page(tmp_path: Path) -> None:
    text = GOOD[: GOOD.index("## Related articles")].rstrip("\n") + "\n"
    [(line, message)] = findings(tmp_path, text, "KB107")
    assert line == text.count("\n") + 1  # the line after the last line of text
    assert (
        message
        == "'## Related articles' section missing: add it at the end of the page, after '## Troubleshooting'"
    )


def test_out_of_order_names_the_order_and_where_to_move_it(tmp_path: Path) -> None:
    tips = GOOD[GOOD.index("## Tips") : GOOD.index("## Troubleshooting")]
    text = GOOD.replace(tips, "").replace("## Related articles", tips + "## Related articles")
    [(line, message)] = findings(tmp_path, text, "KB108")
    assert line == line_of(text, "## Tips")
    troubleshooting = line_of(text, "## Troubleshooting")
    assert message == (
        f"section '## Tips' is out of order: move it before '## Troubleshooting' (line {troubleshooting}); "
        f"the order is {ORDER}"
    )


def test_a_repeated_and_an_unknown_section_say_what_to_do(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Troubleshooting", "## Notes\n\nSee below.\n\n## Tips\n\nMore tips.\n\n## Troubleshooting"
    )
    messages = [m for _, m in findings(tmp_path, text, "KB108")]
    assert messages == [
        f"unknown section '## Notes' (sections are: {ORDER}): rename it to one of them, or make it a "
        "'### Notes' inside one",
        f"section '## Tips' appears twice (first on line {line_of(text, '## Tips')}): merge the two",
    ]


def test_bulleted_steps_and_a_long_summary_say_what_to_write(tmp_path: Path) -> None:
    bullets = (RULE_FIXTURES / "KB104" / "bad-bullets.md").read_text(encoding="utf-8")
    [(_, message)] = findings(tmp_path, bullets, "KB104")
    assert message == "Steps are bullets, not a numbered list: write '1. ', '2. ', ... in place of '- '"
    text = GOOD.replace("in a few minutes.", "in a few minutes. It is quick.")
    [(_, message)] = findings(tmp_path / "summary", text, "KB102")
    assert message.startswith("summary must be exactly one sentence (2 sentences): keep the one that")
