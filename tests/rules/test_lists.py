"""KB116 and KB118 say what the site does to a list, and the site's converter (generator.pymd,
Python-Markdown with the site's extensions) does it: one KB116 finding per list, naming its
lines; KB118 also finds a step run into the step above, which KB116's fix alone leaves so."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Article
from generator.pipeline.check.fix import fix
from generator.pymd import converter
from generator.rules.lists import list_after_paragraph, list_indent
from tests.conftest import RULE_FIXTURES, Project


def site(text: str) -> str:
    return converter(None).convert(text)


def messages(body: str) -> list[tuple[int, str]]:
    article = Article("kb_source/x.md", {}, body, 1)
    return [(h.line, h.message) for h in [*list_indent(article, None), *list_after_paragraph(article, None)]]


@pytest.mark.parametrize(
    ("body", "said", "what_the_site_does"),
    [
        (  # a screenshot at 3 spaces: two lists, the second numbered from 1 again
            "1. Open Billing.\n\n   ![Billing](b.png)\n\n2. Select Export.\n3. Save.\n",
            "ends the list at the first of them and numbers the steps after it from 1 again",
            lambda html: html.count("<ol>") == 2 and '<ol start="2">' not in html,
        ),
        (  # sub-steps at 3 spaces: one flat list
            "1. Open Billing.\n2. Choose:\n   - Monthly\n   - Yearly\n3. Save.\n",
            "flattens the nested list into its parent",
            lambda html: html.count("<ol>") == 1 and "<ul>" not in html and html.count("<li>") == 5,
        ),
        (  # a second paragraph at 3 spaces, the next step right under it: run into its text
            "1. Open Billing.\n2. Select Export.\n\n   It takes a minute.\n3. Save.\n",
            "runs 1 item into the text above, as plain text",
            lambda html: html.count("<li>") == 2 and "It takes a minute.\n3. Save." in html,
        ),
    ],
)
def test_kb116_says_what_the_site_renders(body: str, said: str, what_the_site_does) -> None:  # type: ignore[no-untyped-def]
    [(_, message)] = [(n, m) for n, m in messages(body) if "indented too little" in m]
    assert said in message
    assert what_the_site_does(site(body))


@pytest.mark.parametrize(
    "body",
    [
        "- Open Billing.\n\n  It takes a minute.\n",
        "1. Open Billing.\n2. Select Export.\n\n   ![The export page](e.png)\n\n   It takes a minute.\n",
    ],
)
def test_kb116_leaves_a_block_after_the_last_item_that_only_shows_below_the_list(body: str) -> None:
    # The site ends the list before the block and shows it right below: read in the order written.
    assert [m for _, m in messages(body) if "indented too little" in m] == []
    html = site(body)
    closed = "</ul>" if "<ul>" in html else "</ol>"
    assert html.count(closed) == 1 and "It takes a minute." in html.split(closed, 1)[1]


def test_kb116_reports_a_list_once_naming_every_line_to_indent() -> None:
    body = "1. Open Billing.\n\n   ![Billing](b.png)\n\n2. Choose:\n   - Monthly\n   - Yearly\n3. Save.\n"
    [(line, message)] = messages(body)
    assert line == 3
    assert message.startswith("list with blocks indented too little under its items (lines 3 and 6-7): ")
    assert message.endswith("; indent them 4 spaces (kb check --fix does)")


def test_kb118_a_one_line_item_after_its_label_reads_the_same_and_is_left_alone() -> None:
    assert messages("**Data sources**\n- Value entry\n") == []
    assert site("**Data sources**\n- Value entry\n") == "<p><strong>Data sources</strong>\n- Value entry</p>"
    [(line, _)] = messages("**Data sources**\n- Value entry\n- Sales line\n")
    assert line == 2


def test_kb118_a_step_run_into_the_step_above_is_reported_and_fixed(tmp_path: Path) -> None:
    bad = (RULE_FIXTURES / "KB118" / "bad-item.md").read_text(encoding="utf-8")
    body = bad.split("\n---\n", 1)[1]
    steps = site(body).split('id="steps"', 1)[1].split('id="tips"', 1)[0]
    assert steps.count("<li>") == 1 and "2. Select" in steps  # steps 2 and 3 run into step 1's text
    project = Project(tmp_path / "project")
    path = project.write("alerts.md", bad)
    [message] = project.messages("KB118")
    assert message.startswith("step right after the step above, which has several blocks: the site runs")
    assert [f.codes for f in fix(project.config(), selected=("KB118",))] == [("KB118",)]
    fixed = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    steps = site(fixed).split('id="steps"', 1)[1].split('id="tips"', 1)[0]
    assert steps.count("<li>") == 3 and "2. Select" not in steps
    assert project.messages("KB118") == []


def test_kb116_then_kb118_fix_a_list_the_site_misread_after_kb116_alone(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    good = (RULE_FIXTURES / "KB118" / "good.md").read_text(encoding="utf-8")
    page = good.replace(
        "    ![The profile page with the Alerts tab](images/sign-in.svg)\n\n2.",
        "   ![The profile page with the Alerts tab](images/sign-in.svg)\n2.",
    )
    path = project.write("alerts.md", page)
    assert [f.codes for f in fix(project.config(), selected=("KB116", "KB118"))] == [("KB116", "KB118")]
    assert path.read_text(encoding="utf-8") == good


def test_kb116_on_a_list_too_deep_to_render_is_a_finding_not_an_error() -> None:
    # 400 numbered levels: past what Python-Markdown can follow (KB120 reports the depth).
    body = "## Steps\n\n" + "".join("   " * i + "1. item\n" for i in range(400)) + "\n  It.\n"
    found = messages(body)
    assert any("nested too deep for the site to render" in message for _, message in found)
    assert messages("1. Open Billing.\n\n   ![Billing](b.png)\n\n2. Save.\n")  # the converter still works
