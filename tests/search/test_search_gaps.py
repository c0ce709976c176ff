"""`kb report search-gaps --from FILE`: zero-result and no-click searches per language from an
exported search log, scrubbed of e-mail addresses and long numbers."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main
from generator.reports.search import scrub, search_gaps

CONFIG = Path(__file__).parents[2] / "site_config.yml"


def kb(*args: str) -> Result:
    return CliRunner().invoke(
        main, ["report", "search-gaps", "--config", str(CONFIG), *args], catch_exceptions=False
    )


def test_csv_log_gives_zero_result_and_no_click_queries_per_language_most_frequent_first(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "query,results,clicked,lang\n"
        "export to pdf,0,,en\n"
        "Export to  PDF,0,,en\n"
        "dark mode,0,,en\n"
        "refund,3,/request-refund/,en\n"
        "invoice address,2,,en\n"
        "导出pdf,0,,zh\n",
        encoding="utf-8",
    )
    report = search_gaps(log, "en")
    en, zh = report.languages
    assert (en.lang, en.searches) == ("en", 5)
    assert [(g.query, g.searches) for g in en.zero_results] == [("export to pdf", 2), ("dark mode", 1)]
    assert [g.query for g in en.no_click] == ["invoice address"]
    assert [g.query for g in zh.zero_results] == ["导出pdf"]


def test_json_lines_as_the_analytics_hook_sends_them_and_personal_data_never_shows(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    records = [
        {"query": "ana@example.com cannot log in", "lang": "es", "results": 0, "clicked": None},
        {"query": "charged 4111 1111 1111 1111 twice", "results": 2},  # no lang: the default's
        {"query": "DS-1001", "lang": "en", "result_count": 1, "clicked_url": "/ds-1001-invalid-credentials/"},
    ]
    log.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = kb("--from", str(log), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert "ana@example.com" not in result.output and "4111" not in result.output
    by_lang = {lang["lang"]: lang for lang in data["languages"]}
    assert by_lang["es"]["zero_results"] == [{"query": "[email] cannot log in", "searches": 1}]
    assert by_lang["en"]["no_click"] == [{"query": "charged [number] twice", "searches": 1}]


def test_scrub_keeps_error_codes_and_short_numbers() -> None:
    assert scrub("DS-1001 after 30 days, ticket 1234567") == "ds-1001 after 30 days, ticket [number]"


def test_a_bad_log_is_a_usage_error_on_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "log.jsonl"
    bad.write_text('{"query": "a", "results": 0}\nnot json\n', encoding="utf-8")
    result = kb("--from", str(bad))
    assert result.exit_code == 2 and "log.jsonl:2: not a JSON object" in result.output
    wrong = tmp_path / "log.csv"
    wrong.write_text("term,count\nrefund,0\n", encoding="utf-8")
    result = kb("--from", str(wrong))
    assert result.exit_code == 2 and "log.csv:1: a CSV export needs a header with query" in result.output
    count = tmp_path / "count.csv"
    count.write_text("query,results\nrefund,many\n", encoding="utf-8")
    result = kb("--from", str(count))
    assert result.exit_code == 2 and "count.csv:2: result count 'many' is not a number" in result.output
