"""KB006 and KB007: ids and languages that clash with the site, reported at check time.

Before these rules, `id: zh`, `id: pagefind` or `lang: fr` passed `kb check` and failed late:
a StageError or a publish error in `kb build`, or a page that silently went missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Audience
from generator.pipeline.load import load_site
from generator.pipeline.stage import StageError, Target, select, stage
from generator.reserved import SITE_NAMES, reserved_ids
from tests.conftest import Project, article_text

FIXTURE_LANGUAGES = ("en", "zh", "es")  # tests/fixtures/rules/site_config.yml


def written(page_id: str) -> str:
    """The id as YAML text: `404` alone is a number, which the schema refuses (KB003)."""
    return f'"{page_id}"' if page_id.isdigit() else page_id


def findings(project: Project, code: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in project.check().findings if f.rule == code]


@pytest.mark.parametrize("page_id", sorted({*SITE_NAMES, *FIXTURE_LANGUAGES}))
def test_every_name_the_site_uses_is_reported_at_the_id_line(project: Project, page_id: str) -> None:
    project.write("clash.md", article_text(id=written(page_id)))
    found = findings(project, "KB006")
    assert len(found) == 1, found
    line, message = found[0]
    assert line == 2
    assert f"id '{page_id}' is already taken by" in message
    assert message.endswith("choose another id (reserved-id)")


def test_the_message_says_what_takes_the_name(project: Project) -> None:
    project.write("clash.md", article_text(id="zh"))
    project.write("search.md", article_text(id="pagefind"))
    messages = {m for _, m in findings(project, "KB006")}
    assert "id 'zh' is already taken by the 中文 site (/zh/): choose another id (reserved-id)" in messages
    pagefind = "id 'pagefind' is already taken by the search index (/pagefind/): choose another id"
    assert f"{pagefind} (reserved-id)" in messages


def test_ordinary_ids_and_ids_that_only_contain_a_name_pass(project: Project) -> None:
    project.write("a.md", article_text(id="assets-export"))
    project.write("b.md", article_text(id="zh-setup"))
    project.write("c.md", article_text(id="fr"))  # not a configured language: a page like any other
    assert findings(project, "KB006") == []


def test_staging_refuses_exactly_the_ids_kb006_reports(tmp_path: Path) -> None:
    """One set for both: whatever KB006 reports, staging refuses (should severities hide it)."""
    project = Project(tmp_path / "project")
    config = project.config()
    names = reserved_ids(config.languages)
    assert set(names) == {*SITE_NAMES, *FIXTURE_LANGUAGES}
    for page_id in ("zh", "pagefind", "404", "review-queue"):
        project.write(f"{page_id}.md", article_text(id=written(page_id)))
        result = project.check()
        assert any(f.rule == "KB006" for f in result.findings), page_id
        article = next(a for a in load_site(config) if a.id == page_id)
        lang = config.languages[0]
        target = Target(config, Audience.PUBLIC, lang, config.languages)
        selections = {lang.code: select([article], target, lang)}
        with pytest.raises(StageError, match=f"id '{page_id}' is already taken by"):
            stage(target, [article], selections, tmp_path / "docs" / page_id)
        (project.source / f"{page_id}.md").unlink()


def test_unconfigured_language_is_reported_at_the_lang_line(project: Project) -> None:
    project.write("fr.md", article_text(lang="fr"))
    assert findings(project, "KB007") == [
        (
            8,
            "lang 'fr' is not a language of site_config.yml (configured: en, zh, es): "
            "add it under languages: or use one of those codes (unknown-language)",
        )
    ]


@pytest.mark.parametrize("lang", FIXTURE_LANGUAGES)
def test_configured_languages_pass(project: Project, lang: str) -> None:
    project.write("page.md", article_text(lang=lang))
    assert findings(project, "KB007") == []


def test_a_language_added_to_the_config_is_accepted(project: Project) -> None:
    project.write("fr.md", article_text(lang="fr"))
    project.replace_in_config("\ncontact:", "  - code: fr\n    name: Français\n\ncontact:")
    assert findings(project, "KB007") == []
