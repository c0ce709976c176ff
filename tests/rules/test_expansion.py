"""KB008-KB010 in a whole check: where findings in included text are reported, what the cache
does when a variable changes, redirects claimed twice, and bad input as findings."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.config import load_config
from generator.pipeline import check as checker
from generator.pipeline.check import check_and_load
from tests.conftest import BODY, TODAY, Project, article_text

STEPS = "2. Turn on **Sample feature**.\n"


def with_step(extra: str) -> str:
    return BODY.replace(STEPS, STEPS + extra)


def test_a_finding_in_a_snippet_is_reported_at_the_include_and_the_snippet_line(project: Project) -> None:
    # Placeholder text (KB111) on the snippet's second line, file line 5.
    project.write("_snippets/steps.md", "---\naudience: public\n---\nFirst line.\nTODO: say which button.\n")
    target = project.write("sample.md", article_text(with_step('\n{% include "steps.md" %}\n')))
    text = target.read_text()
    include_line = text.split("\n").index('{% include "steps.md" %}') + 1
    found = [f for f in project.check().findings if f.path == "kb_source/sample.md"]
    from_snippet = [f for f in found if "[from kb_source/_snippets/steps.md:5]" in f.message]
    assert [(f.rule, f.line) for f in from_snippet] == [("KB111", include_line)], found
    # Lines after the include are where they are written, although the snippet added a line.
    assert all(f.line <= len(text.split("\n")) for f in found)


def test_snippet_files_are_not_pages(project: Project) -> None:
    project.write("_snippets/bare.md", "No front matter here.\n")
    project.write("_data/notes.md", "Neither is this.\n")
    result = project.check()
    assert not [f for f in result.findings if "_snippets" in f.path or "_data" in f.path]


def test_a_snippet_named_on_the_command_line_is_not_checked_as_a_page(project: Project) -> None:
    snippet = project.write("_snippets/bare.md", "No front matter here.\n")
    data = project.write("_data/plans.yml", "starter: {name: Starter}\n")
    for paths in ([snippet], [snippet.parent], [data]):
        assert project.check(paths).findings == ()


def test_a_data_file_that_is_not_yaml_is_a_finding_where_it_is_used(project: Project) -> None:
    project.write("_data/prices.yml", "starter: [unclosed\n")
    project.write("sample.md", article_text(with_step("3. Pay {{ prices.starter }} a month.\n")))
    (message,) = project.messages("KB008")
    assert message.startswith("'prices' cannot be used: kb_source/_data/prices.yml:")


def test_changing_a_variable_changes_the_articles_that_use_it_and_only_those(project: Project) -> None:
    project.write(
        "uses.md", article_text(with_step("3. Reply within {{ plans.starter.p1_first_response }}.\n"))
    )
    project.write("other.md", article_text(id="other-article", title="How do I use another feature?"))
    config = project.config()
    before = {a.path: a.body for a in check_and_load(config, TODAY)[1]}
    data = project.source / "_data" / "plans.yml"
    data.write_text(data.read_text().replace("24 hours", "36 hours"))
    after = {a.path: a.body for a in check_and_load(config, TODAY)[1]}  # the cache must not hide it
    changed = sorted(p for p in before if before[p] != after[p])
    assert changed == ["kb_source/uses.md"]
    assert "Reply within 36 hours." in after["kb_source/uses.md"]


def test_a_cached_check_sees_a_renamed_variable(project: Project) -> None:
    project.write(
        "uses.md", article_text(with_step("3. Reply within {{ plans.starter.p1_first_response }}.\n"))
    )
    assert not project.messages("KB008")
    data = project.source / "_data" / "plans.yml"
    data.write_text(data.read_text().replace("p1_first_response: 24 hours", "p1_reply: 24 hours"))
    assert project.messages("KB008") == [
        "'plans.starter.p1_first_response' is not defined; did you mean 'plans.enterprise.p1_first_response'?"
    ]


def test_an_old_id_claimed_by_two_articles_is_reported_in_both(project: Project) -> None:
    project.write("a.md", article_text(redirect_from="[old-feature]"))
    project.write(
        "b.md",
        article_text(
            id="other-article", title="How do I use another feature?", redirect_from="[old-feature]"
        ),
    )
    found = sorted((f.path, f.line) for f in project.check().findings if f.rule == "KB010")
    assert found == [("kb_source/a.md", 8), ("kb_source/b.md", 8)]


def test_a_translation_may_repeat_its_sources_old_ids(project: Project) -> None:
    project.write("a.md", article_text(redirect_from="[old-feature]"))
    project.write("zh/a.md", article_text(lang="zh", redirect_from="[old-feature]"))
    assert not [f for f in project.check().findings if f.rule == "KB010"]


def test_the_real_sample_has_no_expansion_findings(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "kb_source", tmp_path / "kb_source")
    shutil.copy(root / "site_config.yml", tmp_path / "site_config.yml")
    result = checker.check(load_config(tmp_path / "site_config.yml"), TODAY, use_cache=False)
    assert not [f for f in result.findings if f.rule in ("KB008", "KB009", "KB010")]
