"""Agent-only blocks in every shape a writer might type and the renderer might accept.

A grammar of openers (marker x case x spacing x extra classes x title), bodies (indentation) and
containers (top level, numbered step, bullet, block quote, inside another note, odd indentation),
plus raw HTML and attribute-list forms. Each variant carries a unique token in a sentence long
enough for any check to call it telling, so its text can be found in any file of a built site."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MARKERS = ("!!!", "???", "???+")
NAMES = ("internal", "Internal", "INTERNAL")
GAPS = (" ", "", "  ", "\t")  # between the marker and the classes
CLASSES = ("{name}", "warning {name}", "{name} extra")
TITLES = (' "Agent note"', "", ' ""')
BODY_INDENTS = ("    ", "\t", " \t", "  ", "        ", "   ")


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line if line else line for line in text.split("\n"))


# How the block sits in the page: each takes the block's lines and returns the page's.
CONTAINERS: dict[str, Callable[[str], str]] = {
    "top": lambda block: block,
    "numbered step": lambda block: (
        f"1. Open the settings page.\n\n{_indent(block, '    ')}\n\n2. Save the change."
    ),
    "numbered, no blank line": lambda block: (
        f"1. Open the settings page.\n{_indent(block, '    ')}\n2. Save."
    ),
    "bullet": lambda block: f"- A first point.\n\n{_indent(block, '    ')}",
    "bullet, no blank line": lambda block: f"- A first point.\n{_indent(block, '    ')}",
    "block quote": lambda block: _indent(block, "> ").replace("\n> \n", "\n>\n"),
    "inside a note": lambda block: f'!!! note "Outer"\n{_indent(block, "    ")}',
    "inside a collapsible note": lambda block: f'??? note "Outer"\n{_indent(block, "    ")}',
    "indented one space": lambda block: _indent(block, " "),
    "indented two spaces": lambda block: _indent(block, "  "),
    "indented four spaces": lambda block: _indent(block, "    "),
}


@dataclass(frozen=True)
class Variant:
    n: int
    shape: str  # what the variant is, for a failure message
    markdown: str  # the page's body

    @property
    def token(self) -> str:
        return f"kbv{self.n:04d}q"

    @property
    def documented(self) -> bool:
        """Written exactly as the README documents: never a finding, never on the public site."""
        return self.shape.startswith("documented")


def sentence(token: str) -> str:
    return f"{token} agents check the billing flag before they answer this customer."


def block(n: int, opener: str, body_indent: str) -> str:
    return f"{opener}\n{body_indent}{sentence(f'kbv{n:04d}q')}"


def opener_variants(count: int, seed: int, start: int = 0) -> Iterator[Variant]:
    """`count` openers sampled (seeded) from the whole grammar, the documented form always first."""
    n = start
    yield Variant(n, "documented, top", _page(block(n, '!!! internal "Agent note"', "    ")))
    n += 1
    yield Variant(
        n,
        "documented, numbered step",
        _page(CONTAINERS["numbered step"](block(n, '!!! internal "Agent note"', "    "))),
    )
    n += 1
    product = list(itertools.product(MARKERS, NAMES, GAPS, CLASSES, TITLES, BODY_INDENTS, CONTAINERS))
    for marker, name, gap, classes, title, indent, container in random.Random(seed).sample(product, count):
        opener = f"{marker}{gap}{classes.format(name=name)}{title}"
        shape = f"{opener!r} body {indent!r} in {container}"
        yield Variant(n, shape, _page(CONTAINERS[container](block(n, opener, indent))))
        n += 1


RAW_FORMS = (
    '<div class="internal">{s}</div>',
    '<div class="Internal warning">{s}</div>',
    "<div class=internal>{s}</div>",
    "<div class='note INTERNAL'>{s}</div>",
    '<div\nclass="internal">{s}</div>',
    '<section class="internal"><p>{s}</p></section>',
    '<details class="internal"><summary>Note</summary>{s}</details>',
    '<details class="internal" open><summary>Note</summary>\n\n{s}\n\n</details>',
    '<div class="internal" markdown>\n\n**{s}**\n\n</div>',
    '<div class="&#105;nternal">{s}</div>',
    'Text before <span class="internal">{s}</span> and after.',
    "A paragraph that says {s}\n{{: .internal }}",
    "- {s}\n{{: .internal }}",
    '<div class="internal">{s}',
    '<div><p class="internal">{s}</p><p>Kept text.</p></div>',
)


def raw_variants(start: int) -> Iterator[Variant]:
    for k, form in enumerate(RAW_FORMS):
        n = start + k
        yield Variant(n, f"raw {form[:40]!r}", _page(form.format(s=sentence(f"kbv{n:04d}q"))))


def _page(body: str) -> str:
    before = "Public text that every customer may read on this page."
    return f"{before}\n\n{body}\n\nMore public text after the block.\n"
