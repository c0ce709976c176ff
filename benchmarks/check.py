"""`kb check` at each size: cold (no cache), re-checks after edits, the floor (reading and parsing
every file in one process) and where the time goes."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import TODAY, Run, corpus, kb, median_run, spread
from benchmarks.corpus import plan


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
from generator.rules.base import Reads
config = load_config(Path("site_config.yml"))
files = discover(config.source_path)[: int(sys.argv[1])]
categories = config.category_ids
start = time.process_time()
loaded = [load_file(p, config.source_path, config.root, categories) for p in files]
articles = [a for a in loaded if isinstance(a, Article)]
parsed = [a.tokens for a in articles]
costs = {"loader (read, YAML, schema, parse)": time.process_time() - start}
ctx = Context(config, date.fromisoformat(sys.argv[2]), CorpusIndex.build(articles))
for rule in select(()):
    if rule.reads is not Reads.ARTICLE:
        continue  # the file and front-matter rules are the loader's, KB005 has nothing to read here
    for article in articles[:50]:  # imports and compiled patterns are paid once per process
        list(rule.check(article, ctx))
    start = time.process_time()
    for article in articles:
        if rule.applies_to(article, config):
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
    cold = median_run(colds)
    summary = cold.stdout.strip().splitlines()[-1] if cold.stdout.strip() else ""
    return CheckRow(
        n,
        files,
        statistics.median_low(floors),
        cold.seconds,
        fill.seconds,
        median_run(bodies).seconds,
        median_run(titles).seconds,
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


def check_table(rows: list[CheckRow]) -> list[str]:
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
        + "; ".join(f"{r.n}: {spread(r.spread)}" for r in rows)
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
