"""KB121 and KB122 against the site's renderer: what each finding says the site does to the list,
the site's own converter (generator.pymd, Python-Markdown with the site's extensions) does, and
after `kb check --fix` it renders the numbered list GitHub showed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.pipeline.check.fix import fix
from generator.pymd import converter
from tests.conftest import RULE_FIXTURES, Project


def site(text: str) -> str:
    """The Steps part of a page as the site renders it."""
    html = converter(None).convert(text.split("\n---\n", 1)[1])
    return html.split('id="steps"', 1)[1].split('id="tips"', 1)[0]


def github(text: str) -> str:
    """The Steps part of a page as CommonMark (GitHub, the check) renders it."""
    html = MarkdownIt("commonmark", {"html": True}).render(text.split("\n---\n", 1)[1])
    return html.split("<h2>Steps</h2>", 1)[1].split("<h2>Tips</h2>", 1)[0]


def fixture(code: str, name: str) -> str:
    return (RULE_FIXTURES / code / name).read_text(encoding="utf-8")


def fixed(tmp_path: Path, code: str, text: str) -> str:
    project = Project(tmp_path / "project")
    path = project.write("alerts.md", text)
    assert [f.codes for f in fix(project.config(), selected=(code,))] == [(code,)]
    assert [f for f in project.check().findings if f.path == "kb_source/alerts.md"] == []
    return path.read_text(encoding="utf-8")


def test_kb121_steps_written_1_paren_are_text_on_the_site_and_the_screenshot_code(tmp_path: Path) -> None:
    bad = fixture("KB121", "bad.md")
    assert github(bad).count("<li>") == 3  # GitHub: a numbered list, the screenshot inside step 1
    steps = site(bad)
    assert "<ol>" not in steps and "<li>" not in steps
    assert re.search(r"<pre><code>!\[The profile page with the Alerts tab\]\(images/sign-in.svg\)", steps)
    assert "<p>1) Open your profile page.</p>" in steps
    run_together = "2) Select the <strong>Alerts</strong> tab, which\nshows every alert you have.\n3) Turn on"
    assert run_together in steps

    good = fixed(tmp_path, "KB121", bad)
    assert "1. Open your profile page." in good and "3. Turn on" in good
    steps = site(good)
    assert steps.count("<ol>") == 1 and steps.count("<li>") == 3
    assert '<img alt="The profile page with the Alerts tab"' in steps and "<pre>" not in steps


def test_kb122_a_first_step_written_as_a_bullet_makes_every_step_a_bullet_on_the_site(tmp_path: Path) -> None:
    bad = fixture("KB122", "bad.md")
    # GitHub: a bullet, then steps 2 and 3 numbered
    assert "<ul>" in github(bad) and '<ol start="2">' in github(bad)
    steps = site(bad)
    assert "<ol>" not in steps and steps.count("<ul>") == 1 and steps.count("<li>") == 3

    good = fixed(tmp_path, "KB122", bad)
    assert "\n1. Open your profile page.\n" in good
    steps = site(good)
    assert "<ul>" not in steps and steps.count("<ol>") == 1 and steps.count("<li>") == 3


def test_kb122_bullets_after_the_steps_become_steps_on_the_site_left_to_the_writer(tmp_path: Path) -> None:
    bad = fixture("KB122", "bad-bullets-after.md")
    assert "<ul>" in github(bad) and "<ol>" in github(bad)
    steps = site(bad)
    assert "<ul>" not in steps and steps.count("<ol>") == 1 and steps.count("<li>") == 4
    project = Project(tmp_path / "project")
    project.write("alerts.md", bad)
    assert fix(project.config(), selected=("KB122",)) == ()  # which list was meant is the writer's call
    [message] = project.messages("KB122")
    assert "more numbered steps of that list" in message


def test_kb122_is_not_fixed_where_the_numbers_do_not_go_on_from_the_bullets(tmp_path: Path) -> None:
    bad = fixture("KB122", "bad.md").replace("2. Select", "1. Select").replace("3. Turn", "2. Turn")
    project = Project(tmp_path / "project")
    project.write("alerts.md", bad)
    [message] = project.messages("KB122")
    assert "or put a line of text between the lists" in message
    assert fix(project.config(), selected=("KB122",)) == ()


def test_kb122_bullets_between_steps_are_one_finding_saying_the_site_numbers_them(tmp_path: Path) -> None:
    bad = fixture("KB122", "bad-bullets-after.md").replace(
        "- You can turn the alerts off again in the same place.\n",
        "- You can turn the alerts off again in the same place.\n\n4. Close the profile page.\n",
    )
    assert github(bad).count("<ol") == 2 and "<ul>" in github(bad)
    steps = site(bad)
    assert "<ul>" not in steps and steps.count("<ol>") == 1 and steps.count("<li>") == 5
    project = Project(tmp_path / "project")
    project.write("alerts.md", bad)
    [message] = project.messages("KB122")  # not also "one bulleted list" for the steps after them
    assert "more numbered steps of that list" in message


def test_kb122_is_quiet_where_the_site_ends_the_numbered_list_before_the_bullets(tmp_path: Path) -> None:
    # Step 2's paragraph at 3 spaces ends the site's list there (KB116): the closing bullets
    # show as a list of their own on the site, as the writer meant.
    bad = fixture("KB122", "bad-bullets-after.md").replace(
        "2. Select the **Alerts** tab, which\nshows every alert you have.\n",
        "2. Select the **Alerts** tab.\n\n   It shows every alert you have.\n",
    )
    steps = site(bad)
    assert steps.count("<ol>") == 1 and steps.count("<ul>") == 1
    project = Project(tmp_path / "project")
    project.write("alerts.md", bad)
    assert project.messages("KB122") == []
    assert project.messages("KB116")


def test_a_list_too_deep_to_render_leaves_the_sites_converter_fit_for_the_next_page() -> None:
    from generator.rules.rendered import render, shape

    # "1. 1. 1. ..." on one line: lists in lists, past Python's recursion limit. Python-Markdown
    # stops with its parser's state still "in a list", which the next page would start from.
    with pytest.raises(RecursionError):
        render(["1. " * 2000])
    assert shape(render(["- Open Billing.", "", "  It takes a minute."])).trailing == 1
