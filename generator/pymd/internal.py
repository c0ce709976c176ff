"""A Python-Markdown extension: agent-only content is removed from the public site on the
renderer's own tree.

What is agent-only is decided by what Python-Markdown builds, not by how the writer typed it:
every element whose class list holds `internal`, in any case. That is an admonition
(`!!! internal`), a collapsible block (`??? internal`, `???+ internal`), an element given the
class by attr_list (`{: .internal }`) or md_in_html, or raw HTML (`<div class="internal">`),
whatever marker, spacing, indentation or container led the renderer there.

Two passes:
- on the element tree, before the table of contents is made, so a heading inside an agent note
  is not listed either;
- on the finished HTML (after the sanitizer normalised it, when it runs), for the raw HTML that
  Python-Markdown keeps out of its tree. An element with the class is cut with everything inside
  it; one whose end cannot be found fails the page: fail closed, never publish a guess.

With `drop: false` nothing is removed and `found(md)` tells what would have been: the check's
rule for the one documented form reads the renderer's answer this way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

INTERNAL = "internal"
_SEEN = "kb-internal-seen"  # the class of an element noted, not removed (drop: false)
# Elements with no end tag: the start tag is the whole element.
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


class InternalMarkupError(Exception):
    """Raw HTML marks agent-only content in a way whose extent cannot be read safely."""


@dataclass(frozen=True)
class Found:
    """An agent-only element the renderer built."""

    tag: str  # div, details, p, span...
    title: str  # an admonition's or collapsible block's title, else ''
    text: str  # all its text, title included
    inside: tuple[str, ...]  # the elements around it, outermost first (blockquote, li, div.admonition...)
    raw: bool  # from raw HTML (kept out of the tree) rather than from Markdown


def is_internal(classes: str | None) -> bool:
    """Whether a class attribute's value marks agent-only content."""
    return bool(classes) and INTERNAL in str(classes).casefold().split()


def found(md: Markdown) -> tuple[Found, ...]:
    """What the last conversion with this extension found (dropped, or not with `drop: false`)."""
    return tuple(getattr(md, "kb_internal", ()))


class _Tree(Treeprocessor):
    def __init__(self, md: Markdown, drop: bool) -> None:
        super().__init__(md)
        self.drop = drop

    def run(self, root: ET.Element) -> None:
        seen: list[Found] = []
        self.md.kb_internal = seen  # type: ignore[attr-defined]
        self._walk(root, (), seen)

    def _walk(self, parent: ET.Element, inside: tuple[str, ...], seen: list[Found]) -> None:
        for child in list(parent):
            if is_internal(child.get("class")):
                seen.append(Found(child.tag, _title(child), _text(child), inside, raw=False))
                if self.drop:
                    _remove(parent, child)
                    continue
                # Kept for the record: renamed, so the pass over the HTML does not count it twice.
                child.set(
                    "class",
                    " ".join(
                        _SEEN if c.casefold() == INTERNAL else c for c in child.get("class", "").split()
                    ),
                )
            self._walk(child, (*inside, _label(child)), seen)


def _label(element: ET.Element) -> str:
    classes = (element.get("class") or "").split()
    return ".".join([element.tag, *classes])


def _title(element: ET.Element) -> str:
    for child in element:
        if child.tag == "summary" or "admonition-title" in (child.get("class") or "").split():
            return _text(child)
    return ""


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child`, keeping the text that follows it (its tail), which belongs to `parent`."""
    if child.tail and child.tail.strip():
        index = list(parent).index(child)
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


class _Html(Postprocessor):
    def __init__(self, md: Markdown, drop: bool) -> None:
        super().__init__(md)
        self.drop = drop

    def run(self, text: str) -> str:
        spans = _internal_spans(text)
        seen = getattr(self.md, "kb_internal", None)
        if seen is None:
            seen = []
            self.md.kb_internal = seen  # type: ignore[attr-defined]
        for start, end, tag in spans:
            seen.append(Found(tag, "", _visible(text[start:end]), (), raw=True))
        if not self.drop:
            return text
        for start, end, _ in reversed(spans):
            text = text[:start] + text[end:]
        return text


class _Spans(HTMLParser):
    """Start and end offsets of the outermost elements with the internal class."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.spans: list[tuple[int, int, str]] = []
        self.open: tuple[int, str] | None = None  # where the current internal element starts
        self.depth = 0  # open elements of the same name inside it, itself included

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._offset()
        if self.open is not None:
            if tag == self.open[1]:
                self.depth += 1
            return
        if not any(name == "class" and is_internal(value) for name, value in attrs):
            return
        if tag in _VOID:
            end = here + len(self.get_starttag_text() or "")
            self.spans.append((here, end, tag))
            return
        self.open, self.depth = (here, tag), 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open is None and any(name == "class" and is_internal(value) for name, value in attrs):
            here = self._offset()
            self.spans.append((here, here + len(self.get_starttag_text() or ""), tag))

    def handle_endtag(self, tag: str) -> None:
        if self.open is None or tag != self.open[1]:
            return
        self.depth -= 1
        if self.depth == 0:
            here = self._offset()
            end = self.rawdata.find(">", here) + 1
            self.spans.append((self.open[0], end, tag))
            self.open = None


def _internal_spans(html: str) -> list[tuple[int, int, str]]:
    if INTERNAL not in html.casefold() and "&" not in html:
        return []  # no class can spell the word: most pages
    parser = _Spans(html)
    parser.feed(html)
    parser.close()
    if parser.open is not None:
        raise InternalMarkupError(
            f"<{parser.open[1]}> with the class `internal` has no end tag: write agent-only text "
            'as `!!! internal "Title"` with a four-space indented body'
        )
    return parser.spans


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


class InternalExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"drop": [True, "Remove agent-only elements (False: only note them)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        drop = bool(self.getConfig("drop"))
        # After attr_list (8) gave elements their classes, before toc (5) lists the headings.
        md.treeprocessors.register(_Tree(md, drop), "kb_internal", 7)
        # After the sanitizer (1): its output is well formed, so every element's end is written.
        md.postprocessors.register(_Html(md, drop), "kb_internal_html", 0)


def makeExtension(**kwargs: Any) -> InternalExtension:
    return InternalExtension(**kwargs)
