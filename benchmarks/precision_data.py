"""The data file `kb rules` reads its one line per rule from (generator/rules/data/precision.yml):
each rule's latest judged sample, as `python -m benchmarks --precision` measured it. `kb rules`
only reads it; the figures come from this benchmark, so the file is committed with RESULTS.md."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from benchmarks.precision_report import RuleResult
from generator.output.rules import PRECISION_DATA

HEADER = (
    "# Written by `python -m benchmarks --precision` (benchmarks/precision_data.py); do not edit.\n"
    "# Per rule, its latest judged sample of findings on the real corpora (tests/precision/): of the\n"
    "# sample's findings the check still reports, how many were judged right, debatable and wrong.\n"
)


def data_of(found: Sequence[RuleResult], measured: str) -> dict[str, object]:
    rules: dict[str, object] = {}
    for r in found:
        s = r.latest
        rules[r.rule] = {
            "severity": r.severity,
            "sample": r.latest_name,
            "fresh": r.fresh,
            "measured": measured,
            "reported": s.reported,
            "right": s.right_reported,
            "debatable": s.debatable_reported,
            "wrong": s.reported - s.right_reported - s.debatable_reported,
            "right_lost": r.right_lost,
            "target_met": r.met,
        }
    return {"rules": rules}


def write_data(found: Sequence[RuleResult], path: Path = PRECISION_DATA, measured: str = "") -> None:
    """Write `found` (the precision table's rules) to `path` for `kb rules`."""
    data = data_of(found, measured or time.strftime("%Y-%m-%d"))
    path.write_text(HEADER + yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
