"""KB115-KB119: Markdown that GitHub and editors (CommonMark, which `kb check` reads) and the
site's renderer (Python-Markdown) read differently.

Each rule finds a construct where the two part ways, so that what a writer sees in a preview is
what customers get: a link the check cannot see, a list the site breaks, code that swallows a
page. `tests/shapes.py` renders each rule's fixtures both ways.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator

from markdown_it.token import Token

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule

# `[label](target)` or `![alt](target)` left as text, and a target in <> or with a title after it.
_LINK_TEXT = re.compile(r"(?<!\\)(?P<bang>!?)\[[^\]]*\]\((?P<target>[^()]*)\)")
_TITLED = re.compile(r"""(?:\S+|<[^<>\n]*>)\s+(?:"[^"]*"|'[^']*'|\([^)]*\))|<[^<>\n]*>""")
_LINK_START = re.compile(r"(?<!\\)!?\[")
_BACKTICKS = re.compile(r"`+")
# Whitespace between `](` and the next parenthesis: a page without it has nothing for KB115.
_SPACED_TARGET = re.compile(r"\]\([^()]*?\s")


@rule("KB115", "link-with-space", Severity.ERROR)
def link_with_space(article: Article, ctx: Context) -> Iterator[Hit]:
    """A link or image whose target has a space in it (`![Sign-in page](images/sign in.png)`).

    **What it does**: reports `[text](target)` and `![alt](target)` written with a space or a
    line break in the target, other than before a title (`[Plans](plans.md "Our plans")`).
    Write the target in angle brackets (`<images/sign in.png>`), write each space as `%20`, or
    rename the file; in text that only looks like a link (a stack trace's
    `Invoke[T](IEnumerable input)`), write `\\[` or put it in code.

    **Why it matters**: CommonMark (GitHub, most editors, and this check) shows such a link as
    plain text, but the site's renderer (Python-Markdown) makes it a link. So the link checks
    (KB110, KB112) and the screenshot check (KB109) cannot see it, and the customer gets a link
    nobody checked, or the build stops at the render on a missing file.

    **Example**: `[Refund policy](refund policy.md)` -> `[Refund policy](<refund policy.md>)`.
    """
    if not _SPACED_TARGET.search(article.body):
        return
    for tok in article.tokens:
        if tok.type != "inline" or not tok.map or "](" not in tok.content:
            continue
        content = _without_code_spans(tok.content)
        line, counted = article.body_line + tok.map[0], 0
        for match in _link_texts(content):
            target = match.group("target").strip()
            if not re.search(r"\s", target) or _TITLED.fullmatch(target):
                continue
            what, a = ("image", "an image") if match.group("bang") else ("link", "a link")
            line += content.count("\n", counted, match.start())
            counted = match.start()
            written = " ".join(tok.content[match.start("target") : match.end("target")].split())
            shown = written if len(written) <= 60 else written[:57] + "..."
            yield Hit(
                line,
                f"{what} target '{shown}' has a space, so GitHub and editors show text where the site "
                f"shows {a} no check follows: put the target in <>, write %20 for spaces, or write "
                f"\\[ if it is not {a}",
            )


def _link_texts(content: str) -> Iterator[re.Match[str]]:
    """_LINK_TEXT.finditer(content) in linear time. The regex alone scans from every `[` to the
    next `]` and on, so `[` pasted thousands of times before one `](` is quadratic; but every
    `[` before the same `]` goes on the same way from there, so when one fails, all do."""
    at = 0
    while start := _LINK_START.search(content, at):
        close = content.find("]", start.end())
        if close < 0:
            return
        match = _LINK_TEXT.match(content, start.start())
        if match is None:
            at = close + 1
            continue
        yield match
        at = match.end()


def _without_code_spans(text: str) -> str:
    """`text` with its code spans blanked (spaces, newlines kept): as CommonMark reads them, a run
    of backticks up to the next run of the same length, in one pass over the runs."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)] if "`" in text else []
    closing: dict[int, int] = {}  # run -> the next run of the same length
    following: dict[int, int] = {}  # length -> the run of that length seen last (from the end)
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        if length in following:
            closing[i] = following[length]
        following[length] = i
    pieces: list[str] = []
    done, i = 0, 0
    while i < len(runs):
        if i not in closing:
            i += 1
            continue
        start, end = runs[i][0], runs[closing[i]][1]
        pieces += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done, i = end, closing[i] + 1
    return "".join(pieces) + text[done:]


def _reindented(article: Article) -> str | None:
    """KB116's fix: each block indented too little inside a list item moved right, with the lines
    it spans, by what it lacks; a block in a quote, or indented with tabs, is left to the writer."""
    lines = article.lines
    shift = [0] * len(lines)
    for tok, indent, need, _, fixable in _short_blocks(article, shift):
        if fixable:
            for n in range(*tok.map):
                if lines[n].strip():
                    shift[n] += need - indent
    if not any(shift):
        return None
    return "\n".join(" " * k + line for k, line in zip(shift, lines, strict=True))


@rule("KB116", "list-indent", Severity.ERROR, fix=_reindented)
def list_indent(article: Article, ctx: Context) -> Iterator[Hit]:
    """A paragraph, screenshot, code block or nested list inside a list item, indented less than
    four spaces a level.

    **What it does**: reports each block that belongs to a list item (a screenshot under a step,
    a second paragraph, a nested list) but starts fewer than four spaces in per list level: three
    under `1. `, two under `- `. Indent it four spaces (eight in a list inside a list).

    **Why it matters**: CommonMark (GitHub, editors, and this check) takes the block into the
    list item, but the site's renderer (Python-Markdown) needs four spaces. With fewer it ends the
    list there: the screenshot falls out of its step, the steps after it start again at 1, and a
    nested list is flattened into its parent.

    **Example**: `1. Open Billing.` then `   ![Billing page](billing.png)` (three spaces) ->
    `    ![Billing page](billing.png)` (four). `kb check --fix` indents them, except in quotes
    and where tabs indent the line.
    """
    for tok, indent, need, effect, _ in _short_blocks(article):
        yield Hit(article.body_line + tok.map[0], f"indented {indent} spaces, not {need}: {effect}")


def _short_blocks(
    article: Article, shift: list[int] | None = None
) -> Iterator[tuple[Token, int, int, str, bool]]:
    """(block, its indent, the indent it needs, what the renderer makes of it, fixable) of each
    block inside a list item indented less than four spaces a level. `shift`: spaces the fix has
    added to each line so far, read as the walk goes."""
    if not any(t.type == "list_item_open" for t in article.tokens):
        return
    lines = article.parsed_lines
    raw = article.lines
    items: list[int] = []  # first lines of the list items the walk is in
    numbered: list[bool] = []  # whether each list the walk is in is numbered
    quotes = 0
    reported: set[int] = set()
    for tok in article.tokens:
        if tok.type in ("bullet_list_close", "ordered_list_close"):
            numbered.pop()
        elif tok.type == "blockquote_close":
            quotes -= 1
        elif tok.type == "list_item_close":
            items.pop()
            continue
        starts_block = tok.nesting != -1 and tok.type != "inline" and tok.map
        if items and starts_block and tok.map[0] != items[-1] and tok.map[0] not in reported:
            first = tok.map[0]
            text = lines[first].expandtabs(4)
            indent = len(text) - len(text.lstrip(" ")) + (shift[first] if shift else 0)
            need = 4 * len(items)
            if indent < need:
                reported.add(first)
                lead = raw[first][: len(raw[first]) - len(raw[first].lstrip())]
                fixable = quotes == 0 and "\t" not in lead
                yield tok, indent, need, _cut(tok, numbered), fixable
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            numbered.append(tok.type == "ordered_list_open")
        elif tok.type == "list_item_open":
            items.append(tok.map[0] if tok.map else -1)
        elif tok.type == "blockquote_open":
            quotes += 1


def _cut(tok: Token, numbered: list[bool]) -> str:
    """What the renderer makes of a block indented too little inside a list item."""
    if tok.type in ("bullet_list_open", "ordered_list_open", "list_item_open"):
        return "the site flattens this nested list into its parent"
    if numbered[-1]:
        return "the site ends the list before this block, and numbers the steps after it from 1 again"
    return "the site ends the list before this block, and starts a new one after it"


def _glued_lists(article: Article) -> Iterator[Token]:
    """The lists that start on the line after a paragraph, other than an item's own first one."""
    tokens = article.tokens
    for i, tok in enumerate(tokens):
        if tok.type not in ("bullet_list_open", "ordered_list_open") or not tok.map or i < 3:
            continue
        opener = tokens[i - 3]  # paragraph_open, inline, paragraph_close, then the list
        glued = tokens[i - 1].type == "paragraph_close" and opener.map and opener.map[1] == tok.map[0]
        if glued and not (i >= 4 and tokens[i - 4].type == "list_item_open"):
            yield tok


_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)*")


def _blank_line_before_lists(article: Article) -> str | None:
    """KB118's fix: a blank line before each such list (inside a quote, a line of its `>`)."""
    lines = list(article.lines)
    starts = sorted((tok.map[0] for tok in _glued_lists(article)), reverse=True)
    for start in starts:
        lines.insert(start, _QUOTE_PREFIX.match(lines[start]).group(0).rstrip())  # type: ignore[union-attr]
    return "\n".join(lines) if starts else None


@rule("KB118", "list-after-paragraph", Severity.ERROR, fix=_blank_line_before_lists)
def list_after_paragraph(article: Article, ctx: Context) -> Iterator[Hit]:
    """A list that starts on the line right after a paragraph, with no blank line between them.

    **What it does**: reports a list whose first item follows a line of text directly
    (`Before you start:` then `- An account` on the next line), in the page, a quote, an
    admonition or a list item. A nested list right under its item's first line is fine.
    `kb check --fix` adds the blank line.

    **Why it matters**: CommonMark (GitHub, editors, and this check) starts the list there, but
    the site's renderer (Python-Markdown) needs a blank line before a list: without one it runs
    the items into the paragraph as plain text ("Before you start: - An account - A plan").

    **Example**: `Before you start:` / `- An account` -> `Before you start:` / (blank line) /
    `- An account`.
    """
    for tok in _glued_lists(article):
        yield Hit(
            article.body_line + tok.map[0],
            "list right after a line of text: the site runs its items into that paragraph as text; "
            "add a blank line before the list",
        )


@rule("KB117", "unclosed-code-block", Severity.ERROR)
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
    for tok in article.tokens:
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
        elif len(opened) > reported and tok.nesting != -1 and tok.type != "inline":
            for block, match in opened[reported:]:
                if not _MARKDOWN_ATTRIBUTE.search(match.group(3)):
                    yield block, match, others == 0
            reported = len(opened)


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


@rule("KB119", "markdown-in-html", Severity.ERROR, fix=_markdown_attributes)
def markdown_in_html(article: Article, ctx: Context) -> Iterator[Hit]:
    """Markdown inside an HTML element such as `<details>` or `<div>`, which the site shows as
    raw text.

    **What it does**: reports an HTML block element (`<details>`, `<div>`, `<td>`...) that holds
    Markdown after a blank line (a paragraph, list, heading or code block) and has no `markdown`
    attribute. `kb check --fix` adds it where it works: `<details markdown>`, `<div markdown>`.
    In HTML tables and lists it does not; write their content in HTML, or use a Markdown table
    or list. For a collapsible section, `??? note "Title"` is the site's own way.

    **Why it matters**: CommonMark (GitHub, editors, and this check) renders the Markdown inside
    the element, but the site's renderer (Python-Markdown) passes the element through untouched
    unless it says `markdown`: customers see `**bold**` and `- item` as typed.

    **Example**: `<details>` / `<summary>Error codes</summary>` / (blank line) / `- DS-1001` ->
    `<details markdown>` / ...
    """
    for n, _, match, fixable in _tag_lines(article):
        name = match.group(2).lower()
        fix = (
            f"write <{name} markdown> (kb check --fix does)"
            if fixable
            else "write what it holds in HTML, or use a Markdown table or list"
        )
        yield Hit(
            article.body_line + n,
            f"Markdown inside <{name}>: GitHub renders it, the site shows it as raw text; {fix}",
        )
