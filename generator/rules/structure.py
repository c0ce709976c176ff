"""KB1xx: the seven-part help article structure: its title and summary, screenshots in its
steps, no placeholder left, no block nested too deep; and what the other KB1xx modules share (a
part by name, the body's links).

Question title, one-sentence summary, Prerequisites, Steps (numbered, with screenshots), Tips,
Troubleshooting, Related articles. Section names are configured per language under
`languages:` in site_config.yml; English names are the default. The parts are checked in
parts.py (KB103-KB108), links in links.py (KB110-KB115), lists in lists.py (KB116, KB118) and
the other Markdown the two renderers read differently in markup.py (KB117, KB119).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache

from generator.mdparse import inline_starts, link_places, resolve_href, summary_index
from generator.model import Article, Hit, Link, LinkKind, PageType, Section, Severity
from generator.rules.base import Context, CorpusIndex, rule
from generator.text import ends_sentence, sentences

ARTICLES = (PageType.ARTICLE,)
MAX_TITLE = 70


def part(article: Article, ctx: Context, name: str) -> Section | None:
    return article.section(ctx.config.language_of(article).sections[name])


@rule("KB101", "title-not-question", Severity.ERROR, types=ARTICLES)
def title_not_question(article: Article, ctx: Context) -> Iterator[Hit]:
    """Title missing, not a question, too long to scan, or an H1 that differs from it.

    **What it does**: an article's `title` is the question a customer would type: it ends with a
    question mark (`？` in Chinese), is at most 70 characters, and if the body starts with an H1
    it is the same text.

    **Why it matters**: customers scan search results for their own question; a title like
    "Password reset" hides what the page answers, and a long one is cut off in results.

    **Example**: `title: Password reset` -> `title: How do I reset my password?`
    """
    lang = ctx.config.language_of(article)
    title = article.title.strip()
    line = article.field_line("title")
    if not title:
        yield Hit(line, "title is empty: write the question the article answers")
        return
    if not title.endswith(lang.question_marks):
        yield Hit(line, f"title is not a question: end it with '{lang.question_marks[0]}' ({title!r})")
    if len(title) > MAX_TITLE:
        yield Hit(line, f"title is {len(title)} characters; keep it to {MAX_TITLE} so it fits in results")
    for i, tok in enumerate(article.tokens):
        if tok.type == "heading_open" and tok.tag == "h1":
            h1 = article.tokens[i + 1].content.strip()
            if h1 != title:
                yield Hit(article.body_line + tok.map[0], f"H1 '{h1}' differs from the title '{title}'")
            break


@rule("KB102", "summary-not-one-sentence", Severity.ERROR, types=ARTICLES, version=2)
def summary_not_one_sentence(article: Article, ctx: Context) -> Iterator[Hit]:
    """Summary missing or not exactly one sentence.

    **What it does**: the first paragraph after the title (before the first `##` section) is the
    summary. It must be there, and be one complete sentence.

    **Why it matters**: the summary is the lead on the page, the text under the title in search
    results and category lists, and the meta description search engines show.

    **Example**: `Passwords. You can reset them` ->
    `You can reset your password from the sign-in page in about two minutes.`
    """
    summary = summary_paragraph(article)
    if summary is None:
        yield Hit(
            article.body_line,
            "summary missing: start the body with one sentence saying what the article covers",
        )
        return
    line, text = summary
    count = len(sentences(text))
    if count > 1:
        yield Hit(
            line,
            f"summary must be exactly one sentence ({count} sentences): keep the one that says what "
            "the article helps with, and move the rest into a paragraph after it or into a section",
        )
    elif count != 1 or not ends_sentence(text):
        yield Hit(
            line, "summary must be exactly one sentence (no closing punctuation): end it with a full stop"
        )


def summary_paragraph(article: Article) -> tuple[int, str] | None:
    """(file line, text) of the first paragraph before any `##` heading, H1 skipped."""
    i = summary_index(article.tokens)
    if i is None:
        return None
    return article.body_line + article.tokens[i].map[0], article.tokens[i + 1].content.strip()


def targets(article: Article) -> Iterator[tuple[int, str, str]]:
    """(file line, "link" or "image", target) of each Markdown link and image in the body."""
    for link in article.links:
        yield link.line, link.kind.value, link.target


def links(article: Article, first_line: int = 0, last_line: int = 10**9) -> Iterator[tuple[int, str]]:
    """(file line, href) of Markdown links in the body, or in a line range of it."""
    for line, kind, href in targets(article):
        if kind == "link" and first_line <= line <= last_line:
            yield line, href


def link_place(article: Article, index: int) -> tuple[int, int]:
    """(file line, column) where `article.links[index]` starts: its `[`, `![` or `<`.

    A link's Link.line is the first line of its paragraph (or heading, or table row): that line
    and the ones after it, up to a blank line, are read again as inline text, and the link is
    the one there as many links in as it is in Article.links. A reference link (`[text][ref]`),
    whose definition only the whole page has, is placed by reading the whole page again."""
    link = article.links[index]
    nth = sum(1 for other in article.links[:index] if other.line == link.line)
    first = link.line - article.body_line
    block: list[str] = []
    for text in article.lines[first : first + 200]:
        if not text.strip():
            break
        block.append(text)
    joined = "\n".join(block)
    quick = _written_start(joined, link)
    if quick is not None:
        row = joined.count("\n", 0, quick)
        return link.line + row, quick - (joined.rfind("\n", 0, quick) + 1) + 1
    starts = _inline_starts(joined)
    if nth < len(starts):
        offset = starts[nth]
        row = joined.count("\n", 0, offset)
        return link.line + row, offset - (joined.rfind("\n", 0, offset) + 1) + 1
    places = _link_places(article.body)
    if index >= len(places):  # cannot happen: both read the same parse
        return link.line, 1
    line, column = places[index]
    return article.body_line + line, column


def _written_start(block: str, link: Link) -> int | None:
    """Where `link` starts in `block` when that is beyond doubt from the text alone: its target
    written as is once, as `](target)`, and the `[` that opens its text found by counting brackets
    back from there, with no backslash or backtick between that could change what they mean.
    None otherwise (the block is then read again as Markdown): on real articles this finds most
    links without a parse, which was three quarters of a check's time on pages with broken links."""
    needle = f"]({link.target}"
    at = block.find(needle)
    after = block[at + len(needle) : at + len(needle) + 1]
    if at < 0 or block.find(needle, at + 1) >= 0 or after not in (")", " "):
        return None
    depth = 0
    for start in range(at - 1, -1, -1):
        char = block[start]
        if char in "\\`":
            return None
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                image = start > 0 and block[start - 1] == "!"
                if image != (link.kind is LinkKind.IMAGE):
                    return None
                return start - 1 if image else start
            depth -= 1
    return None


def link_hit(article: Article, index: int, message: str) -> Hit:
    """A finding about `article.links[index]`, where it starts."""
    line, column = link_place(article, index)
    return Hit(line, message, column)


# The rules that report links place them; a page's places are worked out once, for the first,
# and so are a block's (a table of contents is one block of hundreds of links).
_link_places = lru_cache(maxsize=8)(link_places)
_inline_starts = lru_cache(maxsize=64)(inline_starts)


def closest_article(article: Article, ctx: Context, target: str) -> str:
    """'; did you mean ...?' with the article in the folder of the missing `target` whose file
    name is closest to its name (a letter or two apart: `plan.md` for `plans.md`), as a link
    from `article` would name it; '' when none is that close."""
    folder, _, name = target.rpartition("/")
    found = _closest(ctx.index, folder, name.rsplit(".", 1)[0])
    return f"; did you mean '{posixpath.relpath(found, posixpath.dirname(article.path))}'?" if found else ""


def _closest(index: CorpusIndex, folder: str, stem: str) -> str:
    """The path of the article in `folder` whose name is closest to `stem`, or ''."""
    memo = _names_by_length(index)[1]
    if (folder, stem) not in memo:
        memo[(folder, stem)] = _closest_name(index, folder, stem)
    return memo[(folder, stem)]


def _closest_name(index: CorpusIndex, folder: str, stem: str) -> str:
    by_length = _names_by_length(index)[0].get(folder, {})
    numbers = re.findall(r"\d+", stem)  # `report-16` is no typo of `report-27`
    near = [
        s
        for n in range(len(stem) - 2, len(stem) + 3)
        for s in by_length.get(n, ())
        if re.findall(r"\d+", s) == numbers
    ]
    close = difflib.get_close_matches(stem, near, n=1, cutoff=0.8)
    if not close:
        return ""
    found = f"{folder}/{close[0]}.md" if index.by_path(f"{folder}/{close[0]}.md") else ""
    return found or next(e.path for e in index.entries if e.path.startswith(f"{folder}/{close[0]}."))


_Names = dict[str, dict[int, list[str]]]
_NAMES: list[tuple[CorpusIndex, _Names, dict[tuple[str, str], str]]] = []  # the last index's


def _names_by_length(index: CorpusIndex) -> tuple[_Names, dict[tuple[str, str], str]]:
    """The article file names of `index` without suffix, by folder and length: a broken link's
    candidates are a few names of its folder (3,770 articles: a scan of all per link was slow)."""
    if _NAMES and _NAMES[0][0] is index:
        return _NAMES[0][1], _NAMES[0][2]
    grouped: dict[str, dict[int, list[str]]] = {}
    for entry in index.entries:
        folder, _, name = entry.path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        grouped.setdefault(folder, {}).setdefault(len(stem), []).append(stem)
    _NAMES[:] = [(index, grouped, {})]
    return grouped, _NAMES[0][2]


def resolve(article: Article, href: str) -> str | None:
    """The project-relative path a relative `.md` link points at, or None for other links."""
    target = href.split("#", 1)[0].split("?", 1)[0]
    resolved = resolve_href(target, article.path) if target.endswith(".md") else None
    return resolved[0] if resolved else None


@rule("KB109", "steps-without-screenshot", Severity.WARNING, types=ARTICLES)
def steps_without_screenshot(article: Article, ctx: Context) -> Iterator[Hit]:
    """No screenshot in Steps.

    **What it does**: warns when the Steps section has no image. Put a screenshot at each point
    where the customer has to choose (which button, which menu).

    **Why it matters**: a picture of the right screen settles "am I in the right place?" faster
    than words.

    **Example**: under step 2, `![The Export button in the Reports toolbar](../images/export.png)`
    """
    steps = part(article, ctx, "steps")
    if steps is None:
        return
    tokens = article.section_tokens(steps)
    images = [c for t in tokens if t.type == "inline" for c in (t.children or []) if c.type == "image"]
    if not images:
        yield Hit(steps.line, "Steps have no screenshot: add one where the customer has to choose")


# Case matters: "todo" is an everyday Spanish word ("all"); the scaffold writes "TODO".
_PLACEHOLDER = re.compile(r"\bTODO\b|\[(?i:placeholder)\]|<(?i:placeholder)>")


@rule("KB111", "placeholder-text", Severity.ERROR, version=2)
def placeholder_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """Placeholder text left in a page (`TODO`, `[placeholder]`).

    **What it does**: `kb new` scaffolds an article full of `TODO:` placeholders; each one is a
    finding until the writer replaces it. Only what readers see is read: code, code spans and
    HTML comments (`<!-- TODO: add a screenshot -->`, which the site drops) are left out, and so is
    TODO between two words of a sentence, which names the marker ("where TODO appears in the
    code").

    **Why it matters**: a published "TODO: add the steps" tells customers nobody finished the page.

    **Example**: `TODO: one sentence saying what this article helps with.` -> the sentence itself.
    """
    if "TODO" not in article.body and "placeholder" not in article.body.lower():
        return
    for n, text in _shown_lines(article.lines):
        found = next((m for m in _PLACEHOLDER.finditer(text) if not _names_the_marker(text, m)), None)
        if found is not None:
            yield Hit(
                article.body_line + n, f"placeholder '{found.group(0)}' left in the text", found.start() + 1
            )


def _names_the_marker(text: str, match: re.Match[str]) -> bool:
    """ "Where TODO appears in the code": TODO between two words of a sentence names the marker,
    it is not one. A placeholder stands alone: "TODO: add the steps", "- TODO", "**TODO**"."""
    return (
        match.group(0) == "TODO"
        and re.search(r"[A-Za-z] $", text[: match.start()]) is not None
        and re.match(r" [a-z]", text[match.end() :]) is not None
    )


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _shown_lines(lines: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(index, text) of the lines readers see: outside fenced code, with HTML comments (which the
    site drops, over several lines too) and code spans blanked."""
    in_fence = False
    kept: list[tuple[int, str]] = []
    for n, text in enumerate(lines):
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            kept.append((n, text))
    joined = "\n".join(text for _, text in kept)
    if "<!--" in joined:
        joined = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)
    for (n, _), text in zip(kept, joined.split("\n"), strict=True):
        yield n, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text) if "`" in text else text


# Lists, block quotes and admonitions may be nested this many levels deep (KB120). Help articles
# need three or four. Past nine, the check's own parser (markdown-it stops at 20 levels of
# tokens, two per list) reads nothing inside, so no rule would see that text, and the site's
# renderer (Python-Markdown) recurses once per level: a 1,000-level list ran out of stack after
# 107 s of rendering.
MAX_NESTING = 8
_NESTING = {
    "bullet_list_open": 1,
    "ordered_list_open": 1,
    "blockquote_open": 1,
    "bullet_list_close": -1,
    "ordered_list_close": -1,
    "blockquote_close": -1,
}
_KINDS = {"bullet_list_open": "list", "ordered_list_open": "numbered list", "blockquote_open": "quote"}
# An admonition or collapsible block opener as Python-Markdown reads one, at any indentation.
_ADMONITION = re.compile(r"[ \t]*(?:!!!|\?\?\?\+?) ?[\w-]")


@rule("KB120", "nesting-too-deep", Severity.ERROR)
def nesting_too_deep(article: Article, ctx: Context) -> Iterator[Hit]:
    """Lists, block quotes and admonitions nested more than 8 levels deep.

    **What it does**: counts the levels a block is inside: each list (a list inside a list item
    is a level more), each block quote (`>`, `> >`) and each admonition (`!!! note`, `??? tip`,
    indented four spaces a level) is one. The first block more than 8 levels deep is reported,
    once for everything nested inside it.

    **Why it matters**: no help article needs more than three or four levels. Past nine, this
    check cannot read what is inside (often not the rest of the page either), so nothing there
    is checked, and the site's renderer slows down and at last fails long after the check
    passed.

    **Example**: steps with sub-steps with notes with bullet lists inside bullet lists: turn the
    deepest levels into a step of their own, a table, or a section of the article.
    """
    depth = 0
    for tok in article.tokens:
        step = _NESTING.get(tok.type, 0)
        depth += step
        if step > 0 and depth == MAX_NESTING + 1 and tok.map:
            yield Hit(article.body_line + tok.map[0], _too_deep(_KINDS[tok.type]))
    for n in _deep_admonitions(article):
        yield Hit(article.body_line + n, _too_deep("admonition"))


def _too_deep(what: str) -> str:
    return (
        f"{what} nested more than {MAX_NESTING} levels deep (lists, quotes and admonitions each "
        "count): the check cannot read so deep and the site's renderer may fail; use fewer levels"
    )


def _deep_admonitions(article: Article) -> Iterator[int]:
    """Body lines (0-based) of admonition openers more than MAX_NESTING levels deep, outside
    fenced code: one for each such block, none for those inside it. An opener indented by 4 × k
    is inside k lists or admonitions (Python-Markdown needs four spaces a level)."""
    if "!!!" not in article.body and "???" not in article.body:
        return
    fenced = {n for tok in article.tokens if tok.type == "fence" and tok.map for n in range(*tok.map)}
    inside: int | None = None  # indent of the too-deep opener whose block the walk is in
    for n, line in enumerate(article.lines):
        if n in fenced or not line.strip():
            continue
        text = line.expandtabs(4)
        indent = len(text) - len(text.lstrip(" "))
        if inside is not None and indent <= inside:
            inside = None
        if inside is None and indent // 4 + 1 > MAX_NESTING and _ADMONITION.match(line):
            inside = indent
            yield n
