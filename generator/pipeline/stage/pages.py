"""The article pages of a site: each selected article with its prepared text, grouped by category,
written with its links resolved and its page context."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from generator.config import Language, SiteConfig
from generator.model import Article, Audience, PageType
from generator.pipeline.stage import markdown as md
from generator.pipeline.stage.context import (
    CategoryLink,
    PageContext,
    PageKind,
    RelatedLink,
    SectionLink,
    alternates,
    contact,
    described,
    jsonld,
)
from generator.pipeline.stage.prepared import Prepared
from generator.pipeline.stage.selection import Choice, Selection
from generator.pipeline.stage.target import Target
from generator.pipeline.stage.write import Writer

IN_SECTION = 10  # "in this section" links on an article page


@dataclass(frozen=True)
class Page:
    """An article as a page of this site."""

    id: str
    choice: Choice
    language: Language  # the language the text is written in
    prepared: Prepared

    @property
    def article(self) -> Article:
        return self.choice.article

    @property
    def summary(self) -> str:
        return self.prepared.summary

    @property
    def url(self) -> str:
        return f"{self.id}/"


@dataclass(frozen=True)
class Shelf:
    """A configured category with its pages on this site, in the site's language."""

    id: str
    title: str
    description: str
    icon: str | None
    pages: tuple[Page, ...]  # by title


def shelves(config: SiteConfig, lang: Language, pages: Mapping[str, Page]) -> dict[str, Shelf]:
    """Configured categories (in configured order) that have at least one page, by id."""
    out = {}
    for cat in config.categories:
        members = sorted(
            (p for p in pages.values() if p.article.category == cat.id),
            key=lambda p: (p.article.title.casefold(), p.id),
        )
        if members:
            out[cat.id] = Shelf(
                cat.id, cat.title_in(lang), cat.description_in(lang), cat.icon, tuple(members)
            )
    return out


def write_pages(
    writer: Writer,
    pages: Mapping[str, Page],
    resolve: md.Resolver,
    shelved: Mapping[str, Shelf],
    target: Target,
    selections: Mapping[str, Selection],
    only: Collection[str] | None = None,
) -> None:
    """Write each article page (or those whose ids are in `only`): its Markdown with links
    resolved (`resolve`), and its context."""
    by_path = {p.article.path: p for p in pages.values()}
    for page in pages.values() if only is None else (pages[page_id] for page_id in only):
        body = md.rewrite(page.prepared.body, page.article.path, resolve, page.prepared.code)
        context = article_context(page, target, by_path, selections, shelved)
        writer.page(f"{page.id}.md", page.article.title, page.summary, context, body)


def article_context(
    page: Page,
    target: Target,
    by_path: Mapping[str, Page],
    selections: Mapping[str, Selection],
    shelved: Mapping[str, Shelf],
) -> PageContext:
    article = page.article
    canonical = target.site_url + page.url
    shelf = shelved.get(article.category)
    last_changed = str(article.meta.get("last_changed") or article.meta.get("last_reviewed", ""))
    data = {
        "@type": "HowTo" if article.type is PageType.ARTICLE else "WebPage",
        **described(article.title, page.summary, page.language.code, canonical),
        "dateModified": last_changed,
    }
    if article.type is PageType.ARTICLE:
        steps = enumerate(page.prepared.steps, 1)
        data["step"] = [{"@type": "HowToStep", "position": n, "text": s} for n, s in steps]
    siblings = [p for p in shelf.pages if p.id != page.id] if shelf else []
    internal_site = target.audience is Audience.INTERNAL
    return PageContext(
        kind=PageKind(article.type.value),
        id=page.id,
        audience=article.audience,
        lang=page.language.code,
        internal=not article.is_public,
        site_audience=target.audience,
        summary=page.summary,
        last_reviewed=str(article.meta.get("last_reviewed", "")),
        last_changed=last_changed,
        category=CategoryLink(
            article.category, shelf.title if shelf else article.category, f"category/{article.category}/"
        ),
        error_codes=_texts(article.meta.get("error_codes")),
        keywords=_texts(article.meta.get("keywords")),
        tags=_texts(article.meta.get("tags")),
        plans=_texts(article.meta.get("plans")),
        related=_related(page, by_path),
        in_section=tuple(SectionLink(p.article.title, p.url) for p in siblings[:IN_SECTION]),
        contact=contact(target),
        jsonld=jsonld(data),
        alternates=alternates(page.id, page.url, target, selections, generated=False),
        translated=page.choice.translated,
        canonical=canonical,
        owner=article.owner if internal_site else None,
        source=article.path if internal_site else None,
    )


def _related(page: Page, by_path: Mapping[str, Page]) -> tuple[RelatedLink, ...]:
    """The staged pages the Related articles section links to; links to pages this site does not
    show are left out."""
    out = []
    for href in page.prepared.related:
        resolved = md.resolve_href(href, page.article.path)
        other = by_path.get(resolved[0]) if resolved else None
        if other is not None and other.id != page.id:
            # A related link may name a section of its article (`refund.md#steps`): kept.
            link = other.url + resolved[1] if resolved else other.url
            out.append(RelatedLink(other.article.title, link, other.summary))
    return tuple(out)


def _texts(values: Any) -> tuple[str, ...]:
    """A front-matter list, as text (what the article schema allows)."""
    return tuple(str(v) for v in values or ())
