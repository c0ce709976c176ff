"""The pages staging makes itself: the home page, a page per category, the error-code index, the
search results page and the internal site's reports; with the navigation that lists them.

Text from articles and the configuration goes through mdparse.literal: inline markup that
Python-Markdown reads anywhere in a line (code, emphasis, links, attr_list's `{: }`, table cells)
is backslash-escaped, so it shows as written."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.config import Language, SiteConfig
from generator.mdparse import literal
from generator.pipeline.stage.context import (
    ArticleLink,
    CategoryCard,
    PageContext,
    PageKind,
    alternates,
    contact,
    described,
    jsonld,
)
from generator.pipeline.stage.languages import site_name, word
from generator.pipeline.stage.pages import Page, Shelf
from generator.pipeline.stage.selection import Selection
from generator.pipeline.stage.target import Report, Target


@dataclass(frozen=True)
class Generated:
    """A page staging makes."""

    kind: PageKind
    id: str
    url: str  # below the site's root: "category/billing/"; the home page's is ""
    title: str
    description: str
    body: str
    nav_title: str  # its entry in the navigation
    in_nav: bool = True  # the search results page is reached from the search boxes only
    # Material's `hide:` (home and category pages: no side navigation, contents or previous/next).
    hide: tuple[str, ...] = ()
    categories: tuple[CategoryCard, ...] | None = None  # the home page's cards
    featured: tuple[ArticleLink, ...] | None = None  # the home page's popular articles
    articles: tuple[ArticleLink, ...] | None = None  # a category page's list

    @property
    def file(self) -> str:
        """The staged file: `x.md` for the page at `x/`, `index.md` for the home page."""
        return f"{self.url.rstrip('/') or 'index'}.md"


def generated_pages(
    target: Target, pages: Mapping[str, Page], shelved: Mapping[str, Shelf], reports: Iterable[Report]
) -> list[Generated]:
    """The home page, the category pages, the error-code index and `reports`, in the order the
    navigation lists them."""
    config, lang = target.config, target.language
    # The home page always has a description: the site's name when none is configured.
    description = config.site.description or config.site.name
    # The home and category pages are laid out by the theme from their context (kb-home.html,
    # kb-category.html): the cards are links as a whole, which Markdown cannot write.
    out = [
        Generated(
            PageKind.HOME, "home", "", site_name(target), description, "", word(lang, "home"),
            hide=HIDDEN, categories=_cards(shelved), featured=popular(config, pages),
        )
    ]  # fmt: skip
    out += [
        Generated(
            PageKind.CATEGORY, f"category-{shelf.id}", f"category/{shelf.id}/", shelf.title,
            shelf.description, "", shelf.title, hide=HIDDEN, articles=_listing(shelf),
        )
        for shelf in shelved.values()
    ]  # fmt: skip
    codes_title, codes_intro = word(lang, "error_codes"), word(lang, "error_codes_intro")
    codes = _error_codes_body(pages, lang)
    out.append(
        Generated(
            PageKind.ERROR_CODES, "error-codes", "error-codes/", codes_title, codes_intro, codes, codes_title
        )
    )
    # Titled by the theme in the page's language (kb-search-page.html); the site's name stands in.
    out.append(
        Generated(
            PageKind.SEARCH, "search", "search/", site_name(target), description,
            "\n".join(_featured_lines(config, lang, pages)), site_name(target), in_nav=False,
        )
    )  # fmt: skip
    out += [
        # Reports are wide tables: the whole width, without the table of contents column.
        Generated(PageKind.REPORT, r.slug, f"{r.slug}/", r.title, r.title, r.body, r.title, hide=("toc",))
        for r in reports
    ]
    return out


def search_files(target: Target) -> dict[str, str]:
    """Files beside the search page: `settings.json`, what the search boxes read on first use
    (where analytics go, if anywhere), and `terms.json`, the language's synonyms and symptoms that
    the index step adds to the pages holding them (generator/pipeline/index/terms.py)."""
    search, code = target.config.search, target.language.code
    settings = {"analytics": search.analytics_endpoint}
    terms = {
        "synonyms": [list(group) for group in search.synonyms.get(code, ())],
        "symptoms": [
            {"query": list(s.query), "matches": list(s.matches)} for s in search.symptoms.get(code, ())
        ],
    }
    return {
        "search/settings.json": json.dumps(settings, ensure_ascii=False) + "\n",
        "search/terms.json": json.dumps(terms, ensure_ascii=False, indent=1) + "\n",
    }


def generated_context(page: Generated, target: Target, selections: Mapping[str, Selection]) -> PageContext:
    canonical = target.site_url + page.url
    report = page.kind is PageKind.REPORT
    return PageContext(
        kind=page.kind,
        id=page.id,
        audience=target.audience,
        lang=target.language.code,
        internal=report,
        site_audience=target.audience,
        summary=page.description,
        contact=contact(target),
        jsonld=jsonld(
            {"@type": "WebPage", **described(page.title, page.description, target.language.code, canonical)}
        ),
        # A report exists on the internal site's default language only.
        alternates=() if report else alternates(page.id, page.url, target, selections, generated=True),
        canonical=canonical,
        categories=page.categories,
        featured=page.featured,
        articles=page.articles,
    )


HIDDEN = ("navigation", "toc", "footer")


def popular(config: SiteConfig, pages: Mapping[str, Page]) -> tuple[ArticleLink, ...]:
    """The popular articles (`featured:`) this site shows."""
    return tuple(_link(pages[i]) for i in config.featured if i in pages)


def _link(page: Page) -> ArticleLink:
    return ArticleLink(page.article.title, page.url, page.summary, not page.article.is_public)


def _listing(shelf: Shelf) -> tuple[ArticleLink, ...]:
    return tuple(_link(p) for p in shelf.pages)


def _cards(shelved: Mapping[str, Shelf]) -> tuple[CategoryCard, ...]:
    return tuple(
        CategoryCard(s.title, s.description, f"category/{s.id}/", s.icon, len(s.pages))
        for s in shelved.values()
    )


def _error_codes_body(pages: Mapping[str, Page], lang: Language) -> str:
    rows: dict[str, list[Page]] = {}
    for p in pages.values():
        for code in p.article.meta.get("error_codes") or ():
            rows.setdefault(str(code), []).append(p)
    if not rows:
        return literal(word(lang, "no_error_codes")) + "\n"
    lines = [
        literal(word(lang, "error_codes_intro")),
        "",
        f"| {literal(word(lang, 'code_column'))} | {literal(word(lang, 'article_column'))} |",
        "|---|---|",
    ]
    for code in sorted(rows, key=_code_key):
        links = "<br>".join(f"[{literal(p.article.title)}]({p.id}.md)" for p in rows[code])
        lines.append(f"| `{code}` | {links} |")
    return "\n".join(lines) + "\n"


def _code_key(code: str) -> tuple[str, int, str]:
    prefix, _, number = code.partition("-")
    return (prefix, int(number) if number.isdigit() else 0, code)


def _featured_lines(config: SiteConfig, lang: Language, pages: Mapping[str, Page]) -> list[str]:
    """The "Popular articles" section (`featured:` the site shows) of a page at the site's root."""
    featured = [pages[i] for i in config.featured if i in pages]
    if not featured:
        return []
    lines = [f"## {literal(word(lang, 'featured'))}", ""]
    lines += [f"- [{literal(p.article.title)}]({p.id}.md)" for p in featured]
    lines.append("")
    return lines
