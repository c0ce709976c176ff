"""`kb report search` on the sample as built by the real pipeline: the evaluation set run through
Pagefind's own pagefind.js and the theme's kb-search-query.js under Node, and the gate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.config import load_config
from generator.pipeline import build
from generator.pipeline.index.relaxed import search_site
from tests.pipeline.verify.conftest import TODAY

ROOT = Path(__file__).parents[2]
CONFIG = ROOT / "site_config.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("search-build")
    result = build(load_config(CONFIG), TODAY, out)
    assert result.published, result.check.findings
    yield out


def kb(*args: str) -> Result:
    return CliRunner().invoke(
        main, ["report", "search", "--config", str(CONFIG), *args], catch_exceptions=False
    )


def test_the_sample_meets_its_gate(built: Path) -> None:
    result = kb("--site", str(built), "--format", "json")
    assert result.exit_code == 0, result.output[-3000:]
    report = json.loads(result.output)
    quality = load_config(CONFIG).search.quality
    overall = report["overall"]
    assert report["passed"] and overall["queries"] >= 150
    assert overall["top3"] >= quality.min_top3 and overall["zero_results"] == 0
    langs = {f["name"] for f in report["by_lang"]}
    assert langs == {"en", "zh", "es"}


def test_text_report_names_the_figures_and_the_verdict(built: Path) -> None:
    result = kb("--site", str(built))
    assert result.exit_code == 0
    assert "top-1" in result.output and "MRR" in result.output
    assert result.output.rstrip().endswith("The search.quality gate holds.")


def test_a_set_the_site_cannot_answer_fails_the_gate(built: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text(
        "lang\tquery\tanswers\tkind\n"
        "en\trefund\trequest-refund\tkeyword\n"
        "en\trefund\thipaa-baa\tkeyword\n"  # answered by another article: a miss
        "en\tqqzzx vvkkpw\treset-password\tsymptom\n",  # nothing near: found nothing
        encoding="utf-8",
    )
    result = kb("--site", str(built), "--queries", str(queries))
    assert result.exit_code == 1
    assert "FAIL: top-3 33.3% is below search.quality's 95.0%" in result.output
    assert "FAIL: 1 queries found nothing" in result.output
    assert "qqzzx vvkkpw" in result.output.split("Found nothing:")[1]


def test_no_built_site_or_a_bad_set_is_a_usage_error(built: Path, tmp_path: Path) -> None:
    missing = kb("--site", str(tmp_path))
    assert missing.exit_code == 2 and "no built public site" in missing.output
    bad = tmp_path / "bad.tsv"
    bad.write_text("lang\tquery\tanswers\tkind\nen\tonly two\n", encoding="utf-8")
    result = kb("--site", str(built), "--queries", str(bad))
    assert result.exit_code == 2 and "bad.tsv:2:" in result.output


def test_relaxing_costs_at_most_one_extra_round_of_index_chunks(built: Path) -> None:
    config = load_config(CONFIG)
    queries = [
        ("en", "why was I billed two times in November"),  # relaxed
        ("en", "pasword reset"),  # corrected: the one extra round
        ("zh", "导出"),  # the default language's index too
        ("zh", "重置"),  # words starting with 重 in two index chunks: both loaded, in one round
    ]
    found = search_site(built / "public", config.languages, queries)
    assert [s.extra_rounds <= 1 for s in found] == [True] * 4
    assert "/zh/reset-password/" in found[3].shown[:3], found[3].shown
    assert found[0].relaxed and found[1].corrected == "password reset"
    assert any(u.endswith("/bulk-export-limits/") for u in found[2].shown[:3])
