"""generator.pymd.sanitize: the page's HTML keeps what the theme needs and nothing that runs."""

from __future__ import annotations

import pytest

from generator.model import Audience
from generator.pymd import converter
from generator.pymd.sanitize import sanitize


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize(
    "markdown",
    [
        "<svg/onload=alert(1)>",
        "<details/open/ontoggle=alert(1)>x</details>",
        '<a href="java&#115;cript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<iframe src=https://evil.example></iframe>",
        'A paragraph.\n{: onclick="alert(1)" }',
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<form action=https://evil.example><input name=p></form>",
        "<object data=x></object>",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_nothing_that_runs_survives(audience: Audience, markdown: str) -> None:
    html = converter(audience).convert(markdown).lower()
    for bad in ("onload", "ontoggle", "onerror", "onclick", "javascript:", "<script", "<iframe", "<form",
                "<object", "data:text", "url("):  # fmt: skip
        assert bad not in html, (markdown, html)


def test_comments_go_whatever_their_end() -> None:
    html = converter(Audience.PUBLIC).convert("Text\n\n<!-- note one -->\n\n<!-- note two --!>\n\nMore")
    assert "note one" not in html and "note two" not in html


def test_what_the_theme_needs_stays() -> None:
    markdown = "\n".join(
        [
            "## Steps {#steps}",
            "",
            '!!! tip "Tip"',
            "    Use **bold**.",
            "",
            '??? note "More"',
            "    Hidden.",
            "",
            "| Left | Right |",
            "|:-----|------:|",
            "| a | b |",
            "",
            "1. Step",
            "",
            "    ![A screenshot](images/a.png){ width=300 }",
            "",
            "[Mail us](mailto:support@example.com) or [call](tel:+18005551234) or [read](../x/)",
            "",
            "```",
            "code <kbd>",
            "```",
        ]
    )
    html = converter(Audience.PUBLIC).convert(markdown)
    for kept in ('id="steps"', 'class="headerlink"', 'class="admonition tip"', "<details", "<summary>",
                 'style="text-align:right"', 'src="images/a.png"', 'alt="A screenshot"', 'width="300"',
                 'href="mailto:support@example.com"', 'href="tel:+18005551234"', 'href="../x/"',
                 "code &lt;kbd&gt;"):  # fmt: skip
        assert kept in html, kept


def test_the_sanitizer_is_idempotent_on_its_output() -> None:
    once = sanitize('<p class="x">a <b>b</b> &amp; <img src="a.png" alt="a"></p>')
    assert sanitize(once) == once


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("## Head { id='a\"b' }", "ab"),
        ('## Head {#a"><img/src=x/onerror=alert(1)>}', None),
        ("## Schritte {#schritt-1.a:b}", "schritt-1.a:b"),
    ],
)
def test_heading_ids_hold_no_markup_before_the_table_of_contents_reads_them(
    heading: str, expected: str | None
) -> None:
    md = converter(Audience.PUBLIC)
    md.convert(heading)
    found = md.toc_tokens[0]["id"]  # type: ignore[attr-defined]
    assert not set(found) & set("\"'<>= /")
    if expected is not None:
        assert found == expected
