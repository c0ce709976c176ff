"""`kb rules`' one line per rule on how often it was right on real articles: read from the data
file `python -m benchmarks --precision` writes (generator/rules/data/precision.yml), never measured
at run time."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from benchmarks.precision import FRESH, JUDGED, Score, read_judged
from benchmarks.precision_data import write_data
from benchmarks.precision_report import RuleResult
from generator.cli import main
from generator.output.rules import PRECISION_DATA, precision_lines, reference
from generator.rules import REGISTRY


def _result(rule: str, severity: str, baseline: Score, latest: Score) -> RuleResult:
    return RuleResult(rule, severity, baseline, baseline.sample, latest, latest.sample, 0)


def test_the_benchmark_writes_what_kb_rules_reads(tmp_path: Path) -> None:
    base = Score("KB113", "error", "baseline-x", right=20, reported=20, right_reported=20)
    fresh = Score(
        "KB113", "error", "fresh-x", right=9, debatable=1, reported=10, right_reported=9, debatable_reported=1
    )
    gone = Score("KB308", "warning", "fresh-x", wrong=20)  # none of its judged findings reported now
    data = tmp_path / "precision.yml"
    write_data(
        [_result("KB113", "error", base, fresh), _result("KB308", "warning", gone, gone)],
        data,
        measured="2026-12-05",
    )
    lines = precision_lines(data)
    assert lines["KB113"] == "precision on real articles: 9/10 right, 1 debatable (fresh sample, 2026-12-05)"
    assert lines["KB308"].startswith("precision on real articles: none of its judged findings reported now")
    assert "(baseline sample, 2026-12-05)" in lines["KB308"]


def test_a_missing_or_broken_data_file_gives_no_lines(tmp_path: Path) -> None:
    assert precision_lines(tmp_path / "absent.yml") == {}
    broken = tmp_path / "broken.yml"
    broken.write_text("rules: [unclosed\n", encoding="utf-8")
    assert precision_lines(broken) == {}


def test_the_line_sits_under_its_rule_in_text_and_markdown() -> None:
    rule = REGISTRY["KB113"]
    line = "precision on real articles: 9/10 right (fresh sample, 2026-12-05)"
    text = reference([rule], precision={"KB113": line})
    assert text.splitlines()[1] == f"    {line}"
    markdown = reference([rule], markdown=True, precision={"KB113": line})
    assert f"Measured {line}.\n" in markdown
    assert line not in reference([rule])  # the internal site's reference is unchanged without it


def test_every_judged_rule_has_its_line_in_kb_rules() -> None:
    judged = {row.rule for path in (JUDGED, FRESH) for row in read_judged(path)}
    shipped = precision_lines(PRECISION_DATA)
    assert judged <= shipped.keys(), "run python -m benchmarks --precision and commit the data file"
    result = CliRunner().invoke(main, ["rules", *sorted(judged)])
    assert result.exit_code == 0, result.output
    for rule in judged:
        block = result.output.split(f"{rule}  ", 1)[1]
        assert block.splitlines()[1].strip() == shipped[rule]
