"""KB121 and KB122: list markers that GitHub and editors (CommonMark, which `kb check` reads) take
for a numbered list and the site's renderer (Python-Markdown) does not: steps written `1)`, and a
list whose first items are bullets and the rest numbers. `tests/rules/test_markers.py` renders
the fixtures both ways.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from generator.mdparse import parse
from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.rendered import list_holding, render

_LISTS = ("bullet_list_open", "ordered_list_open")
# A list item's marker at the start of its line, after any quote marks and indentation.
_PAREN_MARKER = re.compile(r"^((?:[ \t]*>)*[ \t]*)(\d{1,9})\)")
_BULLET_MARKER = re.compile(r"^((?:[ \t]*>)*[ \t]*)[-*+]( )")


def _parenthesized(article: Article) -> Iterator[Token]:
    """The numbered lists written with `)` after their numbers."""
    if ")" not in article.body:
        return
    for tok in article.tokens:
        if tok.type == "ordered_list_open" and tok.markup == ")" and tok.map:
            yield tok


def _with_full_stops(article: Article) -> str | None:
    """KB121's fix: `1)` written `1.` on each item's first line."""
    lines = list(article.lines)
    changed = False
    for tok in article.tokens:
        if tok.type == "list_item_open" and tok.markup == ")" and tok.map:
            n = tok.map[0]
            new = _PAREN_MARKER.sub(r"\1\2.", lines[n], count=1)
            changed = changed or new != lines[n]
            lines[n] = new
    return "\n".join(lines) if changed else None


@rule("KB121", "list-number-parenthesis", Severity.ERROR, fix=_with_full_stops)
def list_number_parenthesis(article: Article, ctx: Context) -> Iterator[Hit]:
    """A numbered list written `1)`, `2)` instead of `1.`, `2.`.

    **What it does**: reports each numbered list whose numbers are followed by `)`.
    `kb check --fix` writes `1.` for `1)`.

    **Why it matters**: CommonMark (GitHub, editors, and this check) reads `1)` as a numbered
    list, but the site's renderer (Python-Markdown) knows only `1.`: it shows the steps as
    plain text, run together into one paragraph ("1) Open Settings. 2) Select Save."), and a
    screenshot indented under a step as a code block showing `![...](...)`.

    **Example**: `1) Open **Settings**.` -> `1. Open **Settings**.`
    """
    for tok in _parenthesized(article):
        raw = article.lines[tok.map[0]]
        yield Hit(
            article.body_line + tok.map[0],
            "numbered list written '1)': the site does not read it as a list and shows its steps "
            "as plain text run together (a screenshot under a step as code); write '1.', '2.', ... "
            "(kb check --fix does)",
            len(raw) - len(raw.lstrip(" \t>")) + 1,
        )


def _changes(tokens: Sequence[Token]) -> Iterator[tuple[Token, Token]]:
    """(first list, the list right after it) of each two lists side by side, one bulleted and
    one numbered: with nothing but blank lines between them."""
    opened: list[Token] = []
    for i, tok in enumerate(tokens):
        if tok.type in _LISTS:
            opened.append(tok)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            first = opened.pop()
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is not None and after.type in _LISTS and after.type != first.type and after.map:
                yield first, after


def _joined_on_the_site(article: Article, first: Token, after: Token) -> bool:
    """Whether the site's renderer takes the second list's items into a list of the first's kind,
    as it does when the two are side by side on the site too; a block indented too little inside
    the first can end it earlier (KB116), and then the second shows as a list of its own."""
    if not first.map or not after.map:
        return True
    start = next(i for i, t in enumerate(article.tokens) if t is after)
    text = next((t.content for t in article.tokens[start:] if t.type == "inline" and t.content), "")
    needle = html.escape(text.split("\n", 1)[0].strip(), quote=False)
    try:
        rendered = render(article.parsed_lines[first.map[0] : after.map[1]])
    except RecursionError:
        return True  # too deep to render (KB120 reports it): as CommonMark reads it
    at = rendered.find(needle) if needle else -1
    if at < 0:
        return True  # cannot tell: reported as CommonMark reads it
    kind = "ol" if first.type == "ordered_list_open" else "ul"
    return list_holding(rendered, at) == kind


def _numbered_first_items(article: Article) -> str | None:
    """KB122's fix, where it is sure to be what the writer meant: bullets of one line each, right
    before a numbered list that goes on from them (`- Open`, then `2. Select`), numbered."""
    lines = list(article.lines)
    tokens = article.tokens
    changed = False
    for first, after in _changes(tokens):
        items = _goes_on_from(tokens, first, after)
        if items is None:
            continue
        for number, n in enumerate(items, start=1):
            lines[n] = _BULLET_MARKER.sub(rf"\g<1>{number}.\2", lines[n], count=1)
        changed = True
    if not changed:
        return None
    fixed = "\n".join(lines)
    # Safe only when CommonMark now reads one numbered list where it read the two, and all else
    # as before (fix_checked: the fixer's own comparison would refuse any change of list).
    return fixed if _same_but_lists(parse(article.body), parse(fixed)) else None


def _goes_on_from(tokens: Sequence[Token], first: Token, after: Token) -> list[int] | None:
    """The lines of the bullets of `first` when the numbered list `after` goes on from them
    (`- Open`, `- Sign in`, then `3. Select`) and each is one line: KB122's fix numbers them."""
    if first.type != "bullet_list_open" or after.markup != ".":
        return None
    items = _one_line_items(tokens, first)
    return items if items is not None and int(after.attrGet("start") or 1) == len(items) + 1 else None


def _one_line_items(tokens: Sequence[Token], opened: Token) -> list[int] | None:
    """Body lines of the items of the list `opened`, when each is one paragraph of one line."""
    start = next(i for i, t in enumerate(tokens) if t is opened)
    found: list[int] = []
    i = start + 1
    while tokens[i].type == "list_item_open":
        shape = [t.type for t in tokens[i : i + 5]]
        if shape != ["list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]:
            return None
        if "\n" in tokens[i + 2].content or not tokens[i].map:
            return None
        found.append(tokens[i].map[0])
        i += 5
    return found


def _same_but_lists(before: Sequence[Token], after: Sequence[Token]) -> bool:
    def read(tokens: Sequence[Token]) -> list[tuple[str, str]]:
        return [(t.type, t.content) for t in tokens if "list" not in t.type and "paragraph" not in t.type]

    lists = sum(t.type in _LISTS for t in before) - sum(t.type in _LISTS for t in after)
    return read(before) == read(after) and lists > 0


@rule("KB122", "list-type-change", Severity.ERROR, fix=_numbered_first_items, fix_checked=True)
def list_type_change(article: Article, ctx: Context) -> Iterator[Hit]:
    """A numbered list right after a bulleted one, or a bulleted list right after a numbered
    one, with only blank lines between them.

    **What it does**: reports two lists side by side where one is bulleted (`-`) and the other
    numbered (`1.`), as when the first step is written `- Open Settings` and the others `2.`,
    `3.`. `kb check --fix` numbers such first steps when the numbers after them go on from
    them; other cases are left to the writer: put a line of text between the two lists, or make
    them one.

    **Why it matters**: CommonMark (GitHub, editors, and this check) shows two lists, but the
    site's renderer (Python-Markdown) makes them one list of the first list's kind: the steps
    after a bulleted first step all become bullets and lose their numbers, and bullets after a
    numbered list become numbered steps of it. Reported only where the site does join them: a
    block indented too little inside the first list can end it earlier (KB116 reports that).

    **Example**: `- Open **Settings**.` / (blank line) / `2. Select **Save**.` ->
    `1. Open **Settings**.` / (blank line) / `2. Select **Save**.`
    """
    tokens = article.tokens
    after_numbered: set[int] = set()  # bulleted lists right after a numbered one
    for first, after in _changes(tokens):
        if first.type == "ordered_list_open":
            after_numbered.add(id(after))
        elif id(first) in after_numbered:
            # Numbered, bulleted, numbered: the site makes the three one numbered list (the kind
            # of the first), as reported at these bullets already; they are not one bulleted list.
            continue
        if not _joined_on_the_site(article, first, after):
            continue  # the site ends the first list before (KB116 says why): shown apart, as meant
        if first.type == "bullet_list_open":
            at = first.map[0] if first.map else after.map[0]
            fix = (
                " (kb check --fix does)"
                if _goes_on_from(tokens, first, after) is not None
                else ", or put a line of text between the lists"
            )
            said = (
                f"bulleted list right before the numbered list on line {article.body_line + after.map[0]}: "
                f"the site makes the two one bulleted list, so the steps lose their numbers; number "
                f"these items too{fix}"
            )
        else:
            at = after.map[0]
            said = (
                "bulleted list right after the numbered list on line "
                f"{article.body_line + (first.map[0] if first.map else at)}: the site makes its items "
                "more numbered steps of that list; indent the bullets under the step they belong to, "
                "or put a line of text between the lists"
            )
        raw = article.lines[at]
        yield Hit(article.body_line + at, said, len(raw) - len(raw.lstrip(" \t>")) + 1)
