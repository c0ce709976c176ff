"""generator.pymd.internal: the public site loses every element the renderer marks `internal`."""

from __future__ import annotations

import pytest

from generator.model import Audience
from generator.pymd import INTERNAL_EXTENSION, converter, extensions
from generator.pymd.internal import found, is_internal

SECRET = "Refunds above five hundred dollars need the billing lead"


def public(markdown: str) -> str:
    return converter(Audience.PUBLIC).convert(markdown)


def internal(markdown: str) -> str:
    return converter(Audience.INTERNAL).convert(markdown)


SHAPES = {
    "documented": f'!!! internal "Agent note"\n    {SECRET}.',
    "collapsible": f'??? internal "Agent note"\n    {SECRET}.',
    "open collapsible": f'???+ internal "Agent note"\n    {SECRET}.',
    "no space": f'!!!internal "Agent note"\n    {SECRET}.',
    "capital": f'!!! Internal "Agent note"\n    {SECRET}.',
    "extra class": f'!!! warning internal "Agent note"\n    {SECRET}.',
    "space and tab body": f'!!! internal "Agent note"\n \t{SECRET}.',
    "under a step": f'1. Open it.\n\n    ??? internal "Agent note"\n        {SECRET}.\n\n2. Save it.',
    "in a quote": f'> ??? internal "Q"\n>     {SECRET}.',
    "in another note": f'??? note "Outer"\n    !!! internal "Inner"\n        {SECRET}.',
    "attribute list": f"{SECRET}.\n{{: .internal }}",
    "markdown in html": f'<div class="internal" markdown>\n\n**{SECRET}**\n\n</div>',
    "raw html": f'<div class="internal">{SECRET}.</div>',
    "raw html, entity class": f'<div class="&#105;nternal">{SECRET}.</div>',
    "inline span": f'Text <span class="Internal">{SECRET}</span> after.',
    "raw details": f'<details class="internal"><summary>x</summary>{SECRET}</details>',
    "nested raw": f'<div><p class="internal">{SECRET}</p><p>Kept.</p></div>',
    "unclosed raw": f'<div class="internal">{SECRET}\n\nMore.',
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_public_page_lacks_it_and_the_internal_page_shows_it(shape: str) -> None:
    markdown = f"Before.\n\n{SHAPES[shape]}\n\nAfter.\n"
    assert SECRET not in public(markdown)
    assert SECRET in internal(markdown)


def test_text_around_a_removed_element_stays() -> None:
    html = public(f'Text <span class="internal">{SECRET}</span> and the rest.\n\nNext paragraph.')
    assert "Text" in html and "and the rest." in html and "Next paragraph." in html


def test_a_heading_inside_an_agent_note_is_not_in_the_table_of_contents() -> None:
    md = converter(Audience.PUBLIC)
    md.convert('## Steps\n\n!!! internal "Agent note"\n    ### Escalation path\n\n    Text.\n')
    assert [t["name"] for t in md.toc_tokens] == ["Steps"]  # type: ignore[attr-defined]


def test_a_note_shown_as_text_by_the_renderer_is_on_both_sites() -> None:
    # Not an admonition for Python-Markdown (two spaces after the marker): KB310 reports it.
    markdown = f'!!!  internal "Agent note"\n    {SECRET}.'
    assert SECRET in public(markdown) and SECRET in internal(markdown)


def test_record_mode_removes_nothing_and_tells_what_it_found() -> None:
    md = converter(Audience.PUBLIC, **{INTERNAL_EXTENSION: {"drop": False}})
    html = md.convert(
        f'1. Step.\n\n    ??? internal "Agent note"\n        {SECRET}.\n\n<div class="internal">Raw.</div>'
    )
    assert SECRET in html
    blocks = found(md)
    assert [(b.tag, b.title, b.raw) for b in blocks] == [("details", "Agent note", False), ("div", "", True)]
    assert blocks[0].inside == ("ol", "li")


def test_the_public_site_loads_it_and_the_internal_site_does_not() -> None:
    assert INTERNAL_EXTENSION in extensions(Audience.PUBLIC)
    assert INTERNAL_EXTENSION not in extensions(Audience.INTERNAL)


@pytest.mark.parametrize(
    ("classes", "expected"),
    [("internal", True), ("admonition Internal", True), ("INTERNAL note", True), ("internals", False),
     ("kb-internal-seen", False), ("", False), (None, False)],
)  # fmt: skip
def test_is_internal(classes: str | None, expected: bool) -> None:
    assert is_internal(classes) is expected
