"""`kb build` at each size, search bundle bytes, and plain Material (MkDocs' own search) on the same
articles for comparison."""

from __future__ import annotations

import gzip
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import OUT, TODAY, Run, corpus, kb, num, spread
from benchmarks.corpus import plan
from generator.config import Language


@dataclass
class BuildRow:
    n: int
    public: float | None = None
    internal: float | None = None
    median_html: int | None = None
    search_bytes: dict[str, int] = field(default_factory=dict)
    note: str = ""
    spread: dict[str, list[float]] = field(default_factory=dict)  # every run's seconds, by audience


def bench_build(n: int, repeat: int) -> BuildRow:
    """Each audience's build `repeat` times into an empty output folder; medians."""
    root = corpus(n)
    row = BuildRow(n)
    try:
        from generator.pipeline import build
    except ImportError as exc:
        row.note = f"build pipeline not available: {exc}"
        return row
    kb(["check", "--today", TODAY], root)  # both builds then find the check cached
    site = root / "site"
    for _ in range(repeat):
        shutil.rmtree(site, ignore_errors=True)
        for audience in ("public", "internal"):
            run = build(root, audience)
            if run.code != 0:
                row.note = f"kb build --audience {audience} exited {run.code}"
                return row
            row.spread.setdefault(audience, []).append(run.seconds)
    row.public, row.internal = (statistics.median_low(row.spread[a]) for a in ("public", "internal"))
    public = site / "public"
    sizes = [
        (public / a.id / "index.html").stat().st_size
        for a in plan(n)
        if a.audience == "public" and (public / a.id / "index.html").is_file()
    ]
    row.median_html = int(statistics.median(sizes)) if sizes else None
    row.search_bytes = search_bytes(public / "pagefind")
    return row


def build(root: Path, audience: str) -> Run:
    """A clean build: the render state an earlier build kept is removed first (incremental
    builds are timed in benchmarks/serve.py)."""
    shutil.rmtree(root / ".kb-cache" / "render", ignore_errors=True)
    return kb(["build", "--out", str(root / "site"), "--audience", audience, "--today", TODAY], root)


SEARCH_BOX_RESULTS = 8  # MAX_RESULTS in theme/assets/javascripts/kb-search.js


def search_bytes(bundle: Path) -> dict[str, int]:
    """Bytes a first query fetches: pagefind.js, then (Pagefind's own loader, run in Node) the
    entry file, wasm, metadata, the index chunk for the word and the top results' fragments.
    Pagefind 1.5's init() fetches nothing: the first query loads the entry, wasm and metadata."""
    if not (bundle / "pagefind.js").is_file():
        return {}
    from generator.pipeline.index import search

    run = search(bundle, "en", ["report"], limit=SEARCH_BOX_RESULTS)
    first = run.searches[0]
    return {
        "pagefind.js": run.script_bytes,
        "pagefind.init()": run.init_bytes,
        "first query (entry, wasm, metadata, index chunk, fragments)": first.fetched_bytes,
        "total": run.script_bytes + run.init_bytes + first.fetched_bytes,
    }


SEARCH_BUDGET = 170_000  # issue 16: the first query's download at 10,000 articles, about 170 KB
PLAIN_QUERY = "report"  # the word search_bytes has measured since issue 6
# A customer's question: no page holds every word, so the search box relaxes it.
SENTENCE_QUERY = "why can my invoice not be moved to another workspace"
# Our text files a first search downloads besides Pagefind's: the box's script (loaded with every
# page), the query code and two small JSON files it imports or fetches on first use (kb-search.js).
SEARCH_SCRIPTS = (
    "assets/javascripts/kb-search.js",
    "assets/javascripts/kb-search-query.js",
    "search/settings.json",
    "search/terms.json",
)


@dataclass(frozen=True)
class FirstQuery:
    """A visitor's first query in a search box of the built site, and what it downloads."""

    query: str
    relaxed: bool  # the box relaxed it (no page held every word)
    extra_rounds: int  # rounds of index chunks after the first
    results: int
    raw: int  # as on disk: our scripts, pagefind.js, the index files and fragments fetched
    gzip: int  # our scripts and pagefind.js gzipped (level 6); Pagefind's index files are gzip already


def gzipped(path: Path) -> int:
    """Bytes `path` is sent in with gzip (level 6), or as it is when that is smaller (a tiny file)."""
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def script_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """(raw, gzipped) bytes of pagefind.js and of our search scripts in the built `site`."""
    files = ["pagefind/pagefind.js", *SEARCH_SCRIPTS]
    return {
        name: ((site / name).stat().st_size, gzipped(site / name))
        for name in files
        if (site / name).is_file()
    }


def first_queries(
    site: Path, languages: Sequence[Language], queries: Sequence[str]
) -> tuple[FirstQuery, ...]:
    """Each query in the default language, each a visitor's first, as the search boxes make it
    (generator.pipeline.index.relaxed: Pagefind driven by kb-search-query.js in Node). Its bytes
    already count pagefind.js, kb-search-query.js and every index file fetched (the entry file as
    often as it is fetched, the vocabulary shards raw); kb-search.js, settings.json and terms.json
    are added here. The gzip figure gzips the scripts; Pagefind's wasm, metadata, index chunks and
    fragments are gzip files already, served as they are."""
    from generator.pipeline.index.relaxed import search_site

    default = next(lang.code for lang in languages if lang.default)
    scripts = script_bytes(site)
    counted = ("pagefind/pagefind.js", "assets/javascripts/kb-search-query.js")  # in VisitorSearch.bytes
    added = sum(raw for name, (raw, _) in scripts.items() if name not in counted)
    saved = sum(raw - packed for raw, packed in scripts.values())
    return tuple(
        FirstQuery(
            s.query, s.relaxed, s.extra_rounds, len(s.results), s.bytes + added, s.bytes + added - saved
        )
        for s in search_site(site, languages, [(default, q) for q in queries])
    )


def bench_search(n: int) -> tuple[dict[str, int], dict[str, tuple[int, int]], tuple[FirstQuery, ...]]:
    """The public site of the n-article corpus, then its first-query downloads: Pagefind's alone
    (search_bytes, as measured since issue 6), our scripts, and the search box's plain and
    relaxed first queries."""
    from generator.config import load_config

    root = corpus(n)
    public = public_site(root)
    found = first_queries(
        public, load_config(root / "site_config.yml").languages, [PLAIN_QUERY, SENTENCE_QUERY]
    )
    return search_bytes(public / "pagefind"), script_bytes(public), found


def public_site(root: Path) -> Path:
    """The project's public site, checked, staged, rendered and indexed as `kb build` does, in
    `root/site-search/public`. Verification and the evidence site a public-only build renders do
    not change a byte a visitor downloads, and at 10,000 articles they take most of the time, so
    this runs the build's site step alone (pipeline.build_site)."""
    import datetime

    from generator.config import load_config
    from generator.model import Audience
    from generator.pipeline import build_site
    from generator.pipeline.check import check_and_load

    config = load_config(root / "site_config.yml")
    today = datetime.date.fromisoformat(TODAY)
    result, articles = check_and_load(config, today)
    if result.errors:
        raise RuntimeError(f"kb check found {result.errors} error(s) in {root}")
    work = root / "site-search"
    shutil.rmtree(work, ignore_errors=True)
    build_site(config, today, articles, result, Audience.PUBLIC, work)
    return work / Audience.PUBLIC.value


def _kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def search_table(
    n: int, pagefind: dict[str, int], scripts: dict[str, tuple[int, int]], found: Sequence[FirstQuery]
) -> list[str]:
    out = [
        f"## First-query search download at {n} articles",
        "",
        "| Query | Relaxed | Extra rounds of index chunks | Results (of 10 read) | Bytes, uncompressed "
        "| Bytes, scripts gzipped | vs budget 170 KB (uncompressed / gzipped) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for q in found:
        over = [q.raw - SEARCH_BUDGET, q.gzip - SEARCH_BUDGET]
        verdict = " / ".join(f"over by {_kb(d)}" if d > 0 else f"within, {_kb(-d)} to spare" for d in over)
        out.append(
            f"| {q.query} | {'yes' if q.relaxed else 'no'} | {q.extra_rounds} | {q.results} "
            f"| {q.raw} | {q.gzip} | {verdict} |"
        )
    plain, *rest = found
    out += [
        "",
        "Scripts, uncompressed / gzipped (level 6): "
        + ", ".join(f"{name} {raw} / {packed}" for name, (raw, packed) in scripts.items())
        + ".",
        "Pagefind alone (`search_bytes`, as measured since issue 6): "
        + ", ".join(f"{k} {v}" for k, v in pagefind.items())
        + ".",
    ]
    out += [
        f'The relaxed query "{q.query}" downloads {q.raw - plain.raw} bytes more than "{plain.query}" '
        f"({q.extra_rounds} extra round{'s' if q.extra_rounds != 1 else ''} of index chunks after the first)."
        for q in rest
    ]
    return [*out, ""]


MKDOCS_PLAIN = """\
site_name: Plain Material
docs_dir: docs
theme:
  name: material
  features: [navigation.prune]
markdown_extensions: [admonition, pymdownx.details, attr_list]
"""


@dataclass
class PlainRow:
    n: int
    plain: list[float]  # seconds of each plain Material build
    ours: list[float]  # seconds of each public kb build of the same corpus, taking turns with them
    median_html: int


def bench_plain(n: int, repeat: int) -> PlainRow:
    """A plain `mkdocs build` of the same Markdown with Material, every page in the navigation,
    and our public build of the corpus, taking turns `repeat` times."""
    root = corpus(n)
    plain = OUT / f"plain-{n}"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(root / "kb_source", plain / "docs")
    (plain / "mkdocs.yml").write_text(MKDOCS_PLAIN, encoding="utf-8")
    kb(["check", "--today", TODAY], root)
    row = PlainRow(n, [], [], 0)
    for _ in range(repeat):
        shutil.rmtree(plain / "site", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=plain, check=True, capture_output=True
        )
        row.plain.append(time.perf_counter() - start)
        shutil.rmtree(root / "site", ignore_errors=True)
        row.ours.append(build(root, "public").seconds)
    sizes = [p.stat().st_size for p in (plain / "site").glob("*/*/index.html")]
    row.median_html = int(statistics.median(sizes)) if sizes else 0
    return row


def build_table(rows: list[BuildRow], plain: PlainRow) -> list[str]:
    out = [
        "## kb build",
        "",
        "| Articles | Public build (s) | Internal build (s) | Median article HTML (bytes) "
        "| First-query search bytes | Note |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        search = r.search_bytes.get("total")
        out.append(
            f"| {r.n} | {num(r.public)} | {num(r.internal)} | {r.median_html or '-'} | "
            f"{search or '-'} | {r.note} |"
        )
    out += [
        "",
        "Build times are medians; every run, fastest to slowest: "
        + "; ".join(f"{r.n}: {spread(r.spread)}" for r in rows if r.spread)
        + " (seconds).",
    ]
    detail = [
        f"{r.n}: " + ", ".join(f"{k} {v}" for k, v in r.search_bytes.items()) for r in rows if r.search_bytes
    ]
    out += ["", "Search bytes in detail: " + ("; ".join(detail) or "-") + "."]
    ours, theirs = statistics.median_low(plain.ours), statistics.median_low(plain.plain)
    out += [
        "",
        f"Plain Material (`mkdocs build`, navigation.prune, every page in the nav, built-in search) of "
        f"the same Markdown at {plain.n} articles, taking turns with our public build of it: "
        f"{spread({'plain Material': plain.plain, 'ours': plain.ours})} s; median page HTML "
        f"{plain.median_html} bytes.",
        f"Public build / plain Material at {plain.n} articles (medians): {ours:.1f} / {theirs:.1f} s = "
        f"{ours / theirs:.2f}x.",
    ]
    return [*out, ""]
