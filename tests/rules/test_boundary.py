"""KB310: each agent note not in the documented form is reported with the line to write, and
`kb check --fix` rewrites the ones it can prove render the same."""

from __future__ import annotations

import pytest

from generator.pipeline.check.fix import fix
from tests.conftest import Project, article_text

NOTE = "Enterprise customers get their alerts from their admin instead."


def page(block: str) -> str:
    return article_text(
        body=f"You can turn on alerts from your profile page.\n\n{block}\n\nMore text.\n", type="page"
    )


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (f'??? internal "Agent note"\n    {NOTE}', "opener as '!!! internal \"Agent note\"'"),
        (f"!!! Internal\n    {NOTE}", "write this agent note's opener as '!!! internal'"),
        (f'!!!internal "Agent note"\n    {NOTE}', "opener as '!!! internal \"Agent note\"'"),
        (f'!!! warning internal "Agent note"\n    {NOTE}', "opener as '!!! internal \"Agent note\"'"),
        (f'!!! internal "Agent note"\n\t{NOTE}', "with spaces, four more than the opener, not tabs"),
        (f'!!!  internal "Agent note"\n    {NOTE}', "the site shows this agent note to customers as text"),
        (f'- A point.\n    ??? internal "Agent note"\n        {NOTE}', "to customers as text"),
        (f'Text.\n\n    !!! internal "Agent note"\n        {NOTE}', "as a code block"),
        (f'> !!! internal "Agent note"\n>     {NOTE}', "agent note inside a block quote"),
        (f'??? note "More"\n    !!! internal "Agent note"\n        {NOTE}', "inside a `??? note` block"),
        (f'!!! internal "Agent note"\n  {NOTE}', "this agent note is empty"),
        (f'<div class="internal">{NOTE}</div>', 'marked with <div class="internal">'),
        (f"{NOTE}\n{{: .internal }}", "marked with an attribute list"),
    ],
)  # fmt: skip
def test_each_shape_is_reported_with_the_line_to_write(project: Project, block: str, message: str) -> None:
    project.write("a.md", page(block))
    found = project.messages("KB310")
    assert len(found) == 1 and message in found[0], found


@pytest.mark.parametrize(
    "block",
    [
        f'!!! internal "Agent note"\n    {NOTE}',
        f"!!! internal\n    {NOTE}",
        f'1. Open the page.\n\n    !!! internal "Agent note"\n        {NOTE}\n\n2. Save.',
        '```markdown\n??? internal "Example"\n    Text.\n```',
        "Our internal tools are not part of this product.",
    ],
)
def test_the_documented_form_and_examples_are_fine(project: Project, block: str) -> None:
    project.write("a.md", page(block))
    assert project.messages("KB310") == []


def test_fix_rewrites_what_renders_the_same_and_leaves_the_rest(project: Project) -> None:
    body = "\n\n".join(
        [
            f'??? internal "One"\n    {NOTE}',
            f"!!!internal\n \t{NOTE}",
            f'> !!! internal "Quoted"\n>     {NOTE}',  # moving it out of the quote changes the page
            f'!!!  internal "Text"\n    {NOTE}',  # the renderer shows it: fixing changes the page
        ]
    )
    path = project.write("a.md", page(body))
    done = fix(project.config(), [path], ("KB310",))
    assert [d.codes for d in done] == [("KB310",)]
    text = path.read_text(encoding="utf-8")
    assert f'!!! internal "One"\n    {NOTE}' in text
    assert f"!!! internal\n    {NOTE}" in text
    assert '> !!! internal "Quoted"' in text and '!!!  internal "Text"' in text
    assert len(project.messages("KB310")) == 2
