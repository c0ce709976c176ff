"""`python -m benchmarks`: time `kb check` and `kb build` on generated corpora; write RESULTS.md.

Every timing is wall-clock of a fresh `python -m generator ...` process (interpreter start-up
included), on corpora written by benchmarks.corpus under benchmarks/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.adversarial import adversarial
from benchmarks.corpora import copy_as_they_are, copy_wrapped
from benchmarks.corpus import plan, write_project

TODAY = "2026-11-23"
HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
CORPORA = Path("/work/shared/corpora")
PLAIN_SIZE = 2000

# Runs `kb` in this process and reports its peak memory and that of its largest worker.
_PROBE = """
import json, resource, sys
from generator.cli import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
usage = resource.getrusage
with open(sys.argv[1], "w") as out:
    me, kids = usage(resource.RUSAGE_SELF), usage(resource.RUSAGE_CHILDREN)
    json.dump({"self_kb": me.ru_maxrss, "child_kb": kids.ru_maxrss, "code": code,
               "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}, out)
"""


@dataclass
class Run:
    seconds: float
    code: int
    self_mb: float
    child_mb: float
    cpu: float  # user + system seconds of kb and its workers
    stdout: str


@dataclass
class CheckRow:
    n: int
    files: int
    floor: float
    check: float
    cached_fill: float
    recheck: float
    recheck_title: float
    self_mb: float
    child_mb: float
    cpu: float
    summary: str
    spread: dict[str, list[float]] = field(default_factory=dict)  # every run's seconds, by timing


@dataclass
class BuildRow:
    n: int
    public: float | None = None
    internal: float | None = None
    median_html: int | None = None
    search_bytes: dict[str, int] = field(default_factory=dict)
    note: str = ""
    spread: dict[str, list[float]] = field(default_factory=dict)  # every run's seconds, by audience


def kb(args: list[str], cwd: Path) -> Run:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as probe:
        report = Path(probe.name)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(report), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    data = json.loads(report.read_text()) if report.stat().st_size else {}
    report.unlink()
    if not data:
        raise RuntimeError(f"kb {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    megabytes = data["self_kb"] / 1024, data["child_kb"] / 1024
    return Run(seconds, int(data["code"] or 0), *megabytes, data["cpu"], proc.stdout)


def floor_seconds(root: Path) -> tuple[float, int]:
    """Reading every file, parsing its front matter and one Markdown parse, in one process."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from generator.pipeline.load import discover\n"
        "from generator.mdparse import parse\n"
        "from generator.yamlsafe import load_yaml\n"
        "t = time.perf_counter(); n = 0\n"
        "for p in discover(Path('kb_source')):\n"
        "    text = p.read_bytes().decode('utf-8-sig')\n"
        "    _, fm, body = text.split('---', 2)\n"
        "    load_yaml(fm); parse(body); n += 1\n"
        "print(time.perf_counter() - t, n)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    seconds, n = out.stdout.split()
    return float(seconds), int(n)


_COSTS = """
import json, sys, time
from datetime import date
from pathlib import Path
from generator.config import load_config
from generator.pipeline.load import discover, load_file
from generator.model import Article
from generator.rules import Context, CorpusIndex, select
config = load_config(Path("site_config.yml"))
files = discover(config.source_path)[: int(sys.argv[1])]
categories = config.category_ids
start = time.process_time()
loaded = [load_file(p, config.source_path, config.root, categories) for p in files]
articles = [a for a in loaded if isinstance(a, Article)]
costs = {"loader (read, YAML, schema, parse)": time.process_time() - start}
ctx = Context(config, date.fromisoformat(sys.argv[2]), CorpusIndex.build(articles))
for rule in select(()):
    for article in articles[:50]:  # imports and compiled patterns are paid once per process
        list(rule.check(article, ctx))
    start = time.process_time()
    for article in articles:
        if rule.applies_to(article, config.default_language):
            list(rule.check(article, ctx))
    costs[f"{rule.code} {rule.alias}"] = time.process_time() - start
print(json.dumps({k: v * 1000 / len(files) for k, v in costs.items()}))
"""


def costs(n: int, sample: int = 500) -> dict[str, float]:
    """CPU milliseconds per file of the loader and of each rule, in one process."""
    out = subprocess.run(
        [sys.executable, "-c", _COSTS, str(sample), TODAY],
        cwd=corpus(n),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def corpus(n: int) -> Path:
    root = OUT / f"corpus-{n}"
    if not (root / "site_config.yml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        write_project(root, n)
    shutil.rmtree(root / ".kb-cache", ignore_errors=True)
    return root


def bench_check(n: int, repeat: int) -> CheckRow:
    """Each timing `repeat` times, the floor and the cold check taking turns (this machine's speed
    drifts by a third within minutes); the row gives medians, `spread` every run."""
    root = corpus(n)
    floors: list[float] = []
    colds: list[Run] = []
    files = 0
    for _ in range(repeat):
        floor, files = floor_seconds(root)
        floors.append(floor)
        colds.append(kb(["check", "--no-cache", "--today", TODAY], root))
    fill = kb(["check", "--today", TODAY], root)
    victim = root / "kb_source" / plan(n)[n // 2].path
    original = victim.read_text()
    bodies: list[Run] = []
    titles: list[Run] = []
    try:
        for _ in range(repeat):
            victim.write_text(original.replace("## Tips\n", "## Tips\n\n- Edited for the benchmark.\n"))
            bodies.append(kb(["check", "--today", TODAY], root))
            # A title is in the corpus index: cross-article rules run again where they looked it up.
            victim.write_text(original.replace("title: How do I", "title: How can I", 1))
            titles.append(kb(["check", "--today", TODAY], root))
            victim.write_text(original)
            kb(["check", "--today", TODAY], root)  # back to the filled cache, untimed
    finally:
        victim.write_text(original)
    cold = _median(colds)
    summary = cold.stdout.strip().splitlines()[-1] if cold.stdout.strip() else ""
    return CheckRow(
        n,
        files,
        statistics.median_low(floors),
        cold.seconds,
        fill.seconds,
        _median(bodies).seconds,
        _median(titles).seconds,
        max(r.self_mb for r in colds),
        max(r.child_mb for r in colds),
        cold.cpu,
        summary,
        spread={
            "floor": floors,
            "check": [r.seconds for r in colds],
            "body": [r.seconds for r in bodies],
            "title": [r.seconds for r in titles],
        },
    )


def _median(runs: list[Run]) -> Run:
    """The run of median time: the lower middle one of an even number, as every timing's median
    here (`statistics.median_low`), so a median is always a run that happened."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


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


@dataclass
class CorporaRun:
    label: str
    files: int
    seconds: float
    findings: Counter[str]  # by rule
    files_with: Counter[str]  # by rule: files with at least one finding


def bench_corpora() -> list[CorporaRun]:
    """`kb check --no-cache` over the real corpora as they are, then over their bodies under our
    front matter (benchmarks.corpora)."""
    runs = []
    for label, copy in (("as they are", copy_as_they_are), ("bodies under our front matter", copy_wrapped)):
        root = OUT / f"corpora-{copy.__name__.removeprefix('copy_')}"
        shutil.rmtree(root, ignore_errors=True)
        copy(CORPORA, root, HERE.parent / "site_config.yml")
        run = kb(["check", "--no-cache", "--format", "json", "--today", TODAY], root)
        report = json.loads(run.stdout)
        found = report["findings"]
        runs.append(
            CorporaRun(
                label,
                report["summary"]["files"],
                run.seconds,
                Counter(f["rule"] for f in found),
                Counter(rule for rule, _ in {(f["rule"], f["path"]) for f in found}),
            )
        )
    return runs


def _corpora_table(runs: list[CorporaRun]) -> list[str]:
    from generator.rules import REGISTRY

    out = ["## Real corpora", ""]
    out += [
        f"`kb check --no-cache` over the {r.files} articles of {CORPORA}, {r.label}: {r.seconds:.1f} s."
        for r in runs
    ]
    heads = " | ".join(f"Findings / files, {r.label}" for r in runs)
    out += ["", f"| Rule | {heads} |", "|---|" + "---:|" * len(runs)]
    for rule in sorted({rule for r in runs for rule in r.findings}):
        alias = REGISTRY[rule].alias if rule in REGISTRY else ""
        cells = " | ".join(f"{r.findings[rule]} / {r.files_with[rule]}" for r in runs)
        out.append(f"| {rule} {alias} | {cells} |")
    return [*out, ""]


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), "unknown"
    )
    return (
        f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}; "
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )


def _cpuinfo() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for kb check")
    parser.add_argument("--build-sizes", default="250,1000,4000", help="corpus sizes for kb build")
    parser.add_argument("--skip-build", action="store_true", help="time kb check only")
    parser.add_argument("--plain-size", type=int, default=PLAIN_SIZE, help="articles for plain Material")
    parser.add_argument("--corpora", action="store_true", help=f"also check the real corpora in {CORPORA}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (medians shown)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write")
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="only print each rule's worst time on 100 KB of adversarial text (benchmarks.adversarial)",
    )
    args = parser.parse_args()
    if args.adversarial:
        adversarial()
        return
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["# Benchmark results", "", f"Machine: {machine()}.", ""]
    lines += [
        f"Command: `python -m benchmarks {' '.join(sys.argv[1:])}`; date {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
    ]

    rows = [bench_check(int(n), args.repeat) for n in args.sizes.split(",") if n]
    if rows:
        lines += _check_table(rows)
        spent = sorted(costs(rows[0].n).items(), key=lambda kv: -kv[1])
        lines += ["### Where the time goes (CPU ms per file, one process, 500 files)", ""]
        lines += ["| Step | ms/file |", "|---|---:|"]
        lines += [*(f"| {k} | {v:.2f} |" for k, v in spent if v >= 0.02), ""]
    if not args.skip_build:
        builds = [bench_build(int(n), args.repeat) for n in args.build_sizes.split(",") if n]
        lines += _build_table(builds, bench_plain(args.plain_size, args.repeat))
    if args.corpora:
        lines += _corpora_table(bench_corpora())
    text = "\n".join(lines) + "\n"
    print(text)
    args.results.write_text(text, encoding="utf-8")


def _check_table(rows: list[CheckRow]) -> list[str]:
    out = [
        "## kb check",
        "",
        "| Articles | Files | Floor, 1 process (s) | kb check --no-cache (s) | vs floor | CPU (s) "
        "| Cache fill (s) | Re-check, body edit (s) | Re-check, title edit (s) "
        "| Peak RSS parent / largest worker (MB) | Result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.n} | {r.files} | {r.floor:.1f} | {r.check:.1f} | {r.check / r.floor:.2f}x | {r.cpu:.1f} | "
            f"{r.cached_fill:.1f} | {r.recheck:.2f} | {r.recheck_title:.2f} | "
            f"{r.self_mb:.0f} / {r.child_mb:.0f} | {r.summary} |"
        )
    out += [
        "",
        "Each timing is the median of the runs; every run, fastest to slowest: "
        + "; ".join(f"{r.n}: {_spread(r.spread)}" for r in rows)
        + " (seconds). The floor and the cold check take turns, so both see the machine at the same speed.",
        "",
        "Floor: read + front matter YAML + one Markdown parse per file, sequential, no rules. "
        "Times are wall-clock of a fresh process (start-up included); CPU is user + system of kb and "
        "its workers. Re-checks follow a cache fill of files that last changed over two seconds "
        "earlier (their signatures are stored); the edited file is read and parsed. A body edit "
        "leaves the corpus index as it was; a title edit changes it, and cross-article rules run "
        "again for the articles whose lookups now get another answer.",
        "",
    ]
    return out


def _spread(runs: dict[str, list[float]]) -> str:
    return ", ".join(f"{k} {' / '.join(f'{s:.2f}' for s in sorted(v))}" for k, v in runs.items())


def _build_table(rows: list[BuildRow], plain: PlainRow) -> list[str]:
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
            f"| {r.n} | {_num(r.public)} | {_num(r.internal)} | {r.median_html or '-'} | "
            f"{search or '-'} | {r.note} |"
        )
    out += [
        "",
        "Build times are medians; every run, fastest to slowest: "
        + "; ".join(f"{r.n}: {_spread(r.spread)}" for r in rows if r.spread)
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
        f"{_spread({'plain Material': plain.plain, 'ours': plain.ours})} s; median page HTML "
        f"{plain.median_html} bytes.",
        f"Public build / plain Material at {plain.n} articles (medians): {ours:.1f} / {theirs:.1f} s = "
        f"{ours / theirs:.2f}x.",
    ]
    return [*out, ""]


def _num(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


if __name__ == "__main__":
    main()
