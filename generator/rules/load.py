"""KB0xx: files that cannot be read, front matter that cannot be used, suppressions that silence
nothing, and ids and languages that clash with each other or with the site.

KB001 judges a file's bytes and KB002-KB003 its front matter, in the loader (rules/base.py,
`Reads`): a file with findings is not an article the site shows, but when only its fields are
wrong the rules that read its body still run on what could be read of it (frontmatter.usable).
KB005 judges each suppression where the check applies them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from generator.model import Article, FrontMatter, Hit, Severity, SourceFile, Suppression
from generator.reserved import reserved_ids
from generator.rules.base import ALIASES, REGISTRY, Context, Reads, rule
from generator.rules.frontmatter import problems


@rule("KB001", "unreadable-file", Severity.ERROR, reads=Reads.FILE)
def unreadable_file(file: SourceFile) -> Iterator[Hit]:
    """A file that cannot be read as UTF-8 Markdown text.

    **What it does**: reports binary files, files in another encoding (Windows-1252, UTF-16, ...),
    folders named like Markdown files, broken symbolic links and symbolic links that point outside
    `kb_source/`, named pipes and other files that are not regular files, and files and folders
    that cannot be read at all (no permission, a path longer than the system allows: the finding
    is on the folder, whose files are not checked). The line is where the first undecodable byte
    is.

    **Why it matters**: a file the tool cannot read is a page that silently goes missing, and a link
    out of the tree could publish a file nobody reviewed.

    **Example**: a page saved from a word processor as Windows-1252 (`caf\\xe9`); fix it by saving
    the file as UTF-8. A UTF-8 byte order mark and Windows line ends are fine.
    """
    raw = file.raw
    if file.unread:
        yield Hit(1, file.unread)
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield Hit(1, "UTF-16 text, not UTF-8: save the file as UTF-8")
    elif b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        yield Hit(line, "binary file (contains NUL bytes), not Markdown text")
    else:
        try:
            _ = file.text  # decoded once: the loader goes on with this text
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            yield Hit(
                line, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8"
            )


@rule("KB002", "bad-front-matter", Severity.ERROR, reads=Reads.FRONT_MATTER)
def bad_front_matter(head: FrontMatter) -> Iterator[Hit]:
    """Front matter missing, not closed, not YAML, or not a mapping.

    **What it does**: every article starts with a `---` line, YAML fields, and a closing `---`.
    This rule reports a file without that block, a block that never closes, YAML that does not
    parse (with the YAML line), a block that is a list or text instead of fields, and YAML anchors
    and aliases (refused before they are expanded, so an "alias bomb" costs nothing).

    **Why it matters**: without front matter the tool cannot tell who owns the page, who may see
    it, or where it belongs.

    **Example**:
    ```
    ---
    id: reset-password
    title: How do I reset my password?
    ---
    ```
    """
    if not head.opened:
        yield Hit(
            1,
            "front matter missing: start the file with a '---' line, then its fields (id, title, "
            "category, audience, owner, last_reviewed), then a closing '---' line",
        )
    elif head.close is None:
        yield Hit(
            _after_fields(head.text),
            "front matter not closed: add a '---' line after its last field, before this line",
        )
    elif head.error is not None:
        yield Hit(head.error.line + 1, f"front matter cannot be read: {head.error.message}")
    elif not isinstance(head.fields, dict):
        kind = "empty" if head.fields is None else "a list" if isinstance(head.fields, list) else "text"
        yield Hit(
            2,
            f"front matter is {kind}, not fields: write one 'name: value' line per field "
            "(id, title, category, audience, owner, last_reviewed)",
        )


def _after_fields(text: str) -> int:
    """The line after the last field of an open front matter block: where its closing `---` goes.
    The block is the run of field, indented and blank lines after the first line."""
    lines = text.split("\n")
    last = 0
    for n in range(1, len(lines)):
        line = lines[n]
        if _FIELD_LINE.match(line) or (last and line.startswith((" ", "\t", "- "))):
            last = n
        elif line.strip():
            break
    return min(last + 2, len(lines))


_FIELD_LINE = re.compile(r"[A-Za-z_][\w-]*\s*:")


@rule("KB003", "schema-violation", Severity.ERROR, reads=Reads.FRONT_MATTER)
def schema_violation(head: FrontMatter) -> Iterator[Hit]:
    """Front matter that breaks `schemas/article.schema.json`: each problem, named and explained.

    **What it does**: checks required fields (`id`, `title`, `category`, `audience`, `owner`,
    `last_reviewed`), the id format (lowercase letters, digits, hyphens), that `audience` is
    `public` or `internal`, that the category is one of `categories:` in `site_config.yml`, that
    dates are real dates (`2024-02-30` is not), and that no unknown field is present. Every
    problem is reported at once, on its field's line, with what to write: an unknown field with
    the closest known one (`ower`: did you mean `owner`?), a wrong value with what the field may
    hold in words. The rules that read the body still run on the fields that are right.

    **Why it matters**: a typo in `audience` could publish an agent page; a typo in a field name
    silently drops what the writer meant.

    **Example**: `last_reviewed: 2025-13-01` -> use `last_reviewed: 2025-12-01`.
    """
    for problem in problems(head):
        yield problem.hit


@rule("KB004", "duplicate-id", Severity.ERROR, uses_corpus=True)
def duplicate_id(article: Article, ctx: Context) -> Iterator[Hit]:
    """Two articles with the same `id` in the same language.

    **What it does**: ids become URLs, so each (id, language) pair must be unique across the whole
    of `kb_source/`. Translations share their source's id and differ by `lang:`.

    **Why it matters**: two pages with one URL means one of them is never seen, and links and
    search results point at whichever page the build wrote last.

    **Example**: `billing/refunds.md` and `old/refunds.md` both say `id: refunds`; rename one.
    """
    lang = ctx.config.language_of(article)
    others = [
        e.path
        for e in ctx.index.by_id(article.id)
        if e.path != article.path and ctx.config.language_of(e) == lang
    ]
    if others:
        yield Hit(article.field_line("id"), f"id '{article.id}' is also used by {', '.join(sorted(others))}")


@rule("KB005", "suppression-without-reason", Severity.ERROR, reads=Reads.SUPPRESSION)
def suppression_without_reason(suppression: Suppression) -> Iterator[Hit]:
    """An inline suppression without a reason, or for a rule that does not exist.

    **What it does**: `<!-- kb-disable KB401: quotes the contract word for word -->` silences
    KB401 for that file; so does the rule's alias (`<!-- kb-disable reading-grade: ... -->`). The
    reason after the colon is required, and the code or alias must name a rule: one that names
    none is reported with the closest rule's name, and silences nothing.

    **Why it matters**: a silenced rule with no reason is a finding nobody can review later.

    **Example**: `<!-- kb-disable KB401 -->` -> `<!-- kb-disable KB401: legal text quoted as is -->`.
    """
    name = suppression_name(suppression.code)
    if rule_of(name) is None:
        # The package's `unknown` says it as --select and `kb rules` do; imported here because the
        # package imports this module as it starts.
        from generator.rules import unknown

        said = unknown([name]) or [f"'{name}' is a family of rules, not one rule; name one rule"]
        yield Hit(suppression.line, f"kb-disable: {said[0]}")
    elif not suppression.reason:
        yield Hit(suppression.line, f"kb-disable {name} needs a reason: <!-- kb-disable {name}: why -->")


def suppression_name(code: str) -> str:
    """The rule name a suppression gives, as written to `kb rules`: codes in capitals, aliases in
    small letters (Suppression.code is upper-cased)."""
    return code if re.match(r"KB\d", code) else code.lower()


def rule_of(name: str) -> str | None:
    """The code of the rule a suppression names by code or alias, None when it names none."""
    code = ALIASES.get(name.lower(), name.upper())
    return code if code in REGISTRY else None


@rule("KB006", "reserved-id", Severity.ERROR)
def reserved_id(article: Article, ctx: Context) -> Iterator[Hit]:
    """An `id` that is the name of a page or folder the built site uses itself.

    **What it does**: a page's URL is `/<id>/`, beside what the build writes at the root of every
    site: the home page, `404`, `assets/` (the theme), `pagefind/` and `search/` (search
    indexes), `images/`, `files/`, `category/`, `error-codes/`, the internal report pages
    (`review-queue`, `health`, `translation-status`, `rules`) and one folder per configured
    language (`/zh/`, `/es/`). This rule reports an `id` that is one of those names, or a
    configured language's code.

    **Why it matters**: the page and the site's own folder would take the same place: one of
    them is lost, or the build stops with an error long after the check passed.

    **Example**: `id: zh` on an article about the Chinese interface -> `id: chinese-interface`.
    """
    used_for = reserved_ids(ctx.config.languages).get(article.id)
    if used_for is not None:
        yield Hit(
            article.field_line("id"),
            f"id '{article.id}' is already taken by {used_for}: choose another id",
        )


@rule("KB007", "unknown-language", Severity.ERROR)
def unknown_language(article: Article, ctx: Context) -> Iterator[Hit]:
    """A `lang:` that names a language `site_config.yml` does not configure.

    **What it does**: reports `lang:` when its code is not the `code` of one of the `languages:`
    in `site_config.yml`.

    **Why it matters**: the build makes one site per configured language; a page in any other
    language is on none of them, so it silently goes missing (and its section names are read as
    English).

    **Example**: `lang: fr` on a site configured with `en`, `zh` and `es`: add French under
    `languages:` (with its section names), or correct the code.
    """
    codes = [lang.code for lang in ctx.config.languages]
    if article.lang is not None and article.lang not in codes:
        yield Hit(
            article.field_line("lang"),
            f"lang '{article.lang}' is not a language of site_config.yml (configured: {', '.join(codes)}): "
            "add it under languages: or use one of those codes",
        )
