"""KB116 and KB118: lists that GitHub and editors (CommonMark, which `kb check` reads) and the
site's renderer (Python-Markdown) read differently. `tests/shapes.py` renders the fixtures both
ways."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.rendered import damage


def _reindented(article: Article) -> str | None:
    """KB116's fix: each block indented too little inside a list item moved right, with the lines
    it spans, by what it lacks; a block in a quote, or indented with tabs, is left to the writer."""
    shift = _shift(article)
    if not any(shift):
        return None
    return "\n".join(" " * k + line for k, line in zip(shift, article.lines, strict=True))


def _shift(article: Article) -> list[int]:
    """Spaces KB116's fix adds to each line of the body."""
    lines = article.lines
    shift = [0] * len(lines)
    for short in _short_blocks(article, shift):
        if short.fixable:
            for n in range(*short.block.map):
                if lines[n].strip():
                    shift[n] += short.need - short.indent
    return shift


@rule("KB116", "list-indent", Severity.ERROR, fix=_reindented, version=2)
def list_indent(article: Article, ctx: Context) -> Iterator[Hit]:
    """A paragraph, screenshot, code block or nested list inside a list item, indented less than
    four spaces a level.

    **What it does**: reports each list with a block that belongs to one of its items (a
    screenshot under a step, a second paragraph, a nested list) but starts fewer than four
    spaces in per list level: three under `1. `, two under `- `. One finding per list, naming
    the lines to indent, and saying what the site's renderer makes of the list as written (it
    renders the list both ways). Indent them four spaces (eight in a list inside a list).

    **Why it matters**: CommonMark (GitHub, editors, and this check) takes the block into the
    list item, but the site's renderer (Python-Markdown) needs four spaces. With fewer it ends the
    list there: the screenshot falls out of its step, the steps after it start again at 1, a
    nested list is flattened into its parent, or the next step is run into the text above it.

    Not reported: a block after a list's last item whose only change is that the site shows it
    right below the list instead of inside that item: it is read in the order written.

    **Example**: `1. Open Billing.` then `   ![Billing page](billing.png)` (three spaces) ->
    `    ![Billing page](billing.png)` (four). `kb check --fix` indents them, except in quotes
    and where tabs indent the line.
    """
    found: dict[int, list[_Short]] = {}
    for short in _short_blocks(article):
        found.setdefault(short.list_start, []).append(short)
    if not found:
        return
    fixed = _shift(article)
    for first, shorts in found.items():
        lines = sorted({article.body_line + s.block.map[0] for s in shorts})
        named = _ranges(lines)
        need = {s.need for s in shorts}
        spaces = "four spaces a level" if len(need) > 1 else f"{need.pop()} spaces"
        fix = " (kb check --fix does)" if all(s.fixable for s in shorts) else ""
        try:
            said = damage(article, shorts, first, fixed)
        except RecursionError:  # nested deeper than the site's renderer follows (KB120 reports it)
            said = "the list is nested too deep for the site to render as meant"
        if said is None:
            continue  # the site renders it as meant all the same
        raw = article.lines[shorts[0].block.map[0]]
        where = f"line{'s' if len(lines) > 1 else ''} {named}"
        yield Hit(
            lines[0],
            f"list with {'blocks' if len(lines) > 1 else 'a block'} indented too little under its items "
            f"({where}): {said}; indent {'them' if len(lines) > 1 else 'it'} {spaces}{fix}",
            len(raw) - len(raw.lstrip()) + 1,
        )


def _ranges(numbers: list[int]) -> str:
    """Sorted line numbers in words: "4", "4 and 9", "4-6, 9 and 12"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    said = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _kind(tokens: Sequence[Token], i: int) -> str:
    """The block opened at tokens[i] in words."""
    tok = tokens[i]
    if tok.type == "paragraph_open" and i + 1 < len(tokens):
        children = [c for c in tokens[i + 1].children or [] if c.type not in ("softbreak", "hardbreak")]
        return "screenshot" if children and all(c.type == "image" for c in children) else "paragraph"
    if tok.type in ("fence", "code_block"):
        return "code"
    if tok.type.startswith(("bullet_list", "ordered_list", "list_item")):
        return "list"
    return "table" if tok.type == "table_open" else "block"


_QUOTE_MARK = re.compile(r" {0,3}> ?")


def _in_quotes(line: str, quotes: int) -> str:
    """`line` without the marks of the `quotes` block quotes it is in: the indentation a list
    item's block has inside them is what follows their `>` and its one optional space."""
    for _ in range(quotes):
        mark = _QUOTE_MARK.match(line)
        if mark is None:
            break  # a lazy line: no mark
        line = line[mark.end() :]
    return line


@dataclass(frozen=True)
class _Short:
    """A block inside a list item indented less than four spaces a level."""

    block: Token
    indent: int  # spaces it starts with (tabs as 4)
    need: int  # spaces it needs
    fixable: bool  # by KB116's fix: not in a quote, not indented with tabs
    list_start: int  # body line of the outermost list it is in
    end: int  # body line after that list
    numbered: bool  # whether the list it is in is numbered
    kind: str = "block"  # in words: "screenshot", "paragraph", "code", "table", "list", "block"


def _short_blocks(article: Article, shift: list[int] | None = None) -> Iterator[_Short]:
    """Each block inside a list item indented less than four spaces a level. `shift`: spaces the
    fix has added to each line so far, read as the walk goes."""
    if not any(t.type == "list_item_open" for t in article.tokens):
        return
    lines = article.parsed_lines
    raw = article.lines
    items: list[int] = []  # first lines of the list items the walk is in
    opened: list[Token] = []  # the lists the walk is in
    quotes = 0
    reported: set[int] = set()
    tokens = article.tokens
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_close", "ordered_list_close"):
            opened.pop()
        elif tok.type == "blockquote_close":
            quotes -= 1
        elif tok.type == "list_item_close":
            items.pop()
            continue
        starts_block = tok.nesting != -1 and tok.type != "inline" and tok.map
        if items and starts_block and tok.map[0] != items[-1] and tok.map[0] not in reported:
            first = tok.map[0]
            text = _in_quotes(lines[first], quotes).expandtabs(4)
            indent = len(text) - len(text.lstrip(" ")) + (shift[first] if shift else 0)
            need = 4 * len(items)
            if indent < need:
                reported.add(first)
                lead = raw[first][: len(raw[first]) - len(raw[first].lstrip())]
                fixable = quotes == 0 and "\t" not in lead
                outer = opened[0].map or [first, first + 1]
                numbered = opened[-1].type == "ordered_list_open"
                kind = _kind(tokens, i)
                yield _Short(tok, indent, need, fixable, outer[0], outer[1], numbered, kind)
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            opened.append(tok)
        elif tok.type == "list_item_open":
            items.append(tok.map[0] if tok.map else -1)
        elif tok.type == "blockquote_open":
            quotes += 1


def _glued(article: Article) -> Iterator[tuple[Token, str]]:
    """(list or item, what the site runs it into) of each list that starts on the line after a
    paragraph (other than an item's own first one), and each item that starts on the line after
    a block of an item spread over paragraphs (the item above it): KB118's findings, in order."""
    tokens = article.tokens
    lists: list[list[Token | None]] = []  # per open list: [its current item, the item before]
    blocks: dict[int, list[str]] = {}  # id of an item -> the types of its blocks
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open") and tok.map and i >= 3:
            opener = tokens[i - 3]  # paragraph_open, inline, paragraph_close, then the list
            glued = tokens[i - 1].type == "paragraph_close" and opener.map and opener.map[1] == tok.map[0]
            nested = i >= 4 and tokens[i - 4].type == "list_item_open"
            if glued and not nested and not _one_line_item(tokens, i):
                yield tok, "paragraph"
        if lists and lists[-1][0] is not None and tok.level == lists[-1][0].level + 1 and tok.nesting != -1:
            blocks[id(lists[-1][0])].append(tok.type)
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append([None, None])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "list_item_open" and lists:
            before = lists[-1][1]
            if before is not None and _runs_into(article, before, tok, blocks[id(before)]):
                yield tok, blocks[id(before)][-1]
            lists[-1][0] = tok
            blocks[id(tok)] = []
        elif tok.type == "list_item_close" and lists:
            lists[-1][1], lists[-1][0] = lists[-1][0], None


def _one_line_item(tokens: Sequence[Token], i: int) -> bool:
    """Whether the list opened at tokens[i] is one item of one line: run into the line above it,
    it reads the same ("Data sources - Value entry")."""
    close = tokens[i].type.replace("_open", "_close")
    end = next(
        k for k in range(i, len(tokens)) if tokens[k].type == close and tokens[k].level == tokens[i].level
    )
    inner = [t.type for t in tokens[i + 1 : end]]
    one = inner == ["list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]
    return one and "\n" not in tokens[i + 3].content


def _runs_into(article: Article, before: Token, item: Token, types: list[str]) -> bool:
    """Whether the site runs `item` into the last block of the item `before` it: that item has
    more than one block, with a blank line among them (the site then reads it block by block),
    and `item` starts on the line right after its last."""
    lines = article.parsed_lines
    start = item.map[0] if item.map else 0
    if len([t for t in types if t not in ("inline",)]) < 2 or not before.map or start < 1:
        return False
    filled = lambda n: bool(lines[n].strip(" \t>"))  # noqa: E731
    return filled(start - 1) and not all(filled(n) for n in range(before.map[0], start))


_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)*")


def _blank_line_before_lists(article: Article) -> str | None:
    """KB118's fix: a blank line before each such list or item (inside a quote, a line of its
    `>`)."""
    lines = list(article.lines)
    starts = sorted({tok.map[0] for tok, _ in _glued(article)}, reverse=True)
    for start in starts:
        lines.insert(start, _QUOTE_PREFIX.match(lines[start]).group(0).rstrip())  # type: ignore[union-attr]
    return "\n".join(lines) if starts else None


@rule("KB118", "list-after-paragraph", Severity.ERROR, fix=_blank_line_before_lists, version=2)
def list_after_paragraph(article: Article, ctx: Context) -> Iterator[Hit]:
    """A list that starts on the line right after a paragraph, or a step right after the last
    block of a step of several blocks, with no blank line between them.

    **What it does**: reports a list whose first item follows a line of text directly
    (`Before you start:` then `- An account` on the next line), in the page, a quote, an
    admonition or a list item; and an item that follows the last paragraph, code block or
    nested list of an item spread over several blocks directly (a screenshot under step 1, then
    `2. Select` on the next line). A nested list right under its item's first line is fine, and
    so is a list of one item of one line after its label (`**Data sources**` / `- Value entry`
    reads "Data sources - Value entry" either way). `kb check --fix` adds the blank line.

    **Why it matters**: CommonMark (GitHub, editors, and this check) starts the list there, but
    the site's renderer (Python-Markdown) needs a blank line before a list: without one it runs
    the items into the paragraph as plain text ("Before you start: - An account - A plan"), and
    a step into the text of the step above it ("... 2. Select ..."), after `kb check --fix` has
    indented that step's blocks as well.

    **Example**: `Before you start:` / `- An account` -> `Before you start:` / (blank line) /
    `- An account`.
    """
    for tok, into in _glued(article):
        raw = article.lines[tok.map[0]]
        column = len(raw) - len(raw.lstrip(" \t>")) + 1
        if tok.type != "list_item_open":
            said = "list right after a line of text: the site runs its items into that paragraph as text"
            yield Hit(article.body_line + tok.map[0], f"{said}; add a blank line before the list", column)
            continue
        what = "step" if tok.markup in ".)" else "item"
        if into in ("bullet_list_open", "ordered_list_open"):
            said = f"makes this {what} one more item of the list nested in the {what} above"
        elif into in ("fence", "code_block"):
            said = f"runs this {what} into the code block of the {what} above, as text"
        else:
            said = f"runs this {what} into the last paragraph of the {what} above, as text"
        yield Hit(
            article.body_line + tok.map[0],
            f"{what} right after the {what} above, which has several blocks: the site {said}; add a "
            f"blank line before this {what} (kb check --fix does)",
            column,
        )
