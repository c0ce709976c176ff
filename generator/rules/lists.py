"""KB116 and KB118: lists that GitHub and editors (CommonMark, which `kb check` reads) and the
site's renderer (Python-Markdown) read differently. `tests/shapes.py` renders the fixtures both
ways."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule


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
