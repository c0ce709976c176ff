"""KB0xx: files that cannot be read, front matter that cannot be used, ids and languages that
clash with each other or with the site.

The loader reports KB001-KB003 and the checker KB005 (they stop a file before any other rule
runs); they are registered here so that their codes, severities and documentation live in the
one registry, and their check functions find nothing on a file that loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.model import Article, Hit, Severity
from generator.reserved import reserved_ids
from generator.rules.base import Context, rule


@rule("KB001", "unreadable-file", Severity.ERROR)
def unreadable_file(article: Article, ctx: Context) -> Iterable[Hit]:
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
    return ()


@rule("KB002", "bad-front-matter", Severity.ERROR)
def bad_front_matter(article: Article, ctx: Context) -> Iterable[Hit]:
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
    return ()


@rule("KB003", "schema-violation", Severity.ERROR)
def schema_violation(article: Article, ctx: Context) -> Iterable[Hit]:
    """Front matter that breaks `schemas/article.schema.json`; the message names the field.

    **What it does**: checks required fields (`id`, `title`, `category`, `audience`, `owner`,
    `last_reviewed`), the id format (lowercase letters, digits, hyphens), that `audience` is
    `public` or `internal`, that the category is one of `categories:` in `site_config.yml`, that
    dates are real dates (`2024-02-30` is not), and that no unknown field is present.

    **Why it matters**: a typo in `audience` could publish an agent page; a typo in a field name
    silently drops what the writer meant.

    **Example**: `last_reviewed: 2025-13-01` -> use `last_reviewed: 2025-12-01`.
    """
    return ()


@rule("KB004", "duplicate-id", Severity.ERROR, uses_corpus=True)
def duplicate_id(article: Article, ctx: Context) -> Iterator[Hit]:
    """Two articles with the same `id` in the same language.

    **What it does**: ids become URLs, so each (id, language) pair must be unique across the whole
    of `kb_source/`. Translations share their source's id and differ by `lang:`.

    **Why it matters**: two pages with one URL means one of them is never seen, and links and
    search results point at whichever page the build wrote last.

    **Example**: `billing/refunds.md` and `old/refunds.md` both say `id: refunds`; rename one.
    """
    default = ctx.config.default_language
    lang = article.lang or default
    others = [
        e.path for e in ctx.index.by_id(article.id) if e.path != article.path and (e.lang or default) == lang
    ]
    if others:
        yield Hit(article.field_line("id"), f"id '{article.id}' is also used by {', '.join(sorted(others))}")


@rule("KB005", "suppression-without-reason", Severity.ERROR)
def suppression_without_reason(article: Article, ctx: Context) -> Iterable[Hit]:
    """An inline suppression without a reason, or for a rule that does not exist.

    **What it does**: `<!-- kb-disable KB401: quotes the contract word for word -->` silences
    KB401 for that file. The reason after the colon is required, and the code must be a rule.

    **Why it matters**: a silenced rule with no reason is a finding nobody can review later.

    **Example**: `<!-- kb-disable KB401 -->` -> `<!-- kb-disable KB401: legal text quoted as is -->`.
    """
    return ()


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
