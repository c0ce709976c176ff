"""What the site's renderer (Python-Markdown, with the site's extensions) makes of a list: the
rules that find lists GitHub and the site read differently (lists.py) render the list both ways,
as written and as it should be written, and say in words what differs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from generator.model import Article

if TYPE_CHECKING:
    from markdown import Markdown

    from generator.rules.lists import _Short

_LISTS = ("ol", "ul")
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)*")


@dataclass
class Shape:
    """The lists of a rendered piece of a page, at the level of the outermost one."""

    lists: list[str] = field(default_factory=list)  # tags of the outermost lists, in order
    items: int = 0  # items of those lists
    depth: int = 0  # lists inside lists, most levels
    outside: int = 0  # other blocks beside those lists
    trailing: int = 0  # of those, the ones after the last of the lists


_TAG = re.compile(r"<(/?)(ol|ul|li|p|pre|table|blockquote|div|details|img)\b[^>]*>")


def shape(html: str) -> Shape:
    """The Shape of rendered HTML, read from its block tags (the renderer writes them well
    formed, so a stack of open tags is enough)."""
    stack: list[str] = []
    found: list[tuple[int, str]] = []  # (lists open above it, tag) of blocks and items
    for match in _TAG.finditer(html):
        closing, tag = match.group(1), match.group(2)
        if tag == "img":
            if not any(t in ("p", "li") for t in stack):
                found.append((sum(t in _LISTS for t in stack), "p"))
            continue
        if closing:
            while stack and stack.pop() != tag:
                pass
            continue
        found.append((sum(t in _LISTS for t in stack), tag))
        stack.append(tag)
    levels = [n for n, tag in found if tag in _LISTS]
    out = Shape()
    if not levels:
        out.outside = len(found)
        return out
    top = min(levels)
    out.depth = max(levels) - top
    # Blocks at the level of the outermost lists, not inside an item: what fell out of the list.
    for n, tag in found:
        if n == top and tag in _LISTS:
            out.lists.append(tag)
            out.trailing = 0
        elif n == top + 1 and tag == "li":
            out.items += 1
        elif n == top and tag in ("p", "pre", "table"):
            out.outside += 1
            out.trailing += 1
    return out


def list_holding(html: str, at: int) -> str | None:
    """The list (`ol` or `ul`) that the text at `at` of rendered `html` is in, the innermost."""
    stack: list[str] = []
    for match in _TAG.finditer(html, 0, at):
        closing, tag = match.group(1), match.group(2)
        if tag not in _LISTS:
            continue
        if not closing:
            stack.append(tag)
        elif tag in stack:
            while stack.pop() != tag:
                pass
    return stack[-1] if stack else None


def render(lines: Sequence[str]) -> str:
    try:
        return _converter().reset().convert("\n".join(lines))
    except RecursionError:
        # Nesting deeper than Python-Markdown can follow (KB120 reports it): the converter
        # stopped half way is not used again.
        _converter.cache_clear()
        raise


@cache
def _converter() -> Markdown:
    """The site's converter, made once (making one costs more than most lists take to render),
    without its inline, heading-id and highlighting steps: the blocks (lists, items,
    paragraphs, code) are the block parser's, which runs before them, and reading links,
    emphasis and headings' ids and colouring code took most of the time."""
    from pymdownx.highlight import HighlightExtension

    from generator.pymd import converter  # the renderer: loaded only for a page with such a list

    md = converter(None)
    for step in ("inline", "toc", "attr_list"):
        if step in md.treeprocessors:
            md.treeprocessors.deregister(step)
    # Code blocks as plain code, not coloured: the fences are found as before.
    md.registerExtensions([HighlightExtension(use_pygments=False)], {})
    return md


def damage(article: Article, shorts: Sequence[_Short], first: int, shift: Sequence[int]) -> str | None:
    """What the site makes of the list at body lines `first`.. whose `shorts` are indented too
    little, in words: the list rendered as written and with every short block indented as
    it should be (`shift`, KB116's fix, and as much for those it leaves to the writer). None when
    the two render alike: the site shows the list as meant."""
    end = max(s.end for s in shorts)
    written = list(article.parsed_lines[first:end])
    fixed = [" " * shift[n] + line for n, line in enumerate(written, start=first)]
    for s in shorts:
        if not s.fixable:
            for n in range(*s.block.map):
                line = fixed[n - first].expandtabs(4)
                prefix = _QUOTE_PREFIX.match(line).group(0)  # type: ignore[union-attr]
                rest = line[len(prefix) :]
                mark = " " if rest.startswith(" ") else ""  # the quote mark's own space
                fixed[n - first] = prefix + mark + " " * (s.need - s.indent) + rest[len(mark) :]
    # A block that ends right above the next item runs that item into it (KB118 says so): the
    # list as meant has a blank line there.
    for n in sorted({s.block.map[1] for s in shorts if s.block.map}, reverse=True):
        if first < n < end and fixed[n - first].strip(" >"):
            fixed.insert(n - first, _QUOTE_PREFIX.match(fixed[n - first]).group(0).rstrip())  # type: ignore[union-attr]
    as_written, as_meant = render(written), render(fixed)
    was, should = shape(as_written), shape(as_meant)
    same_list = (was.lists, was.items, was.depth) == (should.lists, should.items, should.depth)
    extra = was.outside - should.outside
    if same_list and extra > 0 and extra == was.trailing - should.trailing:
        # Only blocks after the last item fall out, right below the list: read in the order written.
        return None
    said: list[str] = []
    numbered = any(s.numbered for s in shorts)
    if len(was.lists) > len(should.lists):
        if numbered and was.lists.count("ol") > 1:
            said.append("ends the list at the first of them and numbers the steps after it from 1 again")
        else:
            said.append(f"breaks it into {len(was.lists)} lists")
    if was.depth < should.depth:
        said.append("flattens the nested list into its parent, so its items show as items of the list above")
    elif was.items < should.items and len(was.lists) <= len(should.lists):
        lost = should.items - was.items
        said.append(f"runs {lost} item{'s' if lost > 1 else ''} into the text above, as plain text")
    if was.outside > should.outside and not said:
        kinds = list(dict.fromkeys(s.kind for s in shorts if s.kind != "list")) or ["block"]
        what = " and the ".join(kinds)
        belong = "they belong" if len(shorts) > 1 else "it belongs"
        said.append(f"shows the {what} below the item {belong} to, outside the list")
    if not said and as_written != as_meant:
        said.append("does not lay the list out as it reads here")
    return "the site " + " and ".join(said) if said else None
