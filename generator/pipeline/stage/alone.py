"""Some pages of a site staged alone, for `kb serve`: an edited article in a site staged in full
(generator/quickedit.py), and, before the check has run, the navigation and the article pages
asked for (generator/early.py).

An article page staged alone is the file stage() writes for it: what it shows of other articles
(titles and URLs of its category's pages, the titles and summaries of its related articles, its
other languages) is read from the same articles, and only the articles whose text it shows are
prepared. The navigation staged alone is the generated pages with their titles, the navigation's
order and the popular articles: what the generated mkdocs.yml and an article page show of them;
their text (category lists, reports) needs articles prepared and checked, so it is left out, and
such a stand-in is never rendered: a generated page that needs no check is staged alone as
stage() writes it before it is rendered (stage_generated)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.model import INTERNAL_REPORTS, Article, Audience
from generator.pipeline.stage import markdown as md
from generator.pipeline.stage.context import PageKind
from generator.pipeline.stage.files import Files
from generator.pipeline.stage.generated import generated_context, generated_pages, popular, search_files
from generator.pipeline.stage.pages import Page, shelves, write_pages
from generator.pipeline.stage.prepared import Prepared, prepare
from generator.pipeline.stage.reports import TITLES
from generator.pipeline.stage.selection import Selection
from generator.pipeline.stage.target import Report, Staged, Target
from generator.pipeline.stage.write import Writer

# The other pages of a site are read for their titles and URLs only: their text is not prepared.
UNREAD = Prepared("", (), "", (), ())


@dataclass(frozen=True)
class Alone:
    rels: tuple[str, ...]  # docs-relative files to render: the pages, then the images and attachments
    linked: tuple[str, ...]  # the staged pages their Markdown links to (`id.md`)


def stage_alone(
    target: Target,
    selections: Mapping[str, Selection],
    by_path: Mapping[str, Article],
    paths: Collection[str],
    docs: Path,
) -> Alone:
    """Write into `docs` the article pages of the articles at `paths` (project-relative) that
    `target`'s site shows, as stage() writes them; `by_path` holds every article of the site."""
    config = target.config
    selection = selections[target.language.code]
    ids = [page_id for page_id, choice in selection.items() if choice.article.path in paths]
    ready = {path: prepare(by_path[path], target) for path in paths if path in by_path}
    for path in list(ready):  # the pages its Related articles section names: their summaries
        for href in ready[path].related:
            linked = md.resolve_href(href, path)
            other = by_path.get(linked[0]) if linked else None
            if other is not None and other.path not in ready:
                ready[other.path] = prepare(other, target)
    pages = {
        page_id: Page(
            page_id, choice, config.language_of(choice.article), ready.get(choice.article.path, UNREAD)
        )
        for page_id, choice in selection.items()
    }
    files = Files(config)
    base = files.resolver({path: a.id for path, a in by_path.items()}, selection)
    linked: set[str] = set()

    def resolve(path: str, image: bool) -> str | None:
        found = base(path, image)
        if found is not None and found.endswith(".md"):
            linked.add(found)
        return found

    write_pages(
        Writer(docs), pages, resolve, shelves(config, target.language, pages), target, selections, ids
    )
    return Alone((*(f"{page_id}.md" for page_id in ids), *files.copy_to(docs)), tuple(sorted(linked)))


def stage_generated(
    target: Target, selections: Mapping[str, Selection], slug: str, docs: Path
) -> Alone | None:
    """Write into `docs` the generated page at `slug` (its URL below the site's root, without
    slashes: "" for the home page) as stage() writes it, when it is one that needs no check (not
    a report); None when it is not. Only the articles whose summaries it shows are prepared: the
    popular ones, or those of its category."""
    config = target.config
    selection = selections[target.language.code]
    category = slug.removeprefix("category/") if slug.startswith("category/") else None
    pages = {
        page_id: Page(
            page_id,
            choice,
            config.language_of(choice.article),
            prepare(choice.article, target)
            if page_id in config.featured or choice.article.category == category
            else UNREAD,
        )
        for page_id, choice in selection.items()
    }
    for made in generated_pages(target, pages, shelves(config, target.language, pages), ()):
        if made.url.strip("/") == slug:
            context = generated_context(made, target, selections)
            Writer(docs).page(made.file, made.title, made.description, context, made.body, made.hide)
            # The articles its Markdown links to: the error codes' and the popular ones.
            if made.kind is PageKind.ERROR_CODES:
                linked = [page_id for page_id, page in pages.items() if page.article.meta.get("error_codes")]
            else:
                linked = [page_id for page_id in config.featured if page_id in pages and made.body]
            return Alone((made.file,), tuple(f"{page_id}.md" for page_id in linked))
    return None


def stage_navigation(target: Target, selections: Mapping[str, Selection], docs: Path) -> Staged:
    """Write into `docs` the generated pages with their titles and no text (never to be
    rendered); what stage() hands back of the navigation and the popular articles, the same."""
    config = target.config
    selection = selections[target.language.code]
    pages = {
        page_id: Page(page_id, choice, config.language_of(choice.article), UNREAD)
        for page_id, choice in selection.items()
    }
    internal = target.audience is Audience.INTERNAL and target.language.default
    reports = tuple(Report(slug, TITLES[slug], "") for slug in INTERNAL_REPORTS) if internal else ()
    docs.mkdir(parents=True, exist_ok=True)
    writer = Writer(docs)
    nav: list[tuple[str, str]] = []
    for made in generated_pages(target, pages, shelves(config, target.language, pages), reports):
        context = generated_context(made, target, selections)
        writer.page(made.file, made.title, made.description, context, "", made.hide)
        if made.in_nav:
            nav.append((made.nav_title, made.file))
    for rel, text in search_files(target).items():  # the synonyms a rendered page is given
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    top = tuple((link.title, link.url) for link in popular(config, pages))
    return Staged(docs, tuple(nav), writer.count, (), top)
