"""Names the built sites use at their root, which no page id may take.

A page with id `x` is written to `/x/` on every site and language (`/zh/x/` on the Chinese one),
beside what the staging, MkDocs, Material and Pagefind write there. An id equal to one of those
names would overwrite a folder the site needs or be overwritten by it, and the build would fail
late (or publish a broken site). Staging refuses such an id (render.stage) and KB006 reports it
at the `id:` line when the article is checked: both read this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from generator.model import INTERNAL_REPORTS

if TYPE_CHECKING:  # generator.config imports the rule registry, and KB006 reads this module
    from generator.config import Language

# Name at the root of a built site -> what the site keeps there (KB006 and staging say it).
SITE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "index": "the home page (/)",
        "404": "the page-not-found page (MkDocs writes a page 404 as /404.html)",
        "assets": "the theme's scripts, styles and icons (/assets/)",
        "search": "the index of MkDocs' built-in search (/search/)",
        "pagefind": "the search index (/pagefind/)",
        "images": "the images pages show (/images/)",
        "files": "the files pages link to (/files/)",
        "category": "the category pages (/category/)",
        "error-codes": "the error-code index (/error-codes/)",
        **{slug: f"an internal report page (/{slug}/)" for slug in INTERNAL_REPORTS},
    }
)


def reserved_ids(languages: Iterable[Language]) -> Mapping[str, str]:
    """Every id a page may not have on a site with `languages`, with what takes it: SITE_NAMES,
    and each language's code (the other languages' sites live in `/<code>/`; the default
    language's code is kept free too, so that no page changes meaning when another language
    becomes the default)."""
    codes = {
        lang.code.lower(): (
            f"the code of the default language, {lang.name}"
            if lang.default
            else f"the {lang.name} site (/{lang.prefix})"
        )
        for lang in languages
    }
    return MappingProxyType({**codes, **SITE_NAMES})
