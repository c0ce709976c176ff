"""The precision set of issue 21 (tests/precision/judged.tsv) is well formed, and `python -m
benchmarks --precision` runs on a few of its files. The precision targets are measured by that
command, not tested here."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.precision import (
    CORPORA,
    FRESH,
    JUDGED,
    SECTION,
    VERDICTS,
    Found,
    Judged,
    corpus_text,
    excerpt,
    linked_pages,
    measure,
    named_lines,
    read_judged,
    write_judged,
    write_section,
)
from benchmarks.precision_report import results_of, table
from generator.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"{CORPORA} is not on this machine")


SAMPLES = pytest.mark.parametrize("judged", [JUDGED, FRESH], ids=["baseline", "fresh"])


def test_the_baseline_holds_300_findings_and_every_fresh_sample_is_new() -> None:
    baseline, fresh = read_judged(JUDGED), read_judged(FRESH)
    assert len(baseline) >= 300 and fresh
    assert not {r.sample for r in baseline} & {r.sample for r in fresh}


@SAMPLES
def test_every_row_has_a_verdict_a_reason_and_a_registered_rule(judged: Path) -> None:
    rows = read_judged(judged)
    for row in rows:
        assert row.verdict in VERDICTS, row
        assert row.reason.strip() and row.message.strip(), row
        assert row.rule in REGISTRY, row
        assert row.severity in ("error", "warning", "info"), row
        assert row.line >= 1 and row.column >= 1 and row.draw >= 1, row
    assert len({(r.sample, r.rule, r.draw) for r in rows}) == len(rows)
    assert len({(r.sample, r.file, r.rule, r.line, r.column, r.message) for r in rows}) == len(rows)


@SAMPLES
def test_the_file_reads_back_as_written(tmp_path: Path, judged: Path) -> None:
    rows = read_judged(judged)
    copy = tmp_path / "judged.tsv"
    write_judged(copy, rows)
    assert copy.read_text(encoding="utf-8") == judged.read_text(encoding="utf-8")


@needs_corpora
@SAMPLES
def test_every_row_names_a_corpus_file_and_its_line(judged: Path) -> None:
    texts: dict[str, str] = {}
    for row in read_judged(judged):
        path = CORPORA / row.file
        assert path.is_file(), row
        text = texts.setdefault(row.file, corpus_text(path))
        assert row.line <= text.count("\n") + 1, row
        assert excerpt(text, row.line, row.column) == row.excerpt, row  # the line is the corpus file's


def _row(verdict: str, line: int, excerpt: str, rule: str = "KB404") -> Judged:
    return Judged("s", 1, "a.md", rule, "warning", line, 1, "sentence has 30 words", excerpt, verdict, "why")


def test_a_finding_whose_line_moved_is_found_by_its_excerpt() -> None:
    rows = [_row("right", 10, "First long"), _row("wrong", 20, "Second one"), _row("right", 30, "Third")]
    now = [
        Found("a.md", "KB404", "warning", 12, 1, "sentence has 31 words", "First long sentence"),
        Found("a.md", "KB404", "warning", 20, 1, "sentence has 30 words", "Second one"),
    ]
    (score,) = measure(rows, now)
    assert (score.right, score.wrong, score.debatable) == (2, 1, 0)
    # The third row's message is the second finding's, but "sentence has 30 words" names nothing.
    assert (score.wrong_reported, score.right_lost, score.reported) == (1, 1, 2)
    assert score.precision == 2 / 3 and not score.met


def test_one_finding_for_a_whole_list_keeps_the_rows_of_its_items() -> None:
    rows = [_row("right", line, f"item {line}", "KB116") for line in (54, 55, 56, 70)]
    message = "list items at lines 60-62 and 64 are indented 2 spaces, not 4"  # wrapped copy's lines
    now = [Found("a.md", "KB116", "error", 54, 1, message, "item 54", named_lines(message, -6))]
    (score,) = measure(rows, now)
    assert (score.reported, score.right_lost) == (3, 1)
    assert named_lines("lines 10, 12 and 15 to 17; line 3", 0) == {3, 10, 12, 15, 16, 17}


def test_a_rule_is_judged_on_its_latest_sample_by_what_is_still_reported() -> None:
    old = [_row("wrong", line, f"old {line}") for line in (10, 20, 30)] + [_row("right", 40, "kept")]
    fresh = [
        Judged("fresh", n, "a.md", "KB404", "warning", line, 1, "m", f"new {line}", verdict, "why")
        for n, (line, verdict) in enumerate([(50, "right"), (60, "debatable"), (70, "wrong")], 1)
    ]
    now = [
        Found("a.md", "KB404", "warning", line, 1, "m", text)
        for line, text in ((40, "kept"), (50, "new 50"), (60, "new 60"))
    ]
    scores = {"KB404": [measure(old, now)[0], measure(fresh, now)[0]]}
    (result,) = results_of(scores, ["s", "fresh"])
    assert result.fresh and result.baseline.wrong == 3 and result.baseline.wrong_reported == 0
    # The fresh sample's wrong finding is no longer reported: what is reported is right or debatable.
    assert result.latest.reported == 2 and result.share_now == 1.0 and result.met
    lost = {"KB404": [measure(old, now[1:])[0], measure(fresh, now)[0]]}
    (result,) = results_of(lost, ["s", "fresh"])
    assert result.right_lost == 1 and not result.met  # a judged-right finding of the baseline lost
    (alone,) = results_of({"KB404": [measure(old, [])[0]]}, ["s"])
    assert not alone.fresh and alone.met is None  # nothing of its only sample is reported


def test_a_rule_first_sampled_after_the_baseline_is_shown_with_its_own_sample() -> None:
    rows = [Judged("fresh", 1, "a.md", "KB122", "error", 5, 1, "m", "- x", "right", "why")]
    now = [Found("a.md", "KB122", "error", 5, 1, "m", "- x")]
    (result,) = results_of({"KB122": [measure(rows, now)[0]]}, ["baseline", "fresh"])
    assert result.fresh and not result.in_baseline and result.met
    (line,) = [row for row in table([result]) if row.startswith("| KB122")]
    assert "| 0 | - | - | fresh |" in line  # no baseline rows, not "(baseline only)"


def test_the_section_replaces_its_own_and_leaves_the_others(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Results\n\n## kb check\n\nkept\n\n{SECTION}\n\nold\n\n## Later\n\nalso kept\n")
    write_section(results, [SECTION, "", "new"])
    assert (
        results.read_text()
        == f"# Results\n\n## kb check\n\nkept\n\n{SECTION}\n\nnew\n\n## Later\n\nalso kept\n"
    )
    write_section(results, [SECTION, "", "newer"])
    assert results.read_text().count(SECTION) == 1 and "newer" in results.read_text()


@needs_corpora
def test_python_m_benchmarks_precision_runs_on_a_few_files(tmp_path: Path) -> None:
    rows = read_judged(JUDGED)
    links = {f: len(linked_pages(f, corpus_text(CORPORA / f), CORPORA)) for f in {r.file for r in rows}}
    few = sorted(links, key=lambda f: (links[f], f))[:3]  # the files that need fewest pages beside them
    subset = [r for r in rows if r.file in few]
    judged = tmp_path / "subset.tsv"
    write_judged(judged, subset)
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Other\n\nkept\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--precision",
            "--judged",
            str(judged),
            "--results",
            str(results),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "| Rule | Severity | Baseline judged | Baseline right / wrong / debatable |" in run.stdout
    for rule, n in Counter(r.rule for r in subset).items():
        assert any(
            line.startswith(f"| {rule} ") and f"| {n} |" in line for line in run.stdout.splitlines()
        ), rule
    written = results.read_text(encoding="utf-8")
    assert "## Other\n\nkept\n" in written and SECTION in written


def test_a_finding_moved_to_the_line_of_its_link_is_still_the_same() -> None:
    message = "linked file 'across-faq.yml' is not a file in kb_source/"
    row = Judged("s", 1, "a.md", "KB112", "error", 56, 1, message, "[Sign up](trial.md)", "right", "why")
    moved = Found("a.md", "KB112", "error", 57, 1, message, "[FAQ](across-faq.yml)")
    far = Found("a.md", "KB112", "error", 90, 1, message, "[FAQ](across-faq.yml)")
    other = Found("a.md", "KB112", "error", 57, 1, "linked file 'other.yml' is not a file", "[x](other.yml)")
    assert measure([row], [moved])[0].right_lost == 0
    assert measure([row], [far, other])[0].right_lost == 1
