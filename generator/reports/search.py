"""`kb report search`: the evaluation set (`search.quality.queries`, tests/search/queries.tsv) run
against a built public site as its search boxes run it (pipeline/index/relaxed.py), measured:
top-1 and top-3 hit rates, mean reciprocal rank, the queries that found nothing, and the gate of
`search.quality` in site_config.yml. The report never builds: it reads what `kb build` published.
`kb report search-gaps` reads an exported search log instead: what visitors did not find."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import SearchQuality, SiteConfig
from generator.pipeline.index.relaxed import DEEP, VisitorSearch, search_site
from generator.reports.exports import records

_COLUMNS = ("lang", "query", "answers", "kind")


class QueriesError(ValueError):
    """The evaluation set cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Query:
    """One line of the evaluation set."""

    line: int
    lang: str
    text: str
    answers: tuple[str, ...]  # article ids: any of them answers the query
    kind: str  # code, symptom, question, keyword, typo, untranslated


@dataclass(frozen=True)
class Outcome:
    query: Query
    shown: tuple[str, ...]  # article ids as the box shows them: the language's, then the default's
    rank: int | None  # 1-based rank of the first answer among the first DEEP shown; None: not there
    corrected: str | None
    relaxed: bool

    @property
    def zero(self) -> bool:
        return not self.shown


@dataclass(frozen=True)
class Figures:
    """Hit rates of a group of outcomes."""

    name: str  # "all", a language code or a kind
    queries: int
    top1: float
    top3: float
    mrr: float
    zero_results: int


@dataclass(frozen=True)
class SearchReport:
    queries_file: str
    overall: Figures
    by_lang: tuple[Figures, ...]
    by_kind: tuple[Figures, ...]
    outcomes: tuple[Outcome, ...]
    failures: tuple[str, ...]  # the gate's failed conditions; empty: it holds

    @property
    def missed(self) -> tuple[Outcome, ...]:
        """Queries whose answer is not in the first three shown, worst first."""
        out = [o for o in self.outcomes if o.rank is None or o.rank > 3]
        return tuple(sorted(out, key=lambda o: (o.rank is not None, o.rank or 0, o.query.line)))


def read_queries(path: Path, known_langs: Iterable[str]) -> tuple[Query, ...]:
    """The evaluation set: a header line `lang query answers kind`, then one query a line, tab-
    separated; `#` lines are comments."""
    langs = set(known_langs)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise QueriesError(f"{path}: cannot be read ({err})") from err
    out: list[Query] = []
    header = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != _COLUMNS:
                raise QueriesError(f"{path}:{number}: the header must be {' <tab> '.join(_COLUMNS)}")
            header = True
            continue
        if len(cells) != len(_COLUMNS):
            raise QueriesError(f"{path}:{number}: {len(cells)} tab-separated cells, not {len(_COLUMNS)}")
        lang, text, answers, kind = (c.strip() for c in cells)
        if lang not in langs:
            raise QueriesError(f"{path}:{number}: {lang!r} is not a language of the site")
        ids = tuple(a.strip() for a in answers.split(",") if a.strip())
        if not text or not ids:
            raise QueriesError(f"{path}:{number}: a query and at least one answering article id are needed")
        out.append(Query(number, lang, text, ids, kind))
    if not out:
        raise QueriesError(f"{path}: no queries")
    return tuple(out)


def _page(url: str) -> str:
    """The article id a result URL shows (its last path segment), as kb-search-query.js pageOf."""
    parts = [p for p in url.split("?")[0].split("#")[0].split("/") if p]
    return parts[-1] if parts else ""


def outcome(query: Query, searched: VisitorSearch) -> Outcome:
    shown = tuple(_page(u) for u in searched.shown)[:DEEP]
    rank = next((i for i, page in enumerate(shown, 1) if page in query.answers), None)
    return Outcome(query, shown, rank, searched.corrected, searched.relaxed)


def figures(name: str, outcomes: Sequence[Outcome]) -> Figures:
    n = len(outcomes) or 1
    return Figures(
        name=name,
        queries=len(outcomes),
        top1=sum(o.rank == 1 for o in outcomes) / n,
        top3=sum(o.rank is not None and o.rank <= 3 for o in outcomes) / n,
        mrr=sum(1 / o.rank for o in outcomes if o.rank) / n,
        zero_results=sum(o.zero for o in outcomes),
    )


def gate(overall: Figures, quality: SearchQuality) -> tuple[str, ...]:
    """The conditions of `search.quality` the figures miss."""
    failed = []
    for label, value, least in (
        ("top-1", overall.top1, quality.min_top1),
        ("top-3", overall.top3, quality.min_top3),
        ("MRR", overall.mrr, quality.min_mrr),
    ):
        if value < least:
            failed.append(f"{label} {value:.1%} is below search.quality's {least:.1%}")
    if quality.max_zero_results is not None and overall.zero_results > quality.max_zero_results:
        failed.append(
            f"{overall.zero_results} queries found nothing; search.quality allows {quality.max_zero_results}"
        )
    return tuple(failed)


def _grouped(outcomes: Sequence[Outcome], key: str) -> tuple[Figures, ...]:
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(getattr(o.query, key), []).append(o)
    return tuple(figures(name, items) for name, items in groups.items())


def search_report(config: SiteConfig, public_site: Path, queries_file: Path | None = None) -> SearchReport:
    """Run the evaluation set against `public_site` (the built public site: the default language
    at its root, the others in /<code>/)."""
    path = queries_file or config.root / config.search.quality.queries
    queries = read_queries(path, (lang.code for lang in config.languages))
    searched = search_site(public_site, config.languages, [(q.lang, q.text) for q in queries])
    outcomes = tuple(outcome(q, s) for q, s in zip(queries, searched, strict=True))
    overall = figures("all", outcomes)
    try:
        shown_path = str(path.relative_to(config.root))
    except ValueError:
        shown_path = str(path)
    return SearchReport(
        queries_file=shown_path,
        overall=overall,
        by_lang=_grouped(outcomes, "lang"),
        by_kind=_grouped(outcomes, "kind"),
        outcomes=outcomes,
        failures=gate(overall, config.search.quality),
    )


# --- kb report search-gaps: what visitors searched for and did not find ------------------------

_EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[^\s@<>()\"',;:]+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s().\/-]{4,}\d|\d{6,}")


@dataclass(frozen=True)
class Gap:
    query: str  # folded, scrubbed again: a log written by another tool may hold anything
    searches: int


@dataclass(frozen=True)
class LanguageGaps:
    lang: str
    searches: int
    zero_results: tuple[Gap, ...]  # most searched first
    no_click: tuple[Gap, ...]  # results shown, none chosen


@dataclass(frozen=True)
class GapsReport:
    source: str
    searches: int
    languages: tuple[LanguageGaps, ...]


def scrub(query: str) -> str:
    """As kb-search-query.js scrub: e-mail addresses and long numbers out, error codes kept."""
    out = _EMAIL.sub("[email]", query)
    out = _LONG_NUMBER.sub(lambda m: "[number]" if len(re.sub(r"\D", "", m.group())) >= 6 else m.group(), out)
    return " ".join(out.casefold().split())[:200]


def _records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    return records(path, ("query",), ("results", "clicked", "lang"), QueriesError)


def _count(value: Any, path: Path, line: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as err:
        raise QueriesError(f"{path}:{line}: result count {value!r} is not a number") from err


def search_gaps(path: Path, default_lang: str) -> GapsReport:
    """Zero-result and no-click queries per language from an exported search log: CSV (query,
    results, clicked, lang) or JSON lines as the search boxes' analytics hook sends them ({query,
    lang, results, clicked}). `result_count` and `clicked_url` are read as well."""
    per_lang: dict[str, dict[str, Counter[str]]] = {}
    total = 0
    for line, record in _records(path):
        query = scrub(str(record.get("query") or ""))
        if not query:
            continue
        results = _count(record.get("results", record.get("result_count")), path, line)
        clicked = record.get("clicked", record.get("clicked_url")) or ""
        lang = str(record.get("lang") or default_lang)
        counts = per_lang.setdefault(lang, {"all": Counter(), "zero": Counter(), "no_click": Counter()})
        counts["all"][query] += 1
        total += 1
        if results == 0:
            counts["zero"][query] += 1
        elif not clicked:
            counts["no_click"][query] += 1

    def gaps(counter: Counter[str]) -> tuple[Gap, ...]:
        return tuple(Gap(q, n) for q, n in sorted(counter.items(), key=lambda item: (-item[1], item[0])))

    return GapsReport(
        source=str(path),
        searches=total,
        languages=tuple(
            LanguageGaps(lang, sum(c["all"].values()), gaps(c["zero"]), gaps(c["no_click"]))
            for lang, c in sorted(per_lang.items())
        ),
    )
