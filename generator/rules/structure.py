"""KB1xx: the seven-part help article structure.

Question title, one-sentence summary, Prerequisites, Steps (numbered, with screenshots), Tips,
Troubleshooting, Related articles. Section names are configured per language under
`languages:` in site_config.yml; English names are the default.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from generator.mdparse import (
    MARKDOWN_SUFFIXES,
    PARTS,
    is_attachment,
    resolve_href,
    summary_index,
)
from generator.model import Article, Hit, PageType, Section, Severity
from generator.rules.base import Context, IndexEntry, rule
from generator.text import ends_sentence, sentences

ARTICLES = (PageType.ARTICLE,)
MAX_TITLE = 70
MIN_RELATED = 2


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


@rule("KB102", "summary-not-one-sentence", Severity.ERROR, types=ARTICLES)
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
    if count != 1 or not ends_sentence(text):
        detail = f"{count} sentences" if count != 1 else "no closing punctuation"
        yield Hit(line, f"summary must be exactly one sentence ({detail})")


def summary_paragraph(article: Article) -> tuple[int, str] | None:
    """(file line, text) of the first paragraph before any `##` heading, H1 skipped."""
    i = summary_index(article.tokens)
    if i is None:
        return None
    return article.body_line + article.tokens[i].map[0], article.tokens[i + 1].content.strip()


def _require(article: Article, ctx: Context, name: str) -> Iterator[Hit]:
    if part(article, ctx, name) is None:
        heading = ctx.config.language_of(article).sections[name]
        yield Hit(_insert_line(article), f"'## {heading}' section missing")


def _insert_line(article: Article) -> int:
    return article.sections[0].line if article.sections else article.body_line


@rule("KB103", "missing-prerequisites", Severity.ERROR, types=ARTICLES)
def missing_prerequisites(article: Article, ctx: Context) -> Iterator[Hit]:
    """Prerequisites section missing.

    **What it does**: requires a `## Prerequisites` section (the name is per language).

    **Why it matters**: a customer who lacks a role, a plan or an app version fails at step 3 and
    opens a ticket; saying so up front saves both sides the trip.

    **Example**: `## Prerequisites` then `- An Administrator role in your workspace.`
    """
    yield from _require(article, ctx, "prerequisites")


@rule("KB104", "steps-not-numbered", Severity.ERROR, types=ARTICLES)
def steps_not_numbered(article: Article, ctx: Context) -> Iterator[Hit]:
    """Steps section missing, or not a numbered list.

    **What it does**: requires a `## Steps` section whose steps are a numbered (ordered) list.

    **Why it matters**: numbers let a customer keep their place and tell support "I'm stuck at
    step 4".

    **Example**: `- Open Settings` -> `1. Open **Settings**.`
    """
    steps = part(article, ctx, "steps")
    if steps is None:
        yield from _require(article, ctx, "steps")
    elif not any(t.type == "ordered_list_open" for t in article.section_tokens(steps)):
        yield Hit(steps.line, "Steps must be a numbered list (1. 2. 3.)")


@rule("KB105", "missing-tips", Severity.ERROR, types=ARTICLES)
def missing_tips(article: Article, ctx: Context) -> Iterator[Hit]:
    """Tips section missing.

    **What it does**: requires a `## Tips` section with shortcuts or helpful context.

    **Why it matters**: tips answer the follow-up question before it becomes a second ticket.

    **Example**: `## Tips` then `- Press Ctrl+K to search from any page.`
    """
    yield from _require(article, ctx, "tips")


@rule("KB106", "troubleshooting-empty", Severity.ERROR, types=ARTICLES)
def troubleshooting_empty(article: Article, ctx: Context) -> Iterator[Hit]:
    """Troubleshooting section missing, empty, or a problem without its fix.

    **What it does**: requires `## Troubleshooting` with at least one problem, written as a `###`
    heading followed by its fix.

    **Why it matters**: customers arrive at a help article because something went wrong; the
    troubleshooting section is often the part they came for.

    **Example**: `### I didn't get the reset email` then `Check your spam folder, then ...`
    """
    section = part(article, ctx, "troubleshooting")
    if section is None:
        yield from _require(article, ctx, "troubleshooting")
        return
    tokens = article.section_tokens(section)
    if not any(t.type == "inline" and t.content.strip() for t in tokens):
        yield Hit(section.line, "Troubleshooting is empty: add a problem as a ### heading and its fix")
        return
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h3":
            following = tokens[i + 3] if i + 3 < len(tokens) else None
            if following is None or following.type == "heading_open":
                yield Hit(
                    article.body_line + tok.map[0], f"problem '{tokens[i + 1].content}' has no fix under it"
                )


def targets(article: Article) -> Iterator[tuple[int, str, str]]:
    """(file line, "link" or "image", target) of each Markdown link and image in the body."""
    for link in article.links:
        yield link.line, link.kind.value, link.target


def links(article: Article, first_line: int = 0, last_line: int = 10**9) -> Iterator[tuple[int, str]]:
    """(file line, href) of Markdown links in the body, or in a line range of it."""
    for line, kind, href in targets(article):
        if kind == "link" and first_line <= line <= last_line:
            yield line, href


def resolve(article: Article, href: str) -> str | None:
    """The project-relative path a relative `.md` link points at, or None for other links."""
    target = href.split("#", 1)[0].split("?", 1)[0]
    resolved = resolve_href(target, article.path) if target.endswith(".md") else None
    return resolved[0] if resolved else None


@rule("KB107", "related-articles", Severity.ERROR, types=ARTICLES, uses_corpus=True)
def related_articles(article: Article, ctx: Context) -> Iterator[Hit]:
    """Related articles missing, fewer than two links, or a link that is not an article.

    **What it does**: requires `## Related articles` with at least two links to other articles,
    written as relative links to their Markdown files (`[Cancel your plan](../billing/cancel.md)`).
    Each link must resolve to an article in `kb_source/`.

    **Why it matters**: related links carry customers to the next question they have; a broken one
    is a dead end at the moment they need help.

    **Example**: `- [Reset your password](reset-password.md)`
    """
    section = part(article, ctx, "related")
    if section is None:
        yield from _require(article, ctx, "related")
        return
    found = list(links(article, section.line, section.end_line))
    if len(found) < MIN_RELATED:
        yield Hit(
            section.line, f"Related articles has {len(found)} link(s); link at least {MIN_RELATED} articles"
        )
    for line, href in found:
        target = resolve(article, href)
        if target is None:
            yield Hit(line, f"'{href}' is not a relative link to an article's .md file")
        elif ctx.index.by_path(target) is None:
            yield Hit(line, f"'{href}' does not resolve to an article ({target} not found)")


@rule("KB108", "section-order", Severity.ERROR, types=ARTICLES)
def section_order(article: Article, ctx: Context) -> Iterator[Hit]:
    """Sections out of order, repeated, or a `##` section the structure does not know.

    **What it does**: the `##` sections must be Prerequisites, Steps, Tips, Troubleshooting and
    Related articles, in that order (names per language). Use `###` inside a section for more
    headings.

    **Why it matters**: the same order on every page lets customers jump straight to the part
    they need, and lets the renderer style each part.

    **Example**: Tips before Steps -> move `## Tips` after `## Steps`.
    """
    names = ctx.config.language_of(article).sections
    order = {names[p].casefold(): n for n, p in enumerate(PARTS)}
    last = -1
    seen: set[str] = set()
    for section in article.sections:
        key = section.title.casefold()
        if key not in order:
            known = ", ".join(names[p] for p in PARTS)
            yield Hit(section.line, f"unknown section '## {section.title}' (sections are: {known})")
            continue
        if key in seen:
            yield Hit(section.line, f"section '## {section.title}' appears twice")
        elif order[key] < last:
            yield Hit(section.line, f"section '## {section.title}' is out of order")
        seen.add(key)
        last = max(last, order[key])


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


@rule("KB110", "broken-article-link", Severity.ERROR, uses_corpus=True)
def broken_article_link(article: Article, ctx: Context) -> Iterator[Hit]:
    """A relative link to a Markdown file that is not an article in `kb_source/`.

    **What it does**: every `[text](path.md)` link anywhere in the body must resolve to an
    article file, relative to the file that links.

    **Why it matters**: the link checker would catch it after a build; this says which line to fix
    while the writer is still editing.

    **Example**: `[Plans](../billing/plan.md)` where the file is `plans.md`.
    """
    related = part(article, ctx, "related") if article.type is PageType.ARTICLE else None
    for line, href in links(article):
        if related and related.line <= line <= related.end_line:
            continue  # KB107 reports these
        target = resolve(article, href)
        if target is not None and ctx.index.by_path(target) is None:
            yield Hit(line, f"'{href}' does not resolve to an article ({target} not found)")


@rule("KB112", "missing-file", Severity.ERROR, uses_corpus=True)
def missing_file(article: Article, ctx: Context) -> Iterator[Hit]:
    """An image, or a linked file such as a PDF, that is not a file in `kb_source/`.

    **What it does**: every Markdown image with a relative path, and every relative link to a file
    other than a page (`[the import template](files/import-template.csv)`), must name a file in the
    source folder, relative to the page. Images and files on other sites (`https://...`) are left
    alone; links to pages are KB110's. A symbolic link counts only when it leads to a file inside
    the source folder.

    **Why it matters**: the build copies each image and linked file beside the page. A missing one
    would show customers a broken picture where the step needs it, or a download that fails, and
    one outside the source folder is never published.

    **Example**: `![The Export dialog](image/export.png)` where the folder is `images/`.
    """
    folder = ctx.config.source_prefix
    for line, kind, target in targets(article):
        resolved = resolve_href(target, article.path)
        if resolved is None:
            continue
        path = resolved[0].split("?", 1)[0]
        if kind == "link" and not is_attachment(path):
            continue
        if kind == "image" and path.endswith(MARKDOWN_SUFFIXES):
            yield Hit(line, f"image '{target}' names a page, which cannot be shown as a picture: link to it")
        elif not path.startswith(folder) or not ctx.index.has_file(path):
            what = "image" if kind == "image" else "linked file"
            yield Hit(line, f"{what} '{target}' is not a file in {folder} ({path} not found)")


@rule("KB113", "broken-anchor", Severity.ERROR, uses_corpus=True)
def broken_anchor(article: Article, ctx: Context) -> Iterator[Hit]:
    """A link to a `#fragment` that no heading or anchor of its target page has.

    **What it does**: in every link to a section of this page (`[Steps](#steps)`) or of another
    article (`[Refunds](../billing/refunds.md#who-can-ask)`), the fragment must name a heading of
    that page, as the site makes heading ids: lower case, spaces as hyphens, punctuation and
    accents dropped (`## Who can ask?` is `#who-can-ask`), `_1`, `_2`... for a repeated heading,
    or the id written after it (`## Who can ask? {#who}`). The seven parts are also reachable by
    their part names (`#prerequisites`, `#steps`, `#tips`, `#troubleshooting`) in every
    language, and ids of HTML elements (`<a id="...">`) count too. Links whose page is missing
    are KB110's.

    On each language's site a link leads to that site's version of the page it names, and a
    default-language page stands in where its own translation is missing: so the fragment must
    also be on the translations the link leads to there. Headings translate, and so do their
    ids: give the heading the same id in every language (`### El enlace caducó {#link-expired}`).

    **Why it matters**: a customer who follows a link to the part that answers them lands at the
    top of a long page instead, usually after a heading was reworded. The build's link check
    would stop the publish; this says which line to fix while the writer is editing.

    **Example**: `[see the export limits](export.md#limit)` where the heading is `## Limits`:
    link to `#limits`.
    """
    for line, href in links(article):
        path, hash_, fragment = href.partition("#")
        if not hash_ or not fragment:
            continue
        target = resolve(article, href) if path else article.path
        entry = ctx.index.by_path(target) if target else None
        if entry is None:
            continue
        if fragment not in entry.anchors:
            close = difflib.get_close_matches(fragment, entry.anchors, n=1)
            hint = f"; did you mean '#{close[0]}'?" if close else ""
            where = "this page" if not path else target
            yield Hit(line, f"'{href}': no heading or anchor '#{fragment}' in {where}{hint}")
            continue
        for lang, shown in _led_to(article, entry, ctx) if path else ():
            if fragment not in shown.anchors:
                yield Hit(
                    line,
                    f"'{href}': on the '{lang}' site this link leads to {shown.path}, which has no "
                    f"heading or anchor '#{fragment}'; give the heading the same id in every "
                    f"language (`{{#{fragment}}}`)",
                )


def _led_to(article: Article, target: IndexEntry, ctx: Context) -> Iterator[tuple[str, IndexEntry]]:
    """(language, page) where a link from `article` to `target` leads to another page than the
    file linked: a site shows each article id in its language, and a default-language page
    stands in where a translation is missing, its links then leading to that language's pages."""
    default = ctx.config.default_language
    own = ctx.config.language_of(article).code
    versions = {ctx.config.language_of(e).code: e for e in ctx.index.by_id(target.id)}
    sites = [own]
    if own == default:
        translated = {ctx.config.language_of(e).code for e in ctx.index.by_id(article.id)}
        sites += [lang.code for lang in ctx.config.languages if lang.code not in translated]
    for lang in dict.fromkeys(sites):
        shown = versions.get(lang) or versions.get(default)
        if shown is not None and shown.path != target.path:
            yield lang, shown


@rule("KB114", "site-absolute-link", Severity.ERROR)
def site_absolute_link(article: Article, ctx: Context) -> Iterator[Hit]:
    """A link or image by a path on the web server (`/billing/refunds/`) instead of the file.

    **What it does**: every link and image whose target starts with a single `/` is reported.
    Link to an article by its Markdown file, relative to the page
    (`[Refunds](../billing/refunds.md)`), to an image by its file (`images/export.png`), and to
    another site by its full address (`https://learn.example.com/...`).

    **Why it matters**: the same page is published on the public and the internal site and in
    every language (`/zh/...`), so a server path can be right in one of them at most, and one
    copied from another site's articles (`/dynamics365/...`) leads nowhere. The build's link
    check would stop the publish; this says which line to fix while the writer is editing.

    **Example**: `[Plans](/billing/plans/)` -> `[Plans](../billing/plans.md)`.
    """
    for line, kind, target in targets(article):
        if target.startswith("/") and not target.startswith("//"):
            what = "image" if kind == "image" else "link"
            yield Hit(
                line, f"{what} '{target}' is a path on the web server: name its file, relative to this page"
            )


# Case matters: "todo" is an everyday Spanish word ("all"); the scaffold writes "TODO".
_PLACEHOLDER = re.compile(r"\bTODO\b|\[(?i:placeholder)\]|<(?i:placeholder)>")


@rule("KB111", "placeholder-text", Severity.ERROR)
def placeholder_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """Placeholder text left in a page (`TODO`, `[placeholder]`).

    **What it does**: `kb new` scaffolds an article full of `TODO:` placeholders; each one is a
    finding until the writer replaces it.

    **Why it matters**: a published "TODO: add the steps" tells customers nobody finished the page.

    **Example**: `TODO: one sentence saying what this article helps with.` -> the sentence itself.
    """
    if "TODO" not in article.body and "placeholder" not in article.body.lower():
        return
    in_fence = False
    for n, text in enumerate(article.lines):
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (match := _PLACEHOLDER.search(text)):
            yield Hit(
                article.body_line + n, f"placeholder '{match.group(0)}' left in the text", match.start() + 1
            )


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
