"""The generated mkdocs.yml, kept as golden files: tests/golden/mkdocs.{public,internal}.yml.

Regenerate after an intended change with KB_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import cli
from generator.model import Audience
from generator.pipeline import emit_configs
from generator.resources import theme_dir
from tests.pipeline.conftest import SITE_FIXTURE, config_of

GOLDEN = Path(__file__).parents[2] / "golden"


def emitted() -> dict[str, str]:
    result = emit_configs(config_of(SITE_FIXTURE), tuple(Audience))
    return {label.split("/")[0]: text.replace(str(theme_dir()), "<THEME>") for label, text in result.configs}


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_generated_mkdocs_yml_matches_golden(audience: str) -> None:
    text = emitted()[audience]
    golden = GOLDEN / f"mkdocs.{audience}.yml"
    if os.environ.get("KB_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_generated_config_disables_search_and_lists_no_articles() -> None:
    for audience, text in emitted().items():
        data = yaml.safe_load(text)
        assert data["plugins"] == []
        assert data["use_directory_urls"] is True
        assert data["theme"]["name"] == "material"
        assert data["theme"]["custom_dir"] == "<THEME>"
        files = [next(iter(entry.values())) for entry in data["nav"]]
        assert files[0] == "index.md"
        assert all(f.startswith("category/") for f in files[1:4] if f not in ("error-codes.md",))
        assert "reset-password.md" not in files
        assert data["site_url"] == (
            "https://help.fixture.example/" if audience == "public" else "https://agents.fixture.example/"
        )
    assert "category/playbooks.md" not in emitted()["public"]
    assert "category/playbooks.md" in emitted()["internal"]


def test_emit_config_prints_without_building(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli.main,
        ["build", "--emit-config", "--config", str(SITE_FIXTURE / "site_config.yml"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "# ---- mkdocs.yml for public/ ----" in result.output
    assert "site_url: https://agents.fixture.example/" in result.output
    assert not out.exists()


def test_each_language_has_its_own_site_description() -> None:
    """The sample's zh and es sites describe themselves in their language (the meta description of
    pages without a summary); a language that says nothing keeps site.description."""
    from generator.config import load_config

    config = load_config(Path(__file__).parents[3] / "site_config.yml")
    configs = dict(emit_configs(config, (Audience.PUBLIC,)).configs)
    described = {label: yaml.safe_load(text)["site_description"] for label, text in configs.items()}
    assert described["public/"] == config.site.description
    assert described["public/zh/"] == "关于 DataFlow Solutions 常见问题的解答。"
    assert described["public/es/"].startswith("Respuestas a las preguntas frecuentes")
