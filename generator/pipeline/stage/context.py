"""The page context: what each staged page tells the theme, declared.

Every staged page carries a PageContext as `kb:` in its front matter, and the templates in theme/
read it as `page.meta.kb.<field>`. This module is the contract between staging and the theme: a
field the theme reads is declared and documented here, and nothing else is written under `kb:`.
Everything in it is plain text (the theme prints it with `| e`); the page's `title` and
`description` beside it are HTML (see stage/write.py and theme/main.html).

A field that is None is left out of the front matter: the article fields on generated pages,
`owner` and `source` on the public site, a contact channel's `plans` when not configured.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from generator.model import Audience
from generator.pipeline.stage.selection import Selection
from generator.pipeline.stage.target import Target


class PageKind(enum.StrEnum):
    """What a page is. The theme lays out `article` and `page` as articles and `home` as the home
    page, and says on every page, in `<meta name="kb:kind">`, what it is: `kb verify` reads it."""

    ARTICLE = "article"  # a seven-part help article
    PAGE = "page"  # a free-form page (type: page)
    HOME = "home"
    CATEGORY = "category"
    ERROR_CODES = "error-codes"
    REPORT = "report"  # an internal report page (review queue, health, ...)
    SEARCH = "search"  # the full search results page (/search/?q=...), not in the navigation


@dataclass(frozen=True)
class CategoryLink:
    """The category an article is in: the second step of the breadcrumbs."""

    id: str  # not read by the theme
    title: str  # the breadcrumb's text, in the page's language
    url: str  # the category page, relative to the site root ("category/billing/")


@dataclass(frozen=True)
class RelatedLink:
    """An article of the Related articles section, listed after the page's content."""

    title: str
    url: str  # relative to the site root, with the link's #fragment if it had one
    summary: str  # shown under the link


@dataclass(frozen=True)
class SectionLink:
    """Another article of the same category. Not read by the theme: there for a theme that shows
    "In this section"."""

    title: str
    url: str  # relative to the site root


@dataclass(frozen=True)
class CategoryCard:
    """A category on the home page: a card that is one link as a whole."""

    title: str
    description: str
    url: str  # the category page, relative to the site root
    icon: str | None  # a theme icon ("material/account-key"), included as its SVG
    count: int  # articles in it on this site


@dataclass(frozen=True)
class ArticleLink:
    """An article listed on a category page or as a popular article."""

    title: str
    url: str  # relative to the site root
    summary: str  # shown under the link on category pages
    internal: bool = False  # agent-only: the "Internal" badge


@dataclass(frozen=True)
class ContactLink:
    """A support channel in the page's "Need help?" block (public site only)."""

    channel: str  # the kind: `email` is linked with mailto:, `phone` with tel:
    label: str
    value: str  # shown, and linked when it is an address, a number or an http(s) URL
    plans: tuple[str, ...] | None = None  # "Plans: ..."; None: "all plans"


@dataclass(frozen=True)
class Alternate:
    """The page in one of the site's languages: `<link rel="alternate" hreflang>` in the head,
    and the language switcher's link to the page itself rather than that language's home."""

    lang: str  # language code
    name: str  # the language's name (not read by the theme)
    url: str  # absolute: hreflang needs it
    translated: bool  # False: that language shows the default-language page (not read)


@dataclass(frozen=True)
class PageContext:
    """`page.meta.kb`: one page's context. The field order is the order written."""

    kind: PageKind  # chooses the layout; <meta name="kb:kind">
    id: str  # the page id (not read by the theme)
    audience: Audience  # who the page is for (not read: `internal` says it)
    lang: str  # the language the text is in (not read: the site's language is in mkdocs.yml)
    internal: bool  # agent-only: the "Internal" badge, no contact block, <meta name="kb:audience">
    site_audience: Audience  # the site being built: internal sites get `noindex, nofollow`
    summary: str  # an article's lead paragraph, its search result summary; else the description
    # Article and free-form pages only (None on generated pages):
    last_reviewed: str | None = None  # "Last reviewed" with a <time> element
    last_changed: str | None = None  # not read by the theme (it is the JSON-LD's dateModified)
    category: CategoryLink | None = None  # breadcrumbs
    error_codes: tuple[str, ...] | None = None  # hidden search terms, weighted (with keywords)
    keywords: tuple[str, ...] | None = None  # hidden search terms, weighted
    tags: tuple[str, ...] | None = None  # not read by the theme
    plans: tuple[str, ...] | None = None  # not read by the theme
    related: tuple[RelatedLink, ...] | None = None  # the Related articles list
    in_section: tuple[SectionLink, ...] | None = None  # not read by the theme
    # The home page: category cards and popular articles; a category page: its articles.
    categories: tuple[CategoryCard, ...] | None = None
    featured: tuple[ArticleLink, ...] | None = None
    articles: tuple[ArticleLink, ...] | None = None
    # Every page:
    contact: tuple[ContactLink, ...] = ()  # the "Need help?" block of articles not marked internal
    jsonld: str = ""  # schema.org JSON for <script type="application/ld+json"> (`</` escaped)
    alternates: tuple[Alternate, ...] = ()  # hreflang links and the language switcher
    translated: bool = True  # False: the "not translated yet" note (a default-language stand-in)
    canonical: str = ""  # <link rel="canonical"> and og:url
    # The internal site's article pages only (not read by the theme):
    owner: str | None = None
    source: str | None = None  # the article's path in the project

    def as_front_matter(self) -> dict[str, Any]:
        """The context as the plain data written under `kb:`."""
        return _plain(self)


def _plain(value: Any) -> Any:
    """JSON-ready data: a dataclass as a mapping of its fields that are not None, in order; a
    tuple as a list; an enum as its value."""
    if is_dataclass(value):
        out = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if item is not None:
                out[f.name] = _plain(item)
        return out
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def contact(target: Target) -> tuple[ContactLink, ...]:
    """The support channels the site shows (`contact.channels`; internal ones on the internal site only)."""
    code = target.language.code
    return tuple(
        ContactLink(c.channel, c.labels.get(code) or c.label, c.value, c.plans)
        for c in target.config.contact.channels
        if c.shown_on(target.audience)
    )


def alternates(
    page_id: str, url: str, target: Target, selections: Mapping[str, Selection], generated: bool
) -> tuple[Alternate, ...]:
    """The page in every language that shows it; a generated page is in every language."""
    out = []
    for lang in target.languages:
        choice = selections[lang.code].get(page_id)
        if generated or choice is not None:
            translated = True if generated or choice is None else choice.translated
            out.append(Alternate(lang.code, lang.name, target.base_url + lang.prefix + url, translated))
    return tuple(out)


def jsonld(data: Mapping[str, Any]) -> str:
    # `</` is escaped so the JSON can sit inside a <script> element as it is.
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, sort_keys=True)
    return text.replace("</", "<\\/")


def described(name: str, description: str, lang: str, url: str) -> dict[str, Any]:
    """What the JSON-LD says of any page."""
    return {"name": name, "description": description, "inLanguage": lang, "url": url}
