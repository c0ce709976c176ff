"""One Markdown parse per article, and the helpers rules and renderers share to read it."""

from __future__ import annotations

import html
import logging
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import autolink as autolink_rule
from markdown_it.rules_inline import image as image_rule
from markdown_it.rules_inline import link as link_rule
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": True}).enable("table")
# A link's target is normalised (percent-encoded) on every parse, and pages link to the same few
# thousand targets: the function is pure, so each target is worked out once (0.7 s of the 3,770
# corpus files' parses, three quarters of it for targets seen before).
_md.normalizeLink = lru_cache(maxsize=1 << 14)(_md.normalizeLink)  # type: ignore[method-assign]


def _quiet(*args: Any, **kwargs: Any) -> None:
    return None


def _quiet_block_rules() -> None:
    """markdown-it's block rules each log at DEBUG every time they are tried ("entering code:
    ..."), some 500 times a page: with the loggers off, the call and its level test were 5-9% of
    a parse, and every page is parsed. They are made silent unless DEBUG is on for them now."""
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        ours = name.startswith("markdown_it.") and isinstance(logger, logging.Logger)
        if ours and not logger.isEnabledFor(logging.DEBUG):  # type: ignore[union-attr]
            logger.debug = _quiet  # type: ignore[method-assign,union-attr]


_quiet_block_rules()

# The documented agent-only block: `!!! internal "Agent note"` at the start of a line or indented
# like a list item's text, and every following line that is blank or indented four spaces more.
# The renderer removes more shapes than this from the public site (generator.pymd.internal); rules
# that read public text skip only this one, so text in any other shape counts as public, and
# KB310 asks for this form.
INTERNAL_OPENER = re.compile(r'^(?P<indent>(?: {4})*)!!! internal(?: +"[^"]*")? *$')


# Any admonition opener (`!!! tip`, `??? note "Title"`, `!!! internal "Agent note"`).
ADMONITION_OPENER = re.compile(r"^(?:!!!|\?\?\?\+?)\s+[A-Za-z][\w-]*")


MARKDOWN_SUFFIXES = (".md", ".markdown")

# The seven-part sections' ids: the renderer gives each part's `##` heading its part name as id,
# whatever the language (`## Schritte {#steps}`).
PARTS = ("prerequisites", "steps", "tips", "troubleshooting", "related")


def is_attachment(path: str) -> bool:
    """Whether a link target names a file to open or download (`guide.pdf`, `template.csv`): a
    file name with an extension, and not a page's Markdown."""
    name = path.rsplit("/", 1)[-1]
    return "." in name.strip(".") and not name.endswith(MARKDOWN_SUFFIXES)


# A link or image target that names no file of the project: a URL (`https:`, `mailto:`, `data:`),
# a protocol-relative or site-absolute path, or an anchor on the same page.
_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#|/)", re.IGNORECASE)


def resolve_href(href: str, page_path: str) -> tuple[str, str] | None:
    """(project-relative path, `#fragment` or '') of a relative link or image target on the page
    at `page_path`; None for a target elsewhere. The renderer and the rules read targets alike."""
    if _ELSEWHERE.match(href):
        return None
    path, hash_, fragment = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
    return resolved, hash_ + fragment


def parse(text: str) -> list[Token]:
    """Parse with admonition bodies read as ordinary Markdown (CommonMark alone would see an
    indented code block), line numbers unchanged."""
    return _md.parse(flatten_admonitions(text))


def flatten_admonitions(text: str) -> str:
    if "!!!" not in text and "???" not in text:
        return text  # no admonition: most pages, and a scan of each line saved
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if ADMONITION_OPENER.match(lines[i]):
            lines[i] = ""
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
                line = lines[i]
                lines[i] = (
                    line[4:] if line.startswith("    ") else line[1:] if line.startswith("\t") else line
                )
                i += 1
        else:
            i += 1
    return "\n".join(lines)


# `<!-- kb-disable CODE: reason -->`, the reason on one line. Read as the one regex
# `<!--\s*kb-disable\s+(?P<code>[A-Za-z0-9-]+)\s*(?::(?P<reason>.*?))?\s*-->` would read it,
# but in one pass over the text (suppression_comments): that regex scans from every `<!--` to the
# end of its line, and `<!-- kb-disable KB401: ` pasted 4,000 times on a line cost minutes.
_SUPPRESS_HEAD = re.compile(r"<!--\s*kb-disable\s+(?P<code>[A-Za-z0-9-]+)")


def suppression_comments(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, code, reason) of each suppression, in one pass: each comment runs from a `<!--`
    to the first `-->` after it (as the renderer strips them), and the first `kb-disable` head in
    it whose rest is a reason on the comment's last line, or nothing, is the suppression."""
    cursor = 0
    while (start := text.find("<!--", cursor)) >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            return  # no comment closes after this one: none after it can either
        cursor = close + 3
        if "kb-disable" not in text[start:close]:
            continue
        last = len(text[start:close].rstrip()) + start  # end of the comment's last non-space
        last_line = text.rfind("\n", start, last) + 1
        for head in _SUPPRESS_HEAD.finditer(text, start, close):
            after = head.end()
            while after < close and text[after].isspace():
                after += 1
            if after == close:
                yield head.start(), head.group("code"), ""
                break
            if text[after] == ":" and after + 1 >= last_line:
                yield head.start(), head.group("code"), text[after + 1 : last].strip()
                break


@dataclass(frozen=True)
class Block:
    start: int  # 0-based line index of the opener
    end: int  # 0-based index one past the last line of the block


def internal_blocks(lines: Sequence[str]) -> list[Block]:
    """The documented agent-only blocks whose extent is beyond doubt: the opener, then lines that
    are blank or indented with four more spaces, then a line indented no deeper than the opener
    (or the end). A block with anything in between (a tab, a line indented by two) is left out:
    cutting its opener but not all of its body would show that body to customers, so only the
    renderer, which reads it whole, removes it (generator.pymd.internal)."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opener = INTERNAL_OPENER.match(lines[i]) if "!!! internal" in lines[i] else None
        if not opener:
            i += 1
            continue
        indent = len(opener.group("indent"))
        body = " " * (indent + 4)
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith(body)):
            j += 1
        after = lines[j] if j < len(lines) else ""
        if len(after.expandtabs(4)) - len(after.expandtabs(4).lstrip()) > indent and after.strip():
            i = j  # a line that may still belong to the block: not beyond doubt
            continue
        while j > i + 1 and not lines[j - 1].strip():  # trailing blank lines stay outside
            j -= 1
        if j > i + 1 and "\t" not in "".join(lines[i + 1 : j]):
            blocks.append(Block(i, j))
        i = j
    return blocks


def internal_lines(lines: Sequence[str]) -> frozenset[int]:
    """Indexes of the lines inside the documented agent-only blocks (internal_blocks)."""
    return frozenset(k for block in internal_blocks(lines) for k in range(block.start, block.end))


def without_internal(text: str) -> str:
    """The text with agent-only blocks blanked out, keeping line numbers where they were."""
    lines = text.split("\n")
    hidden = internal_lines(lines)
    return "\n".join("" if k in hidden else line for k, line in enumerate(lines)) if hidden else text


def summary_index(tokens: list[Token] | tuple[Token, ...]) -> int | None:
    """Index of the `paragraph_open` token of the summary: the first top-level paragraph before
    any heading other than the H1. The checker, the renderer and the theme all mean this one."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag != "h1":
            return None
        if tok.type == "paragraph_open" and tok.level == 0 and tok.map:
            return i
    return None


@dataclass(frozen=True)
class SectionSpan:
    """A `##` section of a parse: from its heading to the next `##` heading or the end."""

    title: str  # the heading's text as written, stripped
    start: int  # index of its heading_open token
    stop: int  # index of the next `##` heading's heading_open token, or the number of tokens
    line: int  # 0-based line of the heading in the parsed text
    end: int | None  # 0-based line of the next `##` heading; None for the last section


def sections(tokens: Sequence[Token]) -> list[SectionSpan]:
    """The `##` sections of a parse, in order: the one scan that the loader's sections and the
    staged page's parts (their tokens, lines and ids) read."""
    heads = [
        (i, tok.map[0], tokens[i + 1].content.strip())
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag == "h2" and tok.map
    ]
    nexts: list[tuple[int, int | None]] = [(i, line) for i, line, _ in heads[1:]]
    nexts.append((len(tokens), None))  # the last section ends with the text
    return [
        SectionSpan(title, start, stop, line, end)
        for (start, line, title), (stop, end) in zip(heads, nexts[: len(heads)], strict=True)
    ]


def plain_text(token: Token) -> str:
    """The visible text of an inline token: link text kept, markup and code spans dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append("")
    return "".join(parts)


_INLINE_MARKUP = re.compile(r"([\\`*_{}\[\]|])")
# What starts a block at the start of a line (a heading, a list, an admonition, a fence).
_BLOCK_START = re.compile(r"\d*[#+\-!?=~.)]")


def literal(text: str) -> str:
    """Text (a title, summary or description from front matter or configuration) as Markdown that
    shows it as typed: HTML becomes entities (`&lt;svg&gt;`, and `&lt;` stays those four characters), markup
    is escaped, and a character that would start a block at the start of a line (where a summary
    or a description goes) becomes a character reference."""
    text = _INLINE_MARKUP.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))
    lead = _BLOCK_START.match(text)
    if lead is not None:
        end = lead.end() - 1
        text = f"{text[:end]}&#{ord(text[end])};{text[end + 1 :]}"
    return text


# Where each link and image starts, for the findings about them: markdown-it gives a block's lines,
# not an inline's. A second parser whose link, image and autolink rules note the offset in the
# inline's text at which each one starts (Token.meta["start"]); it runs only for a page a finding
# is reported on.
def _noting_start(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def noted(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:
            opened = next(t for t in state.tokens[count:] if t.type in ("link_open", "image"))
            opened.meta = {**opened.meta, "start": start}
        return found

    return noted


@cache
def _placing() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for name, rule in (("link", link_rule), ("image", image_rule), ("autolink", autolink_rule)):
        md.inline.ruler.at(name, _noting_start(rule))
    return md


def link_places(text: str) -> tuple[tuple[int, int], ...]:
    """(0-based line, 1-based column) of each Markdown link and image of `text`, where its `[`,
    `![` or `<` is, in the order Article.links has them (a link when it closes, an image where it
    is)."""
    lines = text.split("\n")
    places: list[tuple[int, int]] = []
    for tok in _placing().parse(flatten_admonitions(text)):
        if tok.type != "inline" or not tok.children or not tok.map:
            continue
        opened: list[int] = []
        for child in tok.children:
            if child.type == "link_open":
                opened.append(child.meta.get("start", 0))
            elif child.type == "link_close" and opened:
                places.append(inline_place(lines, tok, opened.pop()))
            elif child.type == "image":
                places.append(inline_place(lines, tok, child.meta.get("start", 0)))
    return tuple(places)


def inline_starts(text: str) -> list[int]:
    """Offsets in `text`, read as inline Markdown, where its links and images start, in the
    order Article.links has them."""
    starts: list[int] = []
    opened: list[int] = []
    for child in _placing().parseInline(text, {})[0].children or []:
        if child.type == "link_open":
            opened.append(child.meta.get("start", 0))
        elif child.type == "link_close" and opened:
            starts.append(opened.pop())
        elif child.type == "image":
            starts.append(child.meta.get("start", 0))
    return starts


def inline_place(lines: Sequence[str], tok: Token, offset: int) -> tuple[int, int]:
    """(0-based line, 1-based column) in `lines` (the text parsed) of the character at `offset`
    in the content of the inline token `tok`. Its content lines are its source lines without
    their indentation and quote or list marks, so each is found in its line from the end of
    those."""
    content = tok.content
    row = content.count("\n", 0, offset)
    start = content.rfind("\n", 0, offset) + 1
    end = content.find("\n", offset)
    n = min((tok.map[0] if tok.map else 0) + row, len(lines) - 1)
    at = lines[n].find(content[start : end if end >= 0 else len(content)])
    if at < 0:  # a tab widened to spaces, say: the line's own indentation then
        at = len(lines[n]) - len(lines[n].lstrip())
    return n, at + offset - start + 1
