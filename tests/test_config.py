"""site_config.yml -> SiteConfig: the `languages:` block, read here for every other module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import ENGLISH_SECTIONS, ConfigError, config_from_mapping
from generator.pipeline.stage.languages import word


def config(languages: list[dict[str, Any]] | None = None, default: str = "en") -> Any:
    data: dict[str, Any] = {
        "site": {
            "name": "Help",
            "public_url": "https://help.example/",
            "internal_url": "https://agents.example/",
            "default_language": default,
        },
        "categories": [{"id": "billing", "title": "Billing", "description": "Plans and invoices."}],
    }
    if languages is not None:
        data["languages"] = languages
    return config_from_mapping(data, Path("/project"))


ZH = {
    "code": "zh",
    "name": "中文",
    "question_marks": ["？", "?"],
    "sections": {"steps": "操作步骤"},
    "strings": {"home": "主页"},
}


def test_default_language_first_and_added_when_not_listed() -> None:
    langs = config([ZH]).languages
    described = [(lang.code, lang.prefix, lang.default) for lang in langs]
    assert described == [("en", "", True), ("zh", "zh/", False)]
    assert langs[0].sections == ENGLISH_SECTIONS
    assert config().languages == config([{"code": "en", "name": "en"}]).languages


def test_default_first_whatever_the_configured_order() -> None:
    langs = config([ZH, {"code": "es", "name": "Español"}, {"code": "de", "name": "Deutsch"}], "de").languages
    assert [lang.code for lang in langs] == ["de", "zh", "es"]


def test_a_language_fills_in_what_it_does_not_name() -> None:
    zh = config([ZH]).language("zh")
    assert zh.name == "中文"
    assert zh.sections["steps"] == "操作步骤"
    assert zh.sections["tips"] == "Tips"  # not configured: the English heading
    assert zh.question_marks == ("？", "?")
    assert config([ZH]).language("en").question_marks == ("?",)


def test_an_unconfigured_language_reads_as_english_headings() -> None:
    fr = config([ZH]).language("fr")
    assert (fr.code, fr.sections, fr.question_marks, fr.default) == ("fr", ENGLISH_SECTIONS, ("?",), False)


def test_words_as_configured_then_built_in_then_english() -> None:
    cfg = config([ZH, {"code": "es-MX", "name": "Español"}, {"code": "fr", "name": "Français"}])
    assert word(cfg.language("zh"), "home") == "主页"  # configured
    assert word(cfg.language("zh"), "featured") == "热门文章"  # built in
    assert word(cfg.language("es-MX"), "home") == "Inicio"  # built in for its base language
    assert word(cfg.language("fr"), "home") == "Home"  # no French built in


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"code": "zh", "name": "中文", "section": {"steps": "操作步骤"}}, "section"),
        ({"code": "zh", "name": "中文", "strings": {"hom": "主页"}}, "hom"),
        ({"code": "zh", "name": "中文", "strings": {"home": 5}}, "5"),
        ({"code": "zh"}, "name"),
    ],
)
def test_a_language_entry_the_tool_would_ignore_is_refused(entry: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        config([entry])
