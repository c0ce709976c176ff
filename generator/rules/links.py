"""KB110-KB115: links and images: to articles, files and headings that exist, by the file and not
the web server's path, and written so that GitHub and the site read the same link."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from generator.mdparse import MARKDOWN_SUFFIXES, inline_place, is_attachment, resolve_href
from generator.model import Article, Hit, LinkKind, PageType, Severity
from generator.rules.base import Context, IndexEntry, rule
from generator.rules.structure import closest_article, link_hit, part, resolve


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
    for i, link in enumerate(article.links):
        if link.kind is not LinkKind.LINK or (related and related.line <= link.line <= related.end_line):
            continue  # related articles are KB107's
        target = resolve(article, link.target)
        if target is not None and ctx.index.by_path(target) is None:
            hint = closest_article(article, ctx, target)
            message = f"'{link.target}' does not resolve to an article ({target} not found){hint}"
            yield link_hit(article, i, message)


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
    for i, link in enumerate(article.links):
        target, image = link.target, link.kind is LinkKind.IMAGE
        resolved = resolve_href(target, article.path)
        if resolved is None:
            continue
        path = resolved[0].split("?", 1)[0]
        if not image and not is_attachment(path):
            continue
        if image and path.endswith(MARKDOWN_SUFFIXES):
            message = f"image '{target}' names a page, which cannot be shown as a picture: link to it"
            yield link_hit(article, i, message)
        elif not path.startswith(folder) or not ctx.index.has_file(path):
            what = "image" if image else "linked file"
            message = f"{what} '{target}' is not a file in {folder} ({path} not found)"
            yield link_hit(article, i, message)


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
    for i, link in enumerate(article.links):
        href = link.target
        path, hash_, fragment = href.partition("#")
        if link.kind is not LinkKind.LINK:
            continue
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
            yield link_hit(article, i, f"'{href}': no heading or anchor '#{fragment}' in {where}{hint}")
            continue
        for lang, shown in _led_to(article, entry, ctx) if path else ():
            if fragment not in shown.anchors:
                yield link_hit(
                    article,
                    i,
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


@rule("KB114", "site-absolute-link", Severity.ERROR, version=2)
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
    for i, link in enumerate(article.links):
        if link.target.startswith("/") and not link.target.startswith("//"):
            what = link.kind.value
            message = (
                f"{what} '{link.target}' is a path on the web server: name its file, relative to this page"
            )
            yield link_hit(article, i, message)


# `[label](target)` or `![alt](target)` left as text, and a target in <> or with a title after it.
_LINK_TEXT = re.compile(r"(?<!\\)(?P<bang>!?)\[[^\]]*\]\((?P<target>[^()]*)\)")
_TITLED = re.compile(r"""(?:\S+|<[^<>\n]*>)\s+(?:"[^"]*"|'[^']*'|\([^)]*\))|<[^<>\n]*>""")
_LINK_START = re.compile(r"(?<!\\)!?\[")
_BACKTICKS = re.compile(r"`+")
# Whitespace between `](` and the next parenthesis: a page without it has nothing for KB115.
_SPACED_TARGET = re.compile(r"\]\([^()]*?\s")


@rule("KB115", "link-with-space", Severity.ERROR, version=2)
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
        for match in _link_texts(content):
            target = match.group("target").strip()
            if not re.search(r"\s", target) or _TITLED.fullmatch(target):
                continue
            what, a = ("image", "an image") if match.group("bang") else ("link", "a link")
            n, column = inline_place(article.lines, tok, match.start())
            written = " ".join(tok.content[match.start("target") : match.end("target")].split())
            shown = written if len(written) <= 60 else written[:57] + "..."
            yield Hit(
                article.body_line + n,
                f"{what} target '{shown}' has a space, so GitHub and editors show text where the site "
                f"shows {a} no check follows: put the target in <>, write %20 for spaces, or write "
                f"\\[ if it is not {a}",
                column,
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


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    start = at
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


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
        if i not in closing or _escaped(text, runs[i][0]):
            # `\`` is a backtick, not the start of a code span (a stack trace's `List\`1`); a run
            # that closes one may follow a backslash, which is literal in code (`C:\`).
            i += 1
            continue
        start, end = runs[i][0], runs[closing[i]][1]
        pieces += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done, i = end, closing[i] + 1
    return "".join(pieces) + text[done:]
