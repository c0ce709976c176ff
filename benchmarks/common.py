"""What every benchmark shares: where corpora and results go, a fresh `kb` process timed with its
peak memory, medians, and the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import write_project

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


def median_run(runs: list[Run]) -> Run:
    """The run of median time: the lower middle one of an even number, as every timing's median
    here (`statistics.median_low`), so a median is always a run that happened."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


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


def num(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def corpus(n: int) -> Path:
    root = OUT / f"corpus-{n}"
    if not (root / "site_config.yml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        write_project(root, n)
    shutil.rmtree(root / ".kb-cache", ignore_errors=True)
    return root


def spread(runs: dict[str, list[float]]) -> str:
    return ", ".join(f"{k} {' / '.join(f'{s:.2f}' for s in sorted(v))}" for k, v in runs.items())
