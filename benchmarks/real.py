"""`kb check` on the real corpora in /work/shared/corpora, as they are and wrapped."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass

from benchmarks.common import CORPORA, HERE, OUT, TODAY, kb
from benchmarks.corpora import copy_as_they_are, copy_wrapped


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


def corpora_table(runs: list[CorporaRun]) -> list[str]:
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
