"""KB310: agent-only text written in the one form that the check, the renderer and the writer
all read alike.

The documented form is an `internal` admonition: the line `!!! internal "Title"` (at the start of
a line, or indented like the text of the list item it belongs to), its body indented four spaces
more. The public site removes whatever the renderer builds with the class `internal`
(generator.pymd.internal), in any shape; this rule tells writers at check time about every other
shape, because each one is a trap: a `??? internal` block collapses, an opener the renderer does
not recognise shows the agent's note to customers as text, a block quote or another note around
it hides it from the rules that read public text.

The rule asks the renderer, never a pattern: each line that looks like an opener gets a marker as
its title, the page is rendered as the public site renders it (without removing anything), and
the markers show what became of each line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown.extensions.attr_list import get_attrs_and_remainder

from generator.model import Article, Audience, Hit, Severity
from generator.pymd import INTERNAL_EXTENSION, converter
from generator.pymd.internal import Found, InternalMarkupError, found, is_internal
from generator.rules.base import Context, rule
from generator.rules.html import article_elements, without_code

_TITLE = re.compile(r'"(?P<title>[^"]*)"\s*$')
_LISTS = frozenset(("ol", "ul", "li"))
_MARK = "KBOPENER{}X"
# The renderer's block parser takes quadratic time on long runs of openers; no real page has this
# many agent notes, so a page with more is a finding rather than a slow check.
MAX_OPENERS = 100
_MARKED = re.compile(r"KBOPENER(\d+)X")


class TooMany(Exception):
    """More opener-like lines than the rule reads (MAX_OPENERS)."""


@dataclass(frozen=True)
class Opener:
    """What the renderer made of a line that looks like an agent-only block's opener."""

    line: int  # 0-based line of the body
    shown_as: str  # "internal", "text", "code" or "hidden" (inside another internal block, a comment)
    block: Found | None = None  # the element, when shown_as is "internal"


def _candidate(line: str) -> bool:
    return ("!!!" in line or "???" in line) and "internal" in line.casefold()


def _fenced(article: Article) -> set[int]:
    """Body lines inside fenced code blocks: openers written there are examples."""
    return {k for tok in article.tokens if tok.type == "fence" and tok.map for k in range(*tok.map)}


def _simple(lines: Sequence[str], candidates: Sequence[int], body: str) -> bool:
    """Whether every opener is documented at the start of a line, after a blank line, with a body
    of four-space lines, on a page with no HTML or attribute list that could mark text otherwise:
    then the renderer's answer is known without asking it (most pages with agent notes)."""
    if "<" in body or "&#" in body:
        return False
    for i in candidates:
        line = lines[i].rstrip()
        if line != _documented(line) or line.startswith(" ") or (i and lines[i - 1].strip()):
            return False
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not nxt.startswith("    ") or not nxt[4:5].strip():
            return False
    return True


def read_openers(article: Article) -> tuple[list[Opener], list[Found]] | None:
    """What the renderer makes of each opener-like line, and the agent-only elements it builds
    that no such line accounts for (raw HTML, attribute lists). None when the page holds nothing
    that could be agent-only, or only documented blocks the renderer is known to read."""
    body = article.body
    lines = article.lines
    fenced = _fenced(article) if "```" in body or "~~~" in body else set()
    candidates = [i for i, line in enumerate(lines) if i not in fenced and _candidate(line)]
    other = "nternal" in body.casefold() and any(_marks_class(line) for line in lines)
    if not candidates and not other:
        return None
    if len(candidates) > MAX_OPENERS:
        raise TooMany(len(candidates))
    if candidates and not other and _simple(lines, candidates, body):
        return None
    if not candidates:
        # Only HTML or attribute lists could mark text: they are read where they are written
        # (_other_hits), and the renderer adds nothing to ask about.
        return [], []
    marked = list(lines)
    for i in candidates:
        marked[i] = _with_title(lines[i], _MARK.format(i))
    md = converter(Audience.PUBLIC, **{INTERNAL_EXTENSION: {"drop": False}})
    html = md.convert("\n".join(marked))
    blocks = found(md)
    titled = {int(m.group(1)): b for b in blocks if (m := _MARKED.fullmatch(b.title))}
    inside = {int(n) for b in blocks for n in _MARKED.findall(b.text)} - titled.keys()
    places = _marker_places(html)
    openers = []
    for i in candidates:
        if i in titled:
            openers.append(Opener(i, "internal", titled[i]))
        elif i in inside:
            openers.append(Opener(i, "hidden"))
        else:
            openers.append(Opener(i, places.get(i, "hidden")))
    return openers, [b for b in blocks if not _MARKED.fullmatch(b.title)]


def _marks_class(line: str) -> bool:
    """Whether a line could give an element a class: HTML's `class=`, or an attribute list."""
    low = line.casefold()
    return ("class" in low and ("nternal" in low or "&" in low)) or ("{" in line and "nternal" in low)


def _with_title(line: str, title: str) -> str:
    stripped = line.rstrip()
    match = _TITLE.search(stripped)
    return f'{stripped[: match.start()]}"{title}"' if match else f'{stripped} "{title}"'


class _Places(HTMLParser):
    """Where each marker ended up in the rendered HTML: in code, or in text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code = 0
        self.places: dict[int, str] = {}

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("code", "pre"):
            self.code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre"):
            self.code = max(0, self.code - 1)

    def handle_data(self, data: str) -> None:
        for match in _MARKED.finditer(data):
            self.places.setdefault(int(match.group(1)), "code" if self.code else "text")


def _marker_places(html: str) -> dict[int, str]:
    # The sanitizer's output: well formed, so the tokenizer reads it in one pass.
    parser = _Places()
    parser.feed(html)
    parser.close()
    return parser.places


def fix_openers(article: Article) -> str | None:
    """KB310's fix: each opener the renderer reads as agent-only, outside quotes and other notes,
    rewritten as `!!! internal "Title"` and its body's tabs as spaces, when the public page (and
    the agent notes' text) render exactly as before. None when there is nothing it can fix."""
    try:
        read = read_openers(article)
    except (InternalMarkupError, TooMany):
        return None
    if read is None:
        return None
    lines = list(article.lines)
    changed = False
    for opener in read[0]:
        block = opener.block
        if opener.shown_as != "internal" or block is None or block.text == block.title:
            continue
        if any(name.split(".")[0] not in _LISTS for name in block.inside):
            continue
        line = lines[opener.line]
        if len(line[: len(line) - len(line.lstrip())].expandtabs(4)) % 4:
            continue
        lines[opener.line] = _documented(line)
        _spaces_for_tabs(lines, opener.line)
        changed = True
    if not changed:
        return None
    fixed = "\n".join(lines)
    return fixed if _renders_alike(article.body, fixed) else None


def _spaces_for_tabs(lines: list[str], start: int) -> None:
    indent = len(lines[start]) - len(lines[start].lstrip())
    for k in range(start + 1, len(lines)):
        line = lines[k]
        if not line.strip():
            continue
        lead = line[: len(line) - len(line.lstrip())]
        if len(lead.expandtabs(4)) <= indent:
            return
        lines[k] = lead.expandtabs(4) + line[len(lead) :]


def _renders_alike(before: str, after: str) -> bool:
    """The public page is the same HTML, and the agent notes hold the same text."""
    public = converter(Audience.PUBLIC)
    keep = converter(Audience.PUBLIC, **{INTERNAL_EXTENSION: {"drop": False}})
    try:
        same_page = public.convert(before) == public.reset().convert(after)
        old = [b.text for b in (keep.convert(before), found(keep))[1]]
        new = [b.text for b in (keep.reset().convert(after), found(keep))[1]]
    except InternalMarkupError:
        return False
    return same_page and old == new


# The fix proves itself by rendering (_renders_alike), not by CommonMark reading the page as before
# as other fixes do: rewriting the opener line is the point, and CommonMark reads it differently.
@rule("KB310", "internal-block-form", Severity.ERROR, public_only=True, fix=fix_openers, fix_checked=True)
def internal_block_form(article: Article, ctx: Context) -> Iterator[Hit]:
    """Agent-only text not written as `!!! internal "Title"` with a four-space indented body.

    **What it does**: asks the site's renderer what it makes of every line that looks like an
    agent note's opener (`??? internal`, `!!! Internal`, `!!!internal`, `!!! warning internal`,
    one under a list item or in a block quote...) and of HTML or attribute lists that give text the
    class `internal`, and reports each one not written in the documented form: the line
    `!!! internal "Title"` at the start of a line (or indented like the text of its list item),
    after a blank line, outside block quotes and other notes, with its body indented four spaces
    more. The message gives the line to write. `kb check --fix` rewrites an opener the renderer
    already reads as agent-only, when the public page stays exactly the same.

    **Why it matters**: the public site removes what the renderer marks agent-only, whatever its
    shape, but a line the renderer does not read as an opener (two spaces after `!!!`, no blank
    line before it in a list, a body indented two spaces) is shown to customers as text. Other
    shapes collapse on the agent site or hide the text from the rules that check public text.

    **Example**: `??? internal "Agent note"` -> `!!! internal "Agent note"`
    """
    try:
        read = read_openers(article)
    except InternalMarkupError as exc:
        yield Hit(article.body_line, f"agent-only HTML the site cannot cut: {exc}")
        return
    except TooMany as exc:
        yield Hit(
            article.body_line,
            f"{exc.args[0]} lines on this page look like agent notes; the check reads pages with at "
            f"most {MAX_OPENERS}: split the page",
        )
        return
    if read is None:
        return
    openers, others = read
    lines = article.lines
    for opener in openers:
        message = _problem(opener, lines)
        if message:
            yield Hit(article.body_line + opener.line, message)
    yield from _other_hits(article, others)


def _problem(opener: Opener, lines: Sequence[str]) -> str:
    line = lines[opener.line]
    want = _documented(line)
    if opener.shown_as == "text":
        return (
            "the site shows this agent note to customers as text: write the line as "
            f"'{want.strip()}' after a blank line, at the start of the line or indented like its "
            "list item's text, with the note indented four spaces more"
        )
    if opener.shown_as == "code":
        return (
            "the site shows this agent note to customers as a code block (it is indented four "
            f"spaces too many): write '{want.strip()}' at the start of the line, or put an "
            "example in a fenced code block"
        )
    if opener.shown_as != "internal" or opener.block is None:
        return ""
    around = [name for name in opener.block.inside if name.split(".")[0] not in _LISTS]
    if around:
        return f"agent note inside {_container(around[-1])}: move it out, and write it as '{want.strip()}'"
    if opener.block.text == opener.block.title:
        return (
            "this agent note is empty: the text under it is not indented four spaces more than "
            "the opener, so the site shows that text to customers; indent it"
        )
    if line.rstrip() != want:
        return f"write this agent note's opener as '{want.strip()}' (the one form every check reads)"
    if _tab_in_body(lines, opener.line):
        return "indent this agent note's body with spaces, four more than the opener, not tabs"
    return ""


def _container(label: str) -> str:
    """How a writer names the element around a note (`details.note` -> a `??? note` block)."""
    tag, *classes = label.split(".")
    if tag == "blockquote":
        return "a block quote"
    kind = next((c for c in classes if c != "admonition"), "")
    if tag == "details":
        return f"a `??? {kind}` block" if kind else "a collapsible block"
    if "admonition" in classes:
        return f"a `!!! {kind}` block"
    return f"an HTML <{tag}> element"


def _documented(line: str) -> str:
    """The documented opener for `line`: its indentation kept (tabs as four columns, rounded
    down to a list level), its title kept."""
    lead = line[: len(line) - len(line.lstrip())].expandtabs(4)
    indent = " " * (len(lead) // 4 * 4)
    title = _TITLE.search(line.rstrip())
    return f'{indent}!!! internal "{title.group("title")}"' if title else f"{indent}!!! internal"


def _tab_in_body(lines: Sequence[str], start: int) -> bool:
    indent = len(lines[start].expandtabs(4)) - len(lines[start].expandtabs(4).lstrip())
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        lead = line[: len(line) - len(line.lstrip())]
        if len(lead.expandtabs(4)) <= indent:
            return False
        if "\t" in lead:
            return True
    return False


def _other_hits(article: Article, others: Sequence[Found]) -> Iterator[Hit]:
    """Agent-only elements made from raw HTML (read as a browser reads it) or attribute lists,
    each at its line; and any more that the renderer builds, at the top of the page."""
    text = without_code(article)
    raw = [
        (n, el) for n, _, el in article_elements(article) if el is not None and is_internal(el.get("class"))
    ]
    for n, element in raw:
        yield Hit(
            article.body_line + n - 1,
            f'agent-only text marked with <{element.tag} class="internal">: {_REWRITE}',
        )
    listed = [n for n, line in enumerate(text.split("\n")) if "{" in line and _lists_internal(line)]
    for n in listed:
        yield Hit(
            article.body_line + n,
            f"agent-only text marked with an attribute list ({{: .internal }}): {_REWRITE}",
        )
    unplaced = len(others) - len(raw) - len(listed)
    if unplaced > 0:
        yield Hit(
            article.body_line,
            f"the site reads {unplaced} more agent-only element(s) on this page than the check can "
            f"place: {_REWRITE}",
        )


_REWRITE = (
    "write it as '!!! internal \"Title\"' with its text indented four spaces under it, "
    "the one form every check reads"
)


def _lists_internal(line: str) -> bool:
    """Whether an attribute list on this line gives its element the class `internal`."""
    for piece in line.split("{")[1:]:
        attrs, _ = get_attrs_and_remainder(piece.lstrip(":"))
        for name, value in attrs:
            if (name == "." and is_internal(value)) or (name == "class" and is_internal(value)):
                return True
    return False
