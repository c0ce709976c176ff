"""The writer's loop at one size (issue 18): `kb build` after a one-article edit against a clean
build, and `kb serve`'s first page and an edit made visible, each as a ratio to the clean build
of the same run (this machine's speed drifts too much for seconds alone to compare).

- clean build: `kb build` (both audiences) with the check cached and no kept render state or
  verification record (`.kb-cache/render/` and `.kb-cache/verify/` removed), as every build was
  before incremental rendering and verification;
- incremental build: the same, after an edit to one article's body, with the state and record
  the clean build kept;
- first page: from starting `kb serve` to an article page answering (the check cached);
- every page: from starting `kb serve` to its build of every page being served;
- edit visible: then, from writing an edit to one article to its page answering with the new text.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import TODAY, corpus, kb, spread
from benchmarks.corpus import plan

SERVE_SIZE = 4000
WAIT = 1800  # seconds before a serve timing gives up (a hang guard)
# Issue 18's targets: edit visible in 2 s and first page in 10 s (seconds, shown beside the
# ratios), an incremental build within 15% of a clean one.
TARGET_EDIT, TARGET_FIRST, TARGET_BUILD = 2.0, 10.0, 0.15


@dataclass
class ServeRow:
    n: int
    runs: dict[str, list[float]] = field(default_factory=dict)  # seconds of each run, by timing
    note: str = ""

    def median(self, name: str) -> float | None:
        values = self.runs.get(name)
        return statistics.median_low(values) if values else None


def bench_serve(n: int, repeat: int) -> ServeRow:
    root = corpus(n)
    row = ServeRow(n)
    kb(["check", "--today", TODAY], root)
    target = next(a for a in plan(n) if a.audience == "public")
    source = root / "kb_source" / target.path
    original = source.read_text(encoding="utf-8")
    try:
        for turn in range(repeat):
            for kept in ("render", "verify"):  # what an incremental build renders and verifies from
                shutil.rmtree(root / ".kb-cache" / kept, ignore_errors=True)
            clean = _build(root)
            source.write_text(_edited(original, f"build {turn}"), encoding="utf-8")
            incremental = _build(root)
            if clean.code or incremental.code:
                row.note = f"kb build exited {clean.code} / {incremental.code}"
                return row
            row.runs.setdefault("clean build", []).append(clean.seconds)
            row.runs.setdefault("incremental build", []).append(incremental.seconds)
            first, every, edit = _serve(root, source, target.id, turn)
            row.runs.setdefault("serve: first page", []).append(first)
            row.runs.setdefault("serve: every page", []).append(every)
            row.runs.setdefault("serve: edit visible", []).append(edit)
    finally:
        source.write_text(original, encoding="utf-8")
    return row


def _build(root: Path):  # type: ignore[no-untyped-def]
    return kb(["build", "--out", str(root / "site"), "--today", TODAY], root)


def _edited(text: str, mark: str) -> str:
    return text.replace("\n## Tips\n", f"\n## Tips\n\n- A tip added for the benchmark ({mark}).\n", 1)


def _serve(root: Path, source: Path, page_id: str, turn: int) -> tuple[float, float, float]:
    """Seconds to the first article page and to every page, then from an edit to the page
    showing it."""
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-serve-"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--today", TODAY],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp)},
    )
    try:
        assert proc.stdout is not None
        base = ""
        while not base:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise RuntimeError(f"kb serve exited with {proc.returncode}")
            if line.startswith("Serving"):
                base = line.rsplit(" ", 1)[1].strip()
        url = f"{base}{page_id}/"
        _wait(lambda: _page(url) is not None, start)
        first = time.perf_counter() - start
        while not proc.stdout.readline().startswith("Rendered every page."):
            if proc.poll() is not None:
                raise RuntimeError(f"kb serve exited with {proc.returncode}")
        every = time.perf_counter() - start
        mark = f"serve {turn} {time.time_ns()}"
        edited = time.perf_counter()
        source.write_text(_edited(source.read_text(encoding="utf-8"), mark), encoding="utf-8")
        _wait(lambda: mark in (_page(url) or ""), edited)
        return first, every, time.perf_counter() - edited
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (OSError, urllib.error.HTTPError):
        return None


def _wait(ready, since: float) -> None:  # type: ignore[no-untyped-def]
    while not ready():
        if time.perf_counter() - since > WAIT:
            raise RuntimeError("kb serve did not answer in time")
        time.sleep(0.1)


def serve_table(row: ServeRow) -> list[str]:
    clean = row.median("clean build")
    out = [
        f"## The writer's loop at {row.n:,} articles (issue 18)",
        "",
        "Medians; ratios are to the clean `kb build` (both audiences, check cached) of the same run.",
        "",
        "| Timing | Seconds | Ratio to a clean build | Target | Met |",
        "|---|---:|---:|---|---|",
    ]
    targets = {
        "clean build": ("-", None),
        "incremental build": (f"<= {TARGET_BUILD:.2f} of a clean build", lambda s, r: r <= TARGET_BUILD),
        "serve: first page": (f"<= {TARGET_FIRST:.0f} s", lambda s, r: s <= TARGET_FIRST),
        "serve: every page": ("-", None),
        "serve: edit visible": (f"<= {TARGET_EDIT:.0f} s", lambda s, r: s <= TARGET_EDIT),
    }
    for name, (target, met) in targets.items():
        seconds = row.median(name)
        if seconds is None or not clean:
            continue
        ratio = seconds / clean
        verdict = "-" if met is None else ("yes" if met(seconds, ratio) else "no")
        out.append(f"| {name} | {seconds:.1f} | {ratio:.3f} | {target} | {verdict} |")
    out += ["", f"Every run (s): {spread(row.runs)}.", *([f"Note: {row.note}"] if row.note else []), ""]
    return out
