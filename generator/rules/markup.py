"""KB117 and KB119: Markdown that GitHub and editors (CommonMark, which `kb check` reads) and the
site's renderer (Python-Markdown) read differently.

Each rule finds a construct where the two part ways, so that what a writer sees in a preview is
what customers get: code that swallows a page, Markdown shown as typed. Links (KB115) and lists
(KB116, KB118) that part ways are in links.py and lists.py. `tests/shapes.py` renders each
rule's fixtures both ways.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule


@rule("KB117", "unclosed-code-block", Severity.ERROR, version=2)
def unclosed_code_block(article: Article, ctx: Context) -> Iterator[Hit]:
    """A fenced code block (```` ``` ```` or `~~~`) that is never closed.

    **What it does**: reports the opening fence of a code block that has no closing fence of the
    same kind (at least as long) before the end of the page or of the list item or quote it is in.

    **Why it matters**: CommonMark (GitHub, editors, and this check) shows everything after the
    opening fence as code, to the end of the page or of the list item, so no check reads it; the
    site's renderer shows the fence as text and renders the rest as Markdown, with links no check
    has followed.

    **Example**: a page whose last step opens ```` ```text ```` for a command and never closes
    it: add a ```` ``` ```` line after the command.
    """
    fences = [t for t in article.tokens if t.type == "fence" and t.map]
    if not fences:
        return
    lines = article.parsed_lines
    for tok in fences:
        start, end = tok.map
        last = lines[end - 1].strip().lstrip(">").strip() if end - 1 > start else ""
        closed = last.startswith(tok.markup) and not last.lstrip(tok.markup[0])
        if not closed:
            yield Hit(
                article.body_line + start,
                f"code block opened with {tok.markup} is never closed: GitHub shows what follows as "
                "code (to the end of the page or list item), the site as text; add a "
                f"{tok.markup} line where the code ends",
                max(article.lines[start].find(tok.markup), 0) + 1,
            )


# Python-Markdown's block-level elements (markdown.util.BLOCK_LEVEL_ELEMENTS, held to it by a
# test): written out, so that a check does not import the renderer.
BLOCK_ELEMENTS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd",
     "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "iframe", "legend", "li",
     "main", "map", "math", "menu", "nav", "noscript", "object", "ol", "option", "output", "p", "pre",
     "progress", "script", "section", "style", "summary", "table", "tbody", "td", "textarea",
     "tfoot", "th", "thead", "tr", "ul", "video"]
)  # fmt: skip
# The elements whose Markdown the renderer renders once they say `markdown` (md_in_html); in
# table cells and list items it stays raw whatever they say.
WRAPPERS = frozenset(
    ["address", "article", "aside", "blockquote", "center", "details", "div", "fieldset", "figure",
     "footer", "header", "main", "nav", "section"]
)  # fmt: skip
_TAG = re.compile(r"""<(/?)([A-Za-z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
_TAG_OPEN = re.compile(r"</?[A-Za-z]")
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\b", re.IGNORECASE)


def _tags(text: str) -> Iterator[re.Match[str]]:
    """_TAG.finditer(text), in time linear in the text.

    The regex alone scans from every `<` to the end of the text when no `>` closes it (`<details `
    pasted 10,000 times: minutes). Here a tag is matched only once it is known to close: where a
    scan outside quotes goes from a given point (to a `>`, or nowhere) is worked out once."""
    marks = {c: [m.start() for m in re.finditer(c, text)] for c in ">\"'"}
    ends: dict[int, int] = {}  # point of a scan outside quotes -> the `>` it reaches, or -1
    at = 0
    while start := _TAG_OPEN.search(text, at):
        if _tag_end(start.end(), marks, ends) < 0:
            at = start.start() + 1
            continue
        match = _TAG.match(text, start.start())
        if match is None:  # cannot happen: the scan above found its `>`
            at = start.start() + 1
            continue
        yield match
        at = match.end()


def _tag_end(point: int, marks: dict[str, list[int]], ends: dict[int, int]) -> int:
    """Offset of the `>` that ends a tag whose attributes start at `point`, or -1: the first `>`
    outside quoted values; -1 if a quote never closes. Every point passed is remembered in `ends`."""
    passed: list[int] = []
    while point not in ends:
        passed.append(point)
        found = {c: _next(marks[c], point) for c in marks}
        firsts = [(at, c) for c, at in found.items() if at >= 0]
        if not firsts:
            ends[point] = -1
            break
        at, c = min(firsts)
        closing = -1 if c == ">" else _next(marks[c], at + 1)
        if c == ">" or closing < 0:
            ends[point] = at if c == ">" else -1
            break
        point = closing + 1
    result = ends[point]
    for p in passed:
        ends[p] = result
    return result


def _next(offsets: list[int], point: int) -> int:
    """The first of the sorted `offsets` at or after `point`, or -1."""
    i = bisect.bisect_left(offsets, point)
    return offsets[i] if i < len(offsets) else -1


def _wrapping_tags(article: Article) -> Iterator[tuple[Token, re.Match[str], bool]]:
    """(HTML block, opening tag, fixable) of each block-level HTML element opened in an HTML
    block without the markdown attribute and holding Markdown (a paragraph, list, heading or
    code); fixable when every element around that Markdown is one the attribute makes work."""
    opened: list[tuple[Token, re.Match[str]]] = []
    names: Counter[str] = Counter()  # of the open elements, so a closing tag is one lookup
    others = 0  # open elements that are not WRAPPERS
    reported = 0  # opened[:reported] were reported: each element once
    plain = 0  # paragraphs of plain words since the last tag
    tokens = article.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "html_block":
            for match in _tags(tok.content):
                name = match.group(2).lower()
                if name not in BLOCK_ELEMENTS or match.group(4):
                    continue
                if not match.group(1):
                    opened.append((tok, match))
                    names[name] += 1
                    others += name not in WRAPPERS
                    continue
                while names[name]:
                    gone = opened.pop()[1].group(2).lower()
                    names[gone] -= 1
                    others -= gone not in WRAPPERS
                    if gone == name:
                        break
                reported = min(reported, len(opened))
            plain = 0
        elif len(opened) > reported and tok.nesting != -1 and tok.type != "inline":
            # One paragraph of plain words reads the same raw; a second runs into it raw.
            plain = plain + 1 if not _shows_markdown(tokens, i) else 2
            if plain < 2:
                continue
            for block, match in opened[reported:]:
                if not _MARKDOWN_ATTRIBUTE.search(match.group(3)):
                    yield block, match, others == 0
            reported = len(opened)


# What a paragraph's text shows alike as Markdown and as raw text: words, line breaks, HTML.
_PLAIN = frozenset(["text", "softbreak", "html_inline"])


def _shows_markdown(tokens: Sequence[Token], i: int) -> bool:
    """Whether the block opened at tokens[i] looks different rendered than shown raw: any block
    but a paragraph of plain words (no emphasis, link, code, escape or entity in it)."""
    if tokens[i].type != "paragraph_open" or i + 1 >= len(tokens):
        return True
    inline = tokens[i + 1]
    if any(c.type not in _PLAIN for c in inline.children or []):
        return True
    return "\\" in inline.content or "&" in inline.content


def _tag_lines(article: Article) -> Iterator[tuple[int, int, re.Match[str], bool]]:
    """_wrapping_tags with the body line (0-based) of each tag and its column in the block's
    line, counted as the walk goes (tags come in order along each block)."""
    block_id, counted, lines, line_start = -1, 0, 0, 0
    for block, match, fixable in _wrapping_tags(article):
        at = match.start()
        if block_id != id(block) or at < counted:
            block_id, counted, lines, line_start = id(block), 0, 0, 0
        lines += block.content.count("\n", counted, at)
        last = block.content.rfind("\n", counted, at)
        line_start = last + 1 if last >= 0 else line_start
        counted = at
        yield (block.map[0] + lines if block.map else 0), at - line_start, match, fixable


def _markdown_attributes(article: Article) -> str | None:
    """KB119's fix: the markdown attribute added to each such opening tag, where it makes the
    renderer render the Markdown inside."""
    lines = list(article.lines)
    found: dict[int, list[tuple[int, str]]] = {}
    for n, column, match, fixable in _tag_lines(article):
        if fixable:
            found.setdefault(n, []).append((column, match.group(0)))
    for n, tags in found.items():
        lines[n] = _with_markdown_attribute(lines[n], tags)
    return "\n".join(lines) if found else None


def _with_markdown_attribute(line: str, tags: list[tuple[int, str]]) -> str:
    """`line` with the markdown attribute added to each of `tags` (column in the parsed line,
    tag), in order along it. The parse may have cut the line's indentation or quote marks, so a
    tag is at its column or to the right of it."""
    out: list[str] = []
    done = 0
    for column, tag in tags:
        at = line.find(tag, max(done, column))
        if at < 0:
            continue
        end = len(tag) - 2 if tag.endswith("/>") else len(tag) - 1
        out += [line[done:at], f"{tag[:end]} markdown{tag[end:]}"]
        done = at + len(tag)
    return "".join(out) + line[done:]


@rule("KB119", "markdown-in-html", Severity.ERROR, fix=_markdown_attributes, version=3)
def markdown_in_html(article: Article, ctx: Context) -> Iterator[Hit]:
    """Markdown inside an HTML element such as `<details>` or `<div>`, which the site shows as
    raw text.

    **What it does**: reports an HTML block element (`<details>`, `<div>`, `<td>`...) that holds
    Markdown after a blank line (a list, heading, code block, a paragraph with emphasis, links or
    code, or two paragraphs) and has no `markdown` attribute; one paragraph of plain words reads
    the same either way. `kb check --fix` adds it where it works: `<details markdown>`, `<div markdown>`.
    In HTML tables and lists it does not; write their content in HTML, or use a Markdown table
    or list. For a collapsible section, `??? note "Title"` is the site's own way.

    **Why it matters**: CommonMark (GitHub, editors, and this check) renders the Markdown inside
    the element, but the site's renderer (Python-Markdown) passes the element through untouched
    unless it says `markdown`: customers see `**bold**` and `- item` as typed.

    **Example**: `<details>` / `<summary>Error codes</summary>` / (blank line) / `- DS-1001` ->
    `<details markdown>` / ...
    """
    for n, column, match, fixable in _tag_lines(article):
        name = match.group(2).lower()
        at = article.lines[n].find(match.group(0), column)  # the parse may cut indentation or `>`
        fix = (
            f"write <{name} markdown> (kb check --fix does)"
            if fixable
            else "write what it holds in HTML, or use a Markdown table or list"
        )
        yield Hit(
            article.body_line + n,
            f"Markdown inside <{name}>: GitHub renders it, the site shows it as raw text; {fix}",
            (at if at >= 0 else column) + 1,
        )
