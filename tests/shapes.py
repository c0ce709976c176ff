"""The shape of a page as the site's renderer (Python-Markdown, with the generated mkdocs.yml's
extensions) and as CommonMark (GitHub, the check) read it: where the two part ways."""

from __future__ import annotations

import re

import markdown
from markdown_it import MarkdownIt

from generator.mdparse import flatten_admonitions
from generator.pymd import BASE_EXTENSIONS

_SHAPE = re.compile(r"</?(?:ol|ul|li|pre|a|img)\b")
_LISTS = re.compile(r"</?(?:ol|ul|li)\b")


def renderer(text: str, pattern: re.Pattern[str] = _SHAPE) -> list[str]:
    """The lists, items, code blocks, links and images of a page, in order, as the site renders it."""
    names = [e if isinstance(e, str) else next(iter(e)) for e in BASE_EXTENSIONS]
    return pattern.findall(markdown.markdown(text, extensions=names))


def commonmark(text: str, pattern: re.Pattern[str] = _SHAPE) -> list[str]:
    """The same, as CommonMark reads the page."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(flatten_admonitions(text))
    return pattern.findall(html)


def lists_part_ways(text: str) -> bool:
    """Whether the renderer's lists and items differ from CommonMark's."""
    return renderer(text, _LISTS) != commonmark(text, _LISTS)
