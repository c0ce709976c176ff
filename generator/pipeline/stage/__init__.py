"""Stage one site (an audience in a language): the Markdown folder MkDocs renders.

Only what the audience may see is written: in the public stage internal pages are not staged,
`!!! internal` blocks are cut from the Markdown before rendering, links to unstaged pages become
plain text, and only the images and linked files (attachments) that staged pages reference are
copied.

    target.py     Target (an audience in a language), Staged, StageError
    selection.py  which articles a language's site shows
    prepared.py   what is read of each article's parse (in worker processes)
    pages.py      the article pages, grouped by category, and their page context
    generated.py  home, category, error-code and search pages, the internal reports, the navigation
    context.py    the page context the theme reads (`page.meta.kb`), declared
    write.py      a page's file: front matter and body
    files.py      images and attachments the pages use, robots.txt
    redirects.py  pages at old URLs (redirect_from) and the manifest of the site's URLs
    markdown.py   rewrites of an article's Markdown (links, part ids, summary and related removed)
    languages.py  the words of generated pages per language
    reports.py    the internal site's report pages
    alone.py      some pages staged alone, for `kb serve` (an edited article; before the check)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.model import Article
from generator.pipeline.stage.files import Files, robots
from generator.pipeline.stage.generated import generated_context, generated_pages, popular, search_files
from generator.pipeline.stage.pages import Page, shelves, write_pages
from generator.pipeline.stage.prepared import Prepared, prepare, prepare_all
from generator.pipeline.stage.redirects import redirect_files
from generator.pipeline.stage.selection import Choice, Selection, select
from generator.pipeline.stage.target import Report, Staged, StageError, Target
from generator.pipeline.stage.write import Writer
from generator.reserved import reserved_ids


def stage(
    target: Target,
    articles: Iterable[Article],
    selections: Mapping[str, Selection],
    docs: Path,
    reports: Iterable[Report] = (),
    prepared: Mapping[str, Prepared] | None = None,
) -> Staged:
    """Write the docs folder for `target`. `selections` holds every language's selection (for
    the language switcher); `docs` must not exist yet or be empty. `prepared` (prepare_all, by
    path) holds what is read of each selected article's parse; what it lacks is prepared here."""
    selection = selections[target.language.code]
    _refuse_reserved(selection, target)
    ready = prepared or {}
    pages = {
        page_id: Page(
            page_id,
            choice,
            target.config.language_of(choice.article),
            ready.get(choice.article.path) or prepare(choice.article, target),
        )
        for page_id, choice in selection.items()
    }
    docs.mkdir(parents=True, exist_ok=True)
    writer = Writer(docs)
    files = Files(target.config)
    shelved = shelves(target.config, target.language, pages)
    resolve = files.resolver({a.path: a.id for a in articles}, pages)
    write_pages(writer, pages, resolve, shelved, target, selections)
    nav: list[tuple[str, str]] = []
    for made in generated_pages(target, pages, shelved, reports):
        context = generated_context(made, target, selections)
        writer.page(made.file, made.title, made.description, context, made.body, made.hide)
        if made.in_nav:
            nav.append((made.nav_title, made.file))
    for rel, text in search_files(target).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    # Old URLs kept (redirect_from) and the manifest of this site's URLs: static files.
    for rel, text in redirect_files(target, selection, articles).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    copied = files.copy_to(docs)
    if target.language.default:
        (docs / "robots.txt").write_text(robots(target), encoding="utf-8")
    top = tuple((link.title, link.url) for link in popular(target.config, pages))
    return Staged(docs, tuple(nav), writer.count, copied, top)


def _refuse_reserved(selection: Selection, target: Target) -> None:
    reserved = reserved_ids(target.languages)
    for page_id, choice in selection.items():
        if page_id in reserved:
            raise StageError(
                f"{choice.article.path}: id '{page_id}' is already taken by "
                f"{reserved[page_id]}; choose another id"
            )


__all__ = [
    "Choice",
    "Prepared",
    "Report",
    "Selection",
    "StageError",
    "Staged",
    "Target",
    "prepare",
    "prepare_all",
    "select",
    "stage",
]
