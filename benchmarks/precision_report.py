"""The precision table of `python -m benchmarks --precision` (issue 21): per rule, the baseline
sample beside the latest one, and whether the rule meets its target on what it reports now.

A judged sample only measures what was drawn when it was drawn: after a rule changes, its old
rows show what the change fixed (judged-wrong findings gone) and lost (judged-right findings
gone), but not the findings the rule reports now that nobody judged. So each rule is judged on
its latest sample (a fresh draw after the change, tests/precision/README.md), counting only the
rows the check still reports; a rule with no later sample is judged on its baseline rows still
reported. A judged-right finding lost in any sample fails the rule.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import CORPORA, HERE
from benchmarks.precision import ERROR_TARGET, SECTION, WARNING_TARGET, Judged, Score


@dataclass(frozen=True)
class RuleResult:
    """One rule's line of the table."""

    rule: str
    severity: str
    baseline: Score  # the rows of the first sample that has the rule
    baseline_name: str
    latest: Score  # the rows of the last sample that has the rule (the baseline if only one)
    latest_name: str
    right_lost: int  # judged-right rows no longer reported, over every sample
    in_baseline: bool = True  # False for a rule first sampled after the baseline (a new rule)

    @property
    def fresh(self) -> bool:
        return not self.in_baseline or self.latest_name != self.baseline_name

    @property
    def share_now(self) -> float | None:
        """Of the latest sample's rows still reported: the share right (an error rule) or right or
        debatable (a warning rule); None when none is still reported."""
        s = self.latest
        if not s.reported:
            return None
        kept = s.right_reported if self.severity == "error" else s.right_reported + s.debatable_reported
        return kept / s.reported

    @property
    def met(self) -> bool | None:
        share = self.share_now
        if share is None:
            return None
        target = ERROR_TARGET if self.severity == "error" else WARNING_TARGET
        return share >= target and not self.right_lost


def results_of(scores: dict[str, list[Score]], order: Sequence[str]) -> list[RuleResult]:
    """Per rule, from `scores` (a rule's Score in each sample that has it, in sample `order`)."""
    out = []
    for rule in sorted(scores):
        per_sample = sorted(scores[rule], key=lambda s: order.index(s.sample))
        first, last = per_sample[0], per_sample[-1]
        out.append(
            RuleResult(
                rule,
                last.severity,
                first,
                first.sample,
                last,
                last.sample,
                sum(s.right_lost for s in per_sample),
                first.sample == order[0],
            )
        )
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _verdicts(s: Score) -> str:
    return f"{s.right} / {s.wrong} / {s.debatable}"


def table(found: Sequence[RuleResult]) -> list[str]:
    from generator.rules import REGISTRY

    out = [
        "| Rule | Severity | Baseline judged | Baseline right / wrong / debatable | Baseline wrong still"
        " reported | Latest sample | Judged | Right / wrong / debatable | Still reported | Precision now"
        " | Right or debatable now | Right lost | Target | Met |",
        "|---|---|---:|---|---:|---|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for r in found:
        alias = REGISTRY[r.rule].alias if r.rule in REGISTRY else "(no longer registered)"
        s = r.latest
        precision_now = s.right_reported / s.reported if s.reported else None
        either_now = (s.right_reported + s.debatable_reported) / s.reported if s.reported else None
        target = (
            f"right >= {ERROR_TARGET:.0%}"
            if r.severity == "error"
            else f"right or debatable >= {WARNING_TARGET:.0%}"
        )
        met = "- (none reported)" if r.met is None else ("yes" if r.met else "no")
        latest = r.latest_name if r.fresh else "(baseline only)"
        base = r.baseline
        baseline = (
            f"{base.judged} | {_verdicts(base)} | {base.wrong_reported}" if r.in_baseline else "0 | - | -"
        )
        out.append(
            f"| {r.rule} {alias} | {r.severity} | {baseline} | {latest} | {s.judged} | {_verdicts(s)}"
            f" | {s.reported}"
            f" | {_pct(precision_now)} | {_pct(either_now)} | {r.right_lost} | {target} | {met} |"
        )
    judged = [r for r in found if r.met is not None]
    out.append(
        f"| all | | {sum(r.baseline.judged for r in found if r.in_baseline)} | | | |"
        f" {sum(r.latest.judged for r in found)}"
        f" | | {sum(r.latest.reported for r in found)} | | | {sum(r.right_lost for r in found)} | |"
        f" {sum(bool(r.met) for r in judged)} of {len(judged)} |"
    )
    return out


def report(
    rows: Sequence[Judged], found: Sequence[RuleResult], files: int, seconds: float, judged: Sequence[Path]
) -> list[str]:
    samples = list(dict.fromkeys(r.sample for r in rows))
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    names = ", ".join(str(p.relative_to(HERE.parent) if p.is_relative_to(HERE.parent) else p) for p in judged)
    return [
        SECTION,
        "",
        f"`python -m benchmarks --precision`, {time.strftime('%Y-%m-%d %H:%M')}"
        f"{f', code at {commit}' if commit else ''}: {len(rows)} judged findings ({names}; samples: "
        f"{', '.join(samples)}) in {files} files of {CORPORA}, checked again wrapped as "
        f"benchmarks/corpora.py does (with the pages they link to) in {seconds:.1f} s.",
        "",
        "Each rule is judged on its latest sample: a fresh draw after its last change where there is "
        "one, else the baseline. Precision now: judged right / the latest sample's findings the check "
        "still reports; right or debatable now: (right + debatable) / the same. A judged finding is still "
        "reported when a finding of the same rule in the same file is on its line, names its line in the "
        "message, or is on a line holding its excerpt (benchmarks.precision.still_reported; KB401: the "
        "file). Baseline wrong still reported: judged-wrong findings of the first sample the check still "
        "makes; right lost: judged-right findings of any sample it no longer makes. Targets (issue 21): an "
        "error rule at least 95% right, a warning rule at least 80% right or debatable, on what it reports "
        "now, and no judged-right finding lost. A rule whose latest sample has no finding still reported "
        "is not judged (Met: none reported). tests/precision/README.md has the criteria and the samples.",
        "",
        *table(found),
        "",
    ]
