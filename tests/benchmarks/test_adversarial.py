"""benchmarks/adversarial.py runs every rule and step on every shape, and none of them raises.

Small pages only, and no time is asserted: the figures are for `python -m benchmarks.adversarial`
to print. What this holds is that the benchmark measures what it says, and that odd text (a
page of `<!-- `, a 1,000-level list) is never a traceback.
"""

from __future__ import annotations

import pytest

from benchmarks import adversarial
from generator.rules import REGISTRY


@pytest.fixture(scope="module")
def timings() -> list[adversarial.Timing]:
    return adversarial.run(size=2000, cap=60, show=lambda line: None)


def test_every_rule_and_step_is_measured_on_every_shape(timings: list[adversarial.Timing]) -> None:
    steps = {t.step for t in timings}
    assert set(REGISTRY) <= steps
    assert {f"{code} fix" for code, rule in REGISTRY.items() if rule.fix} <= steps
    assert {"loader", "mdparse.anchors", "stage.prepare", "markdown.rewrite"} <= steps
    shapes = {t.shape for t in timings}
    assert len(shapes) == len(adversarial.shapes())
    # Each shape loads (no page is refused before the rules run), so every rule sees every shape.
    for code in REGISTRY:
        assert {t.shape for t in timings if t.step == code} == shapes, code


def test_no_rule_or_step_raises_on_adversarial_text(timings: list[adversarial.Timing]) -> None:
    raised = [f"{t.step} on {t.shape}: {t.problem}" for t in timings if t.problem.startswith("raised")]
    assert raised == []


def test_the_table_names_the_worst_shape_of_each_step(timings: list[adversarial.Timing]) -> None:
    lines = adversarial.table(timings, {"KB101": 2.0}, cap=60)
    assert lines[0] == "| Step | Worst (s) | Shape | Growth at twice the size | Note |"
    rows = [line for line in lines if line.startswith("| KB")]
    assert len(rows) == len(REGISTRY) + sum(1 for rule in REGISTRY.values() if rule.fix)
    assert any(row.startswith("| KB101 |") and "| 2.0x |" in row for row in rows)


def test_a_cut_off_or_raising_step_is_shown(timings: list[adversarial.Timing]) -> None:
    cut = adversarial.Timing("KB999", "'x'", 10.0, "cut off")
    raised = adversarial.Timing("KB998", "'y'", 0.0, "raised ValueError: boom")
    lines = adversarial.table([*timings, cut, raised], {}, cap=10)
    assert "| KB999 | >10 | 'x' | - | over target; cut off |" in lines
    assert "- KB998 on 'y': 0.000 s raised ValueError: boom" in lines
