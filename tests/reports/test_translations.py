"""`kb report translations`: missing and stale translations per language."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main
from generator.pipeline.load import load_site
from generator.reports.translations import translations
from tests.conftest import RULE_FIXTURES, Project

STALE = (RULE_FIXTURES / "KB205" / "bad.md").read_text(encoding="utf-8")  # kept out of date on purpose


def test_stale_translation_is_listed_with_both_dates(project: Project) -> None:
    project.write("es/export-data.md", STALE)
    report = translations(project.config(), load_site(project.config()))
    spanish = next(lang for lang in report.languages if lang.code == "es")
    assert [s.path for s in spanish.stale] == ["kb_source/es/export-data.md"]
    stale = spanish.stale[0]
    assert (str(stale.made), stale.source_path) == ("2026-06-01", "kb_source/corpus/export-data.md")
    assert stale.made < stale.changed
    assert "export-data" not in {m.id for m in spanish.missing}


def test_current_translation_is_not_stale_and_others_are_missing(project: Project) -> None:
    project.write(
        "es/export-data.md",
        STALE.replace("translation_of_date: 2026-06-01", "translation_of_date: 2026-10-01"),
    )
    report = translations(project.config(), load_site(project.config()), audience="public")
    spanish = next(lang for lang in report.languages if lang.code == "es")
    chinese = next(lang for lang in report.languages if lang.code == "zh")
    assert spanish.stale == () and spanish.translated == 1
    assert "export-data" in {m.id for m in chinese.missing}
    assert "sign-in" in {m.id for m in spanish.missing}
    assert all(m.path.startswith("kb_source/corpus/") for m in spanish.missing)


def test_orphan_translation_is_reported(project: Project) -> None:
    project.write("es/nothing.md", STALE.replace("id: export-data", "id: no-such-source"))
    spanish = next(
        lang
        for lang in translations(project.config(), load_site(project.config())).languages
        if lang.code == "es"
    )
    assert spanish.orphans == ("kb_source/es/nothing.md",)


def test_cli_formats(project: Project) -> None:
    project.write("es/export-data.md", STALE)
    runner = CliRunner()
    args = ["report", "translations", "--config", str(project.config_path)]
    text = runner.invoke(main, args)
    assert text.exit_code == 0, text.output
    assert "stale    kb_source/es/export-data.md  made from 2026-06-01" in text.output
    data = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    assert data["default_language"] == "en"
    codes = {lang["code"]: lang for lang in data["languages"]}
    assert codes["es"]["stale"][0]["path"] == "kb_source/es/export-data.md"
    markdown = runner.invoke(main, [*args, "--format", "markdown"]).output
    assert (
        markdown.startswith("# Translations") and "| kb_source/es/export-data.md | 2026-06-01 |" in markdown
    )
