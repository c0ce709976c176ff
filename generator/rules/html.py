"""KB306, KB309, KB311: HTML and SVG that could run a script on our sites, or show a writer's
note to customers.

Each is read with a real parser, never with patterns over tags: raw HTML with lxml's HTML
tokenizer (libxml2 2.14, which tokenizes as browsers do, entities and all), `{: ... }` attribute
lists with Python-Markdown's own attr_list reader, SVG files with expat. The public and internal
sites sanitize every page's HTML as well (generator.pymd.sanitize); these rules tell the writer
at check time, with file and line, instead of the sanitizer silently dropping what they wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape

from lxml import etree
from markdown.extensions.attr_list import get_attrs_and_remainder

from generator.filesafe import file_problems
from generator.mdparse import is_attachment, resolve_href
from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.structure import targets
from generator.text import per_article
from generator.urlsafe import unsafe_url

# The last ones hold text that parsers read differently with scripts on and off, the trick of
# `<noscript><p title="</noscript><img onerror=...>">`: no article needs them.
UNSAFE_TAGS = frozenset(
    ("script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link", "style",
     "applet", "portal", "noscript", "noembed", "noframes", "template", "xmp", "plaintext", "listing")
)  # fmt: skip
# Attributes whose value a browser loads or follows as a URL.
URL_ATTRIBUTES = frozenset(
    ("href", "src", "action", "formaction", "srcset", "data", "poster", "background", "cite", "xlink:href",
     "lowsrc", "dynsrc", "ping", "codebase", "longdesc", "manifest")
)  # fmt: skip
MAX_DEPTH = 256  # HTML nested deeper than this is refused: parsers stop reading long before browsers
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
# Markdown link and image targets and reference definitions, the renderer's way or close to it.
_MD_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+)", re.MULTILINE)
_HANDLER = re.compile(r"(?:^|[\s{:.#/])(on[a-z]+)\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Unsafe:
    line: int  # 1-based line of the text read
    column: int  # 1-based column of the start tag
    message: str


def html_elements(text: str) -> Iterator[tuple[int, int, etree._Element | None]]:
    """(line, column, element) of each HTML element in `text`, read as a browser reads it (any
    text: an article's body, a rendered page's main region), at its start tag (an element the
    parser adds, such as <tbody>, at the tag that led to it). Past MAX_DEPTH nested elements it
    yields (line, 1, None) and stops: parsers stop reading there long before browsers do, so what
    follows cannot be checked."""
    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, no_network=True, huge_tree=True)
    depth = 0
    lines = text.split("\n")
    starts = _Starts(lines)
    # Fed a line at a time, so each element is found by the line where its start tag ends.
    for number, line in enumerate(lines, 1):
        parser.feed(line + "\n")
        for event, element in parser.read_events():
            if event == "end":
                depth -= 1
                continue
            depth += 1
            if depth > MAX_DEPTH:
                yield number, 1, None
                return
            yield (*starts.find(number, element.tag), element)
    parser.close()
    for event, element in parser.read_events():
        if event == "start":
            yield (*starts.find(len(lines), element.tag), element)


class _Starts:
    """Where each start tag begins. Elements come in document order, so each is looked for from
    where the last one was found, and the text is read once in all."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.line, self.column = 1, 0  # where the last start tag was found (0-based column)
        self.patterns: dict[str, re.Pattern[str]] = {}

    def find(self, end: int, tag: object) -> tuple[int, int]:
        name = tag if isinstance(tag, str) else ""
        pattern = self.patterns.get(name)
        if pattern is None:
            pattern = self.patterns[name] = re.compile(rf"<{re.escape(name)}(?=[\s/>]|$)", re.IGNORECASE)
        for number in range(self.line, end + 1):
            found = pattern.search(self.lines[number - 1], self.column if number == self.line else 0)
            if found:
                self.line, self.column = number, found.start() + 1
                return number, found.start() + 1
        return (self.line, self.column) if self.line == end else (end, 1)


@per_article  # KB306, KB307 and KB310 read the same elements in turn
def article_elements(article: Article) -> tuple[tuple[int, int, etree._Element | None], ...]:
    """html_elements of the body outside code, lines counted from the body's first line (1)."""
    text = without_code(article)
    return tuple(html_elements(text)) if "<" in text else ()


def unsafe_markup(text: str) -> Iterator[Unsafe]:
    """Unsafe elements, event handlers and URLs in the HTML of `text`."""
    yield from _unsafe(html_elements(text))


def _unsafe(elements: Iterable[tuple[int, int, etree._Element | None]]) -> Iterator[Unsafe]:
    for number, column, element in elements:
        if element is None:
            yield Unsafe(number, 1, f"HTML nested more than {MAX_DEPTH} elements deep cannot be checked")
            return
        yield from (Unsafe(number, column, m) for m in _element_problems(element))


def _element_problems(element: etree._Element) -> Iterator[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in UNSAFE_TAGS:
        yield f"<{tag.lower()}> is not allowed"
    for name, value in element.attrib.items():
        name = str(name).lower()
        if name.startswith("on"):
            yield f"the event handler {name}= on <{tag}> is not allowed"
        elif name in URL_ATTRIBUTES and (scheme := unsafe_url(str(value))):
            yield f"a {scheme} URL in {name}= on <{tag}> is not allowed"
        elif name == "style" and ("expression(" in value.lower() or unsafe_url_in_css(str(value))):
            yield f"a script in the style= of <{tag}> is not allowed"


def unsafe_url_in_css(css: str) -> str:
    for part in css.lower().split("url(")[1:]:
        if scheme := unsafe_url(part.strip().strip("'\"")):
            return scheme
    return ""


@per_article  # KB306 and KB311 read the same article in turn
def without_code(article: Article) -> str:
    """The body with code blocks and code spans blanked, newlines kept."""
    lines = article.body.split("\n")
    for tok in article.tokens:
        if tok.type in ("fence", "code_block") and tok.map:
            for k in range(tok.map[0], tok.map[1]):
                lines[k] = ""
    text = "\n".join(lines)
    if "\\>" in text:
        text = _ESCAPED_END.sub(" ", text)
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


# A tag whose only `>` on its line is escaped (`\<Host name of on-premises server\>`): the site's
# Markdown reads `\>` as a plain `>` before it looks for HTML, so it finds no tag there and shows
# the text; a browser's parser would read `on-premises` as an attribute. Its `<` is blanked (same
# length, so columns hold). `\<object name>` stays a tag: a backslash does not escape `<`.
_ESCAPED_END = re.compile(r"<(?=[A-Za-z/](?:[^<>\n\\]|\\[^>\n])*\\>(?:[^<>\n\\]|\\.)*(?:<|$))", re.MULTILINE)


@rule("KB306", "unsafe-html", Severity.ERROR, version=3)
def unsafe_html(article: Article, ctx: Context) -> Iterator[Hit]:
    """Unsafe HTML: scripts, frames, embedded objects, event handlers, `javascript:` or `data:` URLs.

    **What it does**: reads the raw HTML of every page, public or internal, as a browser reads it
    (code samples are left alone), and reports `<script>`, `<iframe>`, `<object>`, `<embed>`,
    `<form>`, `<style>` and similar elements, any `on...=` event handler (also written without a
    space, `<svg/onload=...>`), and `javascript:`, `vbscript:` and `data:` URLs, also when an
    entity spells them (`java&#115;cript:`). The same for Markdown link and image targets and for
    attributes given in an attribute list (`{: onclick="..." }`). A backslash does not make a tag
    text: the site's Markdown keeps `\\<object name>` as a real element; write `&lt;object name>`
    or put it in a code span. A tag whose `>` is escaped is no tag: `\\<Host name\\>` is
    text on the site, and is not reported.

    **Why it matters**: the help center and the agent site run on our domains; a script in an
    article runs with the reader's session, and agents are signed in to everything. The sites
    strip such markup before publishing, so it would also silently vanish from the page.

    **Example**: `<a href="javascript:openChat()">` -> `[Contact support](../support/contact-support.md)`
    """
    text = without_code(article)
    if "<" in text:
        for found in _unsafe(article_elements(article)):
            yield Hit(
                article.body_line + found.line - 1, f"unsafe HTML: {found.message} in articles", found.column
            )
    for n, line in enumerate(text.split("\n")):
        if "{" in line:
            for message in _attribute_list_problems(line):
                yield Hit(article.body_line + n, f"unsafe HTML: {message} in articles")
    lines = _LineCounter(text, article.body_line)
    for match in _MD_TARGET.finditer(text):
        target = match.group(1) or match.group(2) or ""
        if scheme := unsafe_url(unescape(target)):
            line = lines.at(match.start())
            yield Hit(line, f"unsafe HTML: a {scheme} URL in a link or image is not allowed in articles")


def _attribute_list_problems(line: str) -> Iterator[str]:
    """What `{: ... }` attribute lists on this line would add, as Python-Markdown reads them.
    Each piece after a `{` is read on its own, so a long line of braces costs one pass."""
    for piece in line.split("{")[1:]:
        attrs, _ = get_attrs_and_remainder(piece.lstrip(":"))
        for name, value in attrs:
            name = str(name).lower()
            if name.startswith("on"):
                yield f"the event handler {name}= in an attribute list is not allowed"
            elif name in URL_ATTRIBUTES and value and (scheme := unsafe_url(str(value))):
                yield f"a {scheme} URL in {name}= in an attribute list is not allowed"
        if not attrs and (match := _HANDLER.search(piece)):
            yield f"the event handler {match.group(1).lower()}= in an attribute list is not allowed"


# --- KB309 unsafe SVG ------------------------------------------------------------------------


@rule("KB309", "unsafe-file", Severity.ERROR)
def unsafe_file(article: Article, ctx: Context) -> Iterator[Hit]:
    """An image or linked file that would run in the reader's browser: an SVG with a script, an
    event handler, embedded HTML (`<foreignObject>`) or a reference to another site, or an
    attachment such as an `.html` or `.js` file.

    **What it does**: reads every `.svg` file in `kb_source/` that the page shows as an image or
    links to, with an XML parser, and reports `<script>`, `on...=` attributes, `<foreignObject>`,
    `javascript:` links, references to files outside the image (`href="https://..."`, `url(...)`
    or `@import` in its styles), a `<!DOCTYPE>` with entities, and an SVG that is not well-formed
    XML. A linked file browsers open as a page or run as a script (`.html`, `.htm`, `.xhtml`,
    `.js`, `.mjs`, `.svgz`, `.xsl`) is reported by its name. The build never copies such a file.

    **Why it matters**: opened on its own (a customer who clicks "open image in new tab", or a
    link to the file), such a file runs on our domain, with the reader's session. An external
    reference tells another site who looked at the page.

    **Example**: export the screenshot again as plain SVG ("SVG 1.1", no scripts, fonts as paths),
    or as PNG; offer an HTML export as a `.zip`.
    """
    root = ctx.config.root
    folder = ctx.config.source_prefix
    seen: set[str] = set()
    for line, kind, target in targets(article):
        resolved = resolve_href(target, article.path)
        if resolved is None:
            continue
        path = resolved[0].split("?", 1)[0]
        if path in seen or not path.startswith(folder):
            continue  # KB112 reports a file outside the source folder
        if kind == "link" and not is_attachment(path):
            continue  # a page, KB110's
        seen.add(path)
        for problem in file_problems(root / path):
            yield Hit(line, f"{path}: {problem}")


# --- KB311 unclosed comment ------------------------------------------------------------------


_COMMENT_MARKS = re.compile(r"<!--|--!?>")


@rule("KB311", "unclosed-comment", Severity.ERROR)
def unclosed_comment(article: Article, ctx: Context) -> Iterator[Hit]:
    """An HTML comment (`<!--`) that is never closed with `-->`, or is closed with `--!>`.

    **What it does**: reports each `<!--` outside code with no `-->` after it.

    **Why it matters**: writers keep notes for each other in comments. The site shows an unclosed
    comment, and the note in it, to customers as text; GitHub and the check hide everything after
    it instead, so a preview there looks fine while the check misses the rest of the page.
    Browsers end a comment at `--!>`, GitHub and the check do not.

    **Example**: `<!-- check the refund window with finance` -> `<!-- check the refund window with
    finance -->`
    """
    text = without_code(article)
    # One pass over the comment marks, in order: an opener, then the first end after it.
    opened = -1
    lines = _LineCounter(text, article.body_line)
    for mark in _COMMENT_MARKS.finditer(text):
        if mark.group(0) == "<!--":
            if opened == -1:
                opened = mark.start()
            continue
        if opened != -1 and mark.group(0) == "--!>":
            yield Hit(
                lines.at(opened),
                "an HTML comment is closed with --!>, which GitHub and the check do not read as "
                "its end: use -->",
            )
        opened = -1
    if opened != -1:
        yield Hit(lines.at(opened), "an HTML comment is never closed: end it with -->")


class _LineCounter:
    """File lines of offsets into `text` asked in increasing order, in one pass over it."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.line, self.done = text, first_line, 0

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.done, offset)
        self.done = offset
        return self.line
