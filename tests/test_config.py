"""site_config.yml -> SiteConfig: every block typed with its defaults, rule names checked against the
registry, and the one way to tell an article's language."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import cli
from generator.config import (
    DEFAULT_FEATURES,
    ENGLISH_SECTIONS,
    Channel,
    ConfigError,
    Language,
    Review,
    SiteConfig,
    config_from_mapping,
)
from generator.model import Audience, Severity
from generator.pipeline.stage.languages import word
from generator.rules import ALIASES


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


# --- every block typed, its defaults in one place ---------------------------------------------


def test_an_absent_block_reads_as_its_defaults() -> None:
    cfg = config()
    assert cfg.site.description == "" and cfg.site.source_dir == "kb_source"
    assert (cfg.review.default_interval_days, cfg.review.due_soon_days) == (180, 14)
    assert cfg.compliance.sensitive_categories == ("security",)
    assert cfg.compliance.sensitive_tags == ("security", "privacy", "legal", "refunds")
    assert cfg.compliance.allowed_contacts == () and dict(cfg.compliance.identifier_patterns) == {}
    assert (cfg.style.max_grade, cfg.style.min_words_for_grade, cfg.style.max_sentence_words) == (8, 100, 25)
    assert cfg.contact.channels == () and cfg.featured == ()
    assert cfg.build.features == DEFAULT_FEATURES and cfg.search.enabled is True
    assert dict(cfg.severities) == {}


def with_blocks(**blocks: Any) -> SiteConfig:
    data: dict[str, Any] = {
        "site": {
            "name": "Help",
            "public_url": "https://help.example/",
            "internal_url": "https://agents.example/",
        },
        "categories": [{"id": "billing", "title": "Billing", "description": "Plans and invoices."}],
        **blocks,
    }
    return config_from_mapping(data, Path("/project"))


def test_a_block_keeps_what_it_does_not_name_at_its_default() -> None:
    cfg = with_blocks(review={"due_soon_days": 30}, style={"max_grade": 9.5, "tone": {"ASAP": "by Friday"}})
    assert cfg.review == Review(default_interval_days=180, due_soon_days=30)
    assert cfg.style.max_grade == 9.5 and cfg.style.max_sentence_words == 25
    assert dict(cfg.style.tone) == {"ASAP": "by Friday"}


def test_lists_are_tuples_and_mappings_read_only() -> None:
    cfg = with_blocks(compliance={"agent_only_terms": ["Jira"], "identifier_patterns": {"ticket": "#\\d+"}})
    assert cfg.compliance.agent_only_terms == ("Jira",)
    with pytest.raises(TypeError):
        cfg.compliance.identifier_patterns["other"] = "x"  # type: ignore[index]


def test_an_empty_feature_list_keeps_the_default_features() -> None:
    assert with_blocks(build={"features": []}).build.features == DEFAULT_FEATURES
    assert with_blocks(build={"features": ["toc.follow"]}).build.features == ("toc.follow",)


def test_categories_carry_their_titles_per_language() -> None:
    cfg = with_blocks(
        categories=[
            {"id": "billing", "title": "Billing", "description": "Plans.", "titles": {"zh": "账单"}},
        ],
        languages=[{"code": "zh", "name": "中文"}],
    )
    billing, zh, en = cfg.categories[0], cfg.language("zh"), cfg.language("en")
    assert (billing.title_in(zh), billing.description_in(zh)) == ("账单", "Plans.")
    assert billing.title_in(en) == "Billing"


def test_contact_channels_are_typed_and_say_where_they_show() -> None:
    cfg = with_blocks(
        contact={
            "channels": [
                {"channel": "email", "label": "Email", "value": "help@example.com", "plans": ["Pro"]},
                {"channel": "phone", "label": "Escalation", "value": "+1 555 0100", "audience": "internal"},
            ]
        }
    )
    email, phone = cfg.contact.channels
    assert email == Channel("email", "Email", "help@example.com", ("Pro",))
    assert phone.plans is None and phone.audience is Audience.INTERNAL
    assert [c.shown_on(Audience.PUBLIC) for c in (email, phone)] == [True, False]
    assert [c.shown_on(Audience.INTERNAL) for c in (email, phone)] == [True, True]


@pytest.mark.parametrize(
    ("contact", "named"),
    [
        ({"channels": [{"channel": "email", "label": "Email", "email": "a@b.example"}]}, "email"),
        (
            {"channels": [{"channel": "email", "label": "Email", "value": "a@b.example", "audience": "x"}]},
            "x",
        ),
        ({"channel": []}, "channel"),
    ],
)
def test_a_contact_the_site_would_not_show_is_refused(contact: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        with_blocks(contact=contact)


# --- rules: names checked against the registry --------------------------------------------------


def test_rules_take_a_code_or_an_alias_and_keep_the_code() -> None:
    cfg = with_blocks(rules={"KB109": "warning", "steps-not-numbered": "off"})
    assert dict(cfg.severities) == {"KB109": Severity.WARNING, ALIASES["steps-not-numbered"]: Severity.OFF}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"KB999": "off"}, r"rules\.KB999: 'KB999' names no rule"),
        ({"KB1O4": "off"}, r"rules\.KB1O4: .*did you mean KB104\?"),
        ({"steps-numbered": "off"}, r"rules\.steps-numbered: 'steps-numbered' names no rule"),
        ({"KB104": "off", "steps-not-numbered": "info"}, r"rules\.steps-not-numbered: KB104 is already set"),
        ({"kb104": "off"}, r"rules\.kb104: 'kb104' names no rule \(did you mean KB104\?\)"),
        ({"KB1": "off"}, r"rules\.KB1: 'KB1' names \d+ rules: set a severity per rule"),
        ({104: "off"}, r"rules: 104 is not of type 'string'"),
    ],
)
def test_a_rule_name_that_names_no_rule_is_refused(rules: dict[Any, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        with_blocks(rules=rules)


def test_a_misnamed_rule_is_a_configuration_error_exit_2(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "site_config.yml").read_text(encoding="utf-8")
    (tmp_path / "site_config.yml").write_text(
        text.replace("KB109: warning", "KB990: warning"), encoding="utf-8"
    )
    result = CliRunner().invoke(cli.main, ["check", "--config", str(tmp_path / "site_config.yml")])
    assert result.exit_code == 2
    assert "rules.KB990: 'KB990' names no rule" in result.output


def test_the_rules_import_the_config_for_type_hints_only() -> None:
    """generator.config imports the rule registry; a rule module importing generator.config while
    it loads would be an import cycle."""
    code = "import sys, generator.rules; print('generator.config' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


# --- the language of an article -----------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    lang: str | None


def test_language_of_reads_lang_else_the_default() -> None:
    cfg = config([ZH, {"code": "es-MX", "name": "Español"}])
    assert cfg.language_of(Written(None)) == cfg.language("en") and cfg.language_of(Written(None)).default
    assert cfg.language_of(Written("zh")).sections["steps"] == "操作步骤"
    assert (cfg.language_of(Written("es-MX")).code, cfg.language_of(Written("es-MX")).base) == ("es-MX", "es")
    assert cfg.language_of(Written("fr")) == Language("fr", "fr")  # not configured (KB007 says so)
