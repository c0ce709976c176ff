"""`kb new`: scaffolded articles, their placeholders, and what it refuses to do."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from generator import cli
from generator.config import load_config
from generator.pipeline import check as checker
from generator.scaffold import slug
from tests.conftest import FIXTURES, TODAY


def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "site", tmp_path / "project"))


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli.main, ["new", *args, "--config", str(root / "site_config.yml"), "--today", "2026-11-23"]
    )


def test_slug_drops_the_question_words() -> None:
    assert slug("How do I export my data?") == "export-data"
    assert slug("Why does sync fail with DS-1001?") == "sync-fail-with-ds-1001"
    assert slug("如何导出数据？") == ""


def test_new_scaffolds_a_seven_part_article_that_kb111_flags(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(root, "How do I export my data?", "--category", "billing", "--owner", "Ana Ruiz")
    assert result.exit_code == 0, result.output
    path = root / "kb_source" / "billing" / "export-data.md"
    text = path.read_text()
    assert "id: export-data\n" in text
    assert "2026-11-23" in text
    for heading in ("## Prerequisites", "## Steps", "## Tips", "## Troubleshooting", "## Related articles"):
        assert heading in text
    found = checker.check(load_config(root / "site_config.yml"), TODAY, [path])
    assert not any(f.rule in ("KB001", "KB002", "KB003") for f in found.findings)
    assert len([f for f in found.findings if f.rule == "KB111"]) >= 8


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = root / "kb_source" / "billing" / "export-data.md"
    path.write_text("mine")
    result = run(root, "How do I export my data?", "--category", "billing", "--owner", "Ana Ruiz")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_text() == "mine"


def test_new_refuses_an_id_that_is_taken(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(
        root, "How do I get my money back?", "--category", "account", "--owner", "A", "--id", "refund"
    )
    assert result.exit_code == 1
    assert "already used by kb_source/billing/refund.md" in result.output


def test_unknown_category_exits_2(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(root, "How do I export my data?", "--category", "nope", "--owner", "Ana Ruiz")
    assert result.exit_code == 2
    assert "unknown category 'nope'" in result.output


def test_a_title_without_latin_words_needs_an_id(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run(root, "如何导出数据？", "--category", "billing", "--owner", "Li Wei")
    assert result.exit_code == 1
    assert "--id" in result.output
    result = run(
        root, "如何导出数据？", "--category", "billing", "--owner", "Li Wei", "--id", "export-data-zh"
    )
    assert result.exit_code == 0, result.output


def test_new_uses_the_default_languages_headings(tmp_path: Path) -> None:
    root = project(tmp_path)
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8").replace("default_language: en", "default_language: de")
    headings = "    sections: {prerequisites: Voraussetzungen, steps: Schritte}\n"
    config.write_text(text + "languages:\n  - code: de\n    name: Deutsch\n" + headings, encoding="utf-8")
    result = run(root, "Wie exportiere ich Daten?", "--category", "billing", "--owner", "A", "--id", "export")
    assert result.exit_code == 0, result.output
    written = (root / "kb_source" / "billing" / "export.md").read_text()
    assert "## Voraussetzungen\n" in written and "## Schritte\n" in written
    assert "## Tips\n" in written  # no German heading configured: the English one
    found = checker.check(load_config(config), TODAY, [root / "kb_source" / "billing" / "export.md"])
    assert not any(f.rule in ("KB103", "KB104") for f in found.findings), found.findings
