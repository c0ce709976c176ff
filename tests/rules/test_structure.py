"""KB113 across languages: a link leads, on each language's site, to that site's version of the
page it names (a default-language page stands in where a translation is missing)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RULE_FIXTURES, Project

ANCHOR = "the-export-button-is-greyed-out"


def _zh_export(heading: str) -> str:
    english = (RULE_FIXTURES / "corpus" / "export-data.md").read_text(encoding="utf-8")
    return english.replace("owner: Sam Ortiz\n", "owner: Sam Ortiz\nlang: zh\n").replace(
        "### The Export button is greyed out", heading
    )


def _linking(href: str) -> str:
    good = (RULE_FIXTURES / "KB113" / "good.md").read_text(encoding="utf-8")
    return good.replace("(corpus/export-data.md#steps)", f"({href})")


def test_a_stand_in_page_links_to_the_translation_of_its_target(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("alerts.md", _linking(f"corpus/export-data.md#{ANCHOR}"))
    assert project.messages("KB113") == []
    # The zh site shows alerts.md (it has no translation) and, for its link, zh/export-data.md.
    project.write("zh/export-data.md", _zh_export("### 导出按钮是灰色的"))
    [message] = project.messages("KB113")
    assert "on the 'zh' site this link leads to kb_source/zh/export-data.md" in message
    assert f"(`{{#{ANCHOR}}}`)" in message
    project.write("zh/export-data.md", _zh_export(f"### 导出按钮是灰色的 {{#{ANCHOR}}}"))
    assert project.messages("KB113") == []


def test_a_translated_page_is_not_a_stand_in(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("alerts.md", _linking(f"corpus/export-data.md#{ANCHOR}"))
    project.write("zh/export-data.md", _zh_export("### 导出按钮是灰色的"))
    # With its own zh translation, alerts.md is not on the zh site; the translation links alike.
    zh_alerts = _linking(f"export-data.md#{ANCHOR}").replace(
        "owner: Maya Chen\n", "owner: Maya Chen\nlang: zh\n"
    )
    project.write("zh/alerts.md", zh_alerts)
    [message] = project.messages("KB113")  # zh/alerts.md's own link, to its own site's page
    assert f"no heading or anchor '#{ANCHOR}' in kb_source/zh/export-data.md" in message
