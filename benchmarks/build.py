"""`kb build` at each size, search bundle bytes, and plain Material (MkDocs' own search) on the same
articles for comparison."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import OUT, TODAY, Run, corpus, kb, num, spread
from benchmarks.corpus import plan


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
