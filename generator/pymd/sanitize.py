"""A Python-Markdown extension: every page's HTML passes an allowlist sanitizer before the theme
wraps it, on both sites.

nh3 (the binding of Rust's ammonia, which parses with html5ever as browsers do) keeps only the
elements and attributes listed here: no script, no event handler, no style beyond table-cell
alignment, links and images only to http(s), mailto and tel URLs or relative ones. HTML comments
(writer notes, suppressions) go too, whatever their closing. It runs last, after raw HTML is put
back, so nothing a writer types reaches the page around it."""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

TAGS = frozenset(
    (
        "a", "abbr", "address", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code",
        "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
        "var", "wbr",
    )
)  # fmt: skip
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "scope", "style", "align"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset(("http", "https", "mailto", "tel"))
# Gone with everything inside them, not just the tags.
REMOVED_WITH_CONTENT = frozenset(("script", "style", "template", "noscript", "iframe", "object", "textarea"))

_cleaner = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties={"text-align"},
    strip_comments=True,
    link_rel=None,
)


def sanitize(html: str) -> str:
    """`html` as the sanitizer leaves it."""
    return _cleaner.clean(html)


# What an element id may hold: word characters (any script), hyphens, dots and colons.
_ID_NOISE = re.compile(r"[^\w.:-]+")


class _Ids(Treeprocessor):
    """Ids made of anything else lose it before the table of contents is made: the theme prints
    heading ids outside the page's HTML (the skip link, the table of contents), which the
    sanitizer never sees (`## Steps {#x"/onmouseover=...}`)."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            value = element.get("id")
            if value is not None and _ID_NOISE.search(value):
                element.set("id", _ID_NOISE.sub("", value) or "section")


class _Sanitize(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize(text)


class SanitizeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After raw HTML is restored (30) and `&` fixed (20): the last word on the page's HTML.
        md.postprocessors.register(_Sanitize(md), "kb_sanitize", 1)
        # After attr_list (8) set the ids writers give, before toc (5) reads the headings' ids.
        md.treeprocessors.register(_Ids(md), "kb_ids", 6)


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
