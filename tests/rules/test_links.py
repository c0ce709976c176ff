"""Link findings (KB107, KB110, KB112-KB115) point at the link itself: its own line in a paragraph
of several lines, and the column of its `[`, `![` or `<`, also in quotes, tables, list items and
admonitions; a missing article is named with the closest one there is."""

from __future__ import annotations

from pathlib import Path

from generator.mdparse import link_places
from generator.model import Article
from tests.conftest import RULE_FIXTURES, Project

GOOD = (RULE_FIXTURES / "KB110" / "good.md").read_text(encoding="utf-8")
TIPS = "- Alerts go to the address you [sign in](corpus/sign-in.md) with."

# Each link or image is on the second or later line of its block, after other text.
PLACED = """Alerts come by mail. You can
change them any time, see [Plans](/billing/plans/) or
the [sign-in page](corpus/sign-in.md#no-such-part).

> A note, quoted.
> Read [the guide](corpus/guide.md) first.

| Setting | Where |
| --- | --- |
| Mail | ![The mail page](images/mail.png) |

!!! tip "Spaces"
    A link [with a space](corpus/sign in.md) is text on GitHub."""


def page(tips: str) -> str:
    return GOOD.replace(TIPS, tips)


def places(project: Project) -> dict[str, tuple[int, int]]:
    return {f.rule: (f.line, f.column) for f in project.check().findings if f.path == "kb_source/alerts.md"}


def line_of(text: str, needle: str) -> tuple[int, int]:
    """(file line, column) of `needle` in `text`."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def test_each_link_finding_is_at_its_links_line_and_column(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    text = page(PLACED)
    project.write("alerts.md", text)
    found = places(project)
    assert found["KB114"] == line_of(text, "[Plans](/billing/plans/)")
    assert found["KB113"] == line_of(text, "[sign-in page]")
    assert found["KB110"] == line_of(text, "[the guide]")
    assert found["KB112"] == line_of(text, "![The mail page]")
    assert found["KB115"] == line_of(text, "[with a space]")


def test_related_links_and_a_missing_article_name_the_closest_one(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    text = page("- See [export](corpus/export-date.md) for more.")
    text = text.replace("(corpus/sign-in.md)", "(corpus/sign-on.md)")
    project.write("alerts.md", text)
    [related] = project.messages("KB107")
    assert related.endswith("did you mean 'corpus/sign-in.md'?")
    [broken] = project.messages("KB110")
    assert broken.endswith("did you mean 'corpus/export-data.md'?")
    found = places(project)
    assert found["KB107"] == line_of(text, "[How do I sign in")
    assert found["KB110"] == line_of(text, "[export]")


def test_link_places_follow_the_order_of_article_links() -> None:
    body = "[a](a.md) ![b](b.png) [![c](c.png)](d.md)\n<https://e.example> [f][ref]\n\n[ref]: f.md\n"
    article = Article("kb_source/x.md", {}, body, 1)
    assert [link.target for link in article.links] == [
        "a.md",
        "b.png",
        "c.png",
        "d.md",
        "https://e.example",
        "f.md",
    ]
    assert link_places(body) == ((0, 1), (0, 11), (0, 24), (0, 23), (1, 1), (1, 21))


TRACE = """- Alerts stop with this trace:

    > at Automation.PowerShell.CoreInvoke[TOutput](IEnumerable input, PSDataCollection\\`1 output
    > at Automation.PowerShell.Invoke(IEnumerable input, PSInvocationSettings settings)
    > at Hybrid.RunCommand(String cmdlet, Dictionary\\`2 parameters, Boolean ignore)

- A link [with a space](corpus/sign in.md) is text on GitHub."""


def test_kb115_escaped_backticks_open_no_code_span_so_a_trace_is_no_link(tmp_path: Path) -> None:
    # Read as code between the two \\` , the trace's parentheses vanished and `[TOutput](...` seemed
    # a link running to the last `)`: the site shows the trace as text.
    project = Project(tmp_path / "project")
    text = page(TRACE)
    project.write("alerts.md", text)
    found = [(f.line, f.column) for f in project.check().findings if f.rule == "KB115"]
    assert found == [line_of(text, "[with a space]")]
