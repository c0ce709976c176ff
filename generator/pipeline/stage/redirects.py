"""Old URLs kept: a small page at `/<old-id>/` for every `redirect_from:` entry, and the manifest
of the URLs a site publishes (`kb-manifest.json`), which the next build reads to tell whether a
URL was dropped without a redirect (verify/dropped.py).

A redirect page is a static file of the docs folder, not a Markdown page: the renderer copies it
as it is, so it is in no sitemap, no navigation and no search index (Pagefind reads only the
theme's `data-pagefind-body` regions), and the Content-Security-Policy is added to it like any
other file (render/csp.py). It sends the reader on three ways: a meta refresh, `rel=canonical`
(search engines move their entry) and a visible link (for readers whose browser refreshes
nothing). It is written on each site the article is on, in every language (the old ids of every
language's copy of an article count).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping

from generator.model import Article
from generator.pipeline.stage.selection import Choice
from generator.pipeline.stage.target import Target
from generator.reserved import reserved_ids

MANIFEST = "kb-manifest.json"


def old_ids(articles: Iterable[Article]) -> dict[str, list[str]]:
    """Article id -> its old ids, from every language's copy, in the order first written."""
    found: dict[str, dict[str, None]] = {}
    for article in articles:
        try:
            listed = article.meta.get("redirect_from")
        except Exception:
            continue
        if isinstance(listed, list):
            found.setdefault(article.id, {}).update(dict.fromkeys(str(v) for v in listed))
    return {k: list(v) for k, v in found.items()}


def redirects(target: Target, selection: Mapping[str, Choice], articles: Iterable[Article]) -> dict[str, str]:
    """Old id -> the id of the page it leads to, for the pages of `selection`. An old id that is a
    page of the site, a name the site uses or claimed twice is left out (KB010 reports it)."""
    taken = set(selection) | set(reserved_ids(target.languages))
    out: dict[str, str] = {}
    twice: set[str] = set()
    for page_id, olds in sorted(old_ids(articles).items()):
        if page_id not in selection:
            continue
        for old in olds:
            if old in out and out[old] != page_id:
                twice.add(old)
            elif old not in taken:
                out[old] = page_id
    return {k: v for k, v in sorted(out.items()) if k not in twice}


def redirect_files(
    target: Target, selection: Mapping[str, Choice], articles: Iterable[Article]
) -> dict[str, str]:
    """docs-relative path -> text: a page for each redirect, and the manifest."""
    moved = redirects(target, selection, articles)
    files = {f"{old}/index.html": page(target, selection[new].article, new) for old, new in moved.items()}
    files[MANIFEST] = manifest(selection, moved)
    return files


def page(target: Target, article: Article, new_id: str) -> str:
    """The page at an old URL: where the article is now, three ways."""
    title = html.escape(article.title)
    here = f"../{new_id}/"
    canonical = html.escape(f"{target.site_url.rstrip('/')}/{new_id}/", quote=True)
    lang = html.escape(target.language.code, quote=True)
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={here}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved: <a href="{here}">{title}</a></p>\n'
        "</body>\n</html>\n"
    )


def manifest(selection: Mapping[str, Choice], moved: Mapping[str, str]) -> str:
    """The URLs this language's site publishes, below its root: article pages and redirects."""
    data = {
        "version": 1,
        "pages": {f"{page_id}/": choice.article.title for page_id, choice in selection.items()},
        "redirects": {f"{old}/": f"{new}/" for old, new in moved.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
