"""pipeline/check: severities from config, inline suppressions, and path selection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import Finding, Severity
from generator.pipeline.check import severity_of
from tests.conftest import BODY, Project, article_text

NO_SCREENSHOT = BODY.replace(
    "    ![The settings page with the sample feature switch](images/sign-in.svg)\n\n", ""
)


def codes(findings: tuple[Finding, ...]) -> list[tuple[str, str, Severity]]:
    return [(f.path.rsplit("/", 1)[-1], f.rule, f.severity) for f in findings]


def test_clean_project_has_no_findings(project: Project) -> None:
    project.write("a.md", article_text())
    result = project.check()
    assert result.findings == ()
    assert result.files == 5


def test_rule_default_severity_when_not_configured(project: Project) -> None:
    project.set_config("rules: {}\n")
    project.write("a.md", article_text(body=NO_SCREENSHOT))
    assert codes(project.check().findings) == [("a.md", "KB109", Severity.WARNING)]


@pytest.mark.parametrize("level", ["error", "warning", "info"])
def test_severity_from_config(project: Project, level: str) -> None:
    project.set_config(f"rules:\n  KB109: {level}\n")
    project.write("a.md", article_text(body=NO_SCREENSHOT))
    result = project.check()
    assert codes(result.findings) == [("a.md", "KB109", Severity(level))]
    assert result.errors == (level == "error")
    assert result.warnings == (level == "warning")
    assert severity_of("KB109", project.config()) is Severity(level)


def test_severity_off_drops_the_finding(project: Project) -> None:
    project.set_config("rules:\n  KB109: off\n  KB111: off\n")
    project.write("a.md", article_text(body=NO_SCREENSHOT.replace("Turn on", "TODO turn on")))
    assert project.check().findings == ()


def test_config_can_downgrade_a_loader_finding(project: Project) -> None:
    project.set_config("rules:\n  KB002: warning\n")
    project.write("a.md", "No front matter.\n")
    result = project.check()
    assert codes(result.findings) == [("a.md", "KB002", Severity.WARNING)]
    assert result.errors == 0


def test_suppression_with_reason_silences_the_rule(project: Project) -> None:
    body = NO_SCREENSHOT.replace(
        "\n## Prerequisites", "\n<!-- kb-disable KB109: keyboard only -->\n\n## Prerequisites"
    )
    project.write("a.md", article_text(body=body))
    assert project.check().findings == ()


def test_suppression_is_per_file(project: Project) -> None:
    body = NO_SCREENSHOT.replace(
        "\n## Prerequisites", "\n<!-- kb-disable KB109: keyboard only -->\n\n## Prerequisites"
    )
    project.write("a.md", article_text(body=body))
    project.write("b.md", article_text(id="other", body=NO_SCREENSHOT))
    assert codes(project.check().findings) == [("b.md", "KB109", Severity.WARNING)]


def test_suppression_without_reason_is_kb005_and_does_not_silence(project: Project) -> None:
    body = NO_SCREENSHOT.replace("\n## Prerequisites", "\n<!-- kb-disable KB109 -->\n\n## Prerequisites")
    project.write("a.md", article_text(body=body))
    findings = project.check().findings
    assert [(f.rule, f.line) for f in findings] == [("KB005", 12), ("KB109", 18)]
    assert "needs a reason" in findings[0].message


def test_suppression_of_unknown_code_is_kb005(project: Project) -> None:
    body = BODY.replace("\n## Prerequisites", "\n<!-- kb-disable KB999: no such rule -->\n\n## Prerequisites")
    project.write("a.md", article_text(body=body))
    findings = project.check().findings
    assert [(f.rule, f.line, f.severity) for f in findings] == [("KB005", 12, Severity.ERROR)]
    assert "'KB999' names no rule" in findings[0].message


def test_a_suppression_cannot_silence_what_is_found_in_suppressions(project: Project) -> None:
    body = BODY.replace(
        "\n## Prerequisites",
        "\n<!-- kb-disable KB999: no such rule -->\n<!-- kb-disable KB005: hide it -->\n\n## Prerequisites",
    )
    project.write("a.md", article_text(body=body))
    assert [(f.rule, f.line) for f in project.check().findings] == [("KB005", 12)]


def test_files_front_matter_and_suppressions_are_judged_whatever_is_selected(project: Project) -> None:
    """KB001-KB003 decide whether a file can be checked at all, and KB005 whether a suppression
    silences anything: --select chooses among the rules that read articles."""
    project.write("broken.md", "No front matter.\n")
    body = NO_SCREENSHOT.replace("\n## Prerequisites", "\n<!-- kb-disable KB109 -->\n\n## Prerequisites")
    project.write("a.md", article_text(body=body))
    found = project.check(selected=("KB101",)).findings
    assert codes(found) == [("a.md", "KB005", Severity.ERROR), ("broken.md", "KB002", Severity.ERROR)]


def test_selected_path_still_sees_the_whole_corpus(project: Project) -> None:
    # KB004 needs the other file with the same id; KB107 needs the linked articles to exist.
    target = project.write("dupe.md", article_text(id="sign-in"))
    result = project.check([target])
    assert result.files == 1
    assert [(f.path, f.rule) for f in result.findings] == [("kb_source/dupe.md", "KB004")]
    assert "kb_source/corpus/sign-in.md" in result.findings[0].message


def test_selected_folder_limits_reports_to_it(project: Project) -> None:
    project.write("other/bad.md", "no front matter\n")
    project.write("mine/a.md", article_text(body=NO_SCREENSHOT.replace("corpus/", "../corpus/")))
    result = project.check([project.source / "mine"])
    assert result.files == 1
    assert codes(result.findings) == [("a.md", "KB109", Severity.WARNING)]


def test_selected_rules(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature", body=NO_SCREENSHOT))
    assert {f.rule for f in project.check().findings} == {"KB101", "KB109"}
    assert {f.rule for f in project.check(selected=("KB101",)).findings} == {"KB101"}
    assert {f.rule for f in project.check(selected=("steps-without-screenshot",)).findings} == {"KB109"}
    assert {f.rule for f in project.check(selected=("KB10",)).findings} == {"KB101", "KB109"}


def test_findings_are_sorted_by_path_then_line(project: Project) -> None:
    project.write("b.md", article_text(id="b", title="B"))
    project.write("a.md", article_text(id="a", body=NO_SCREENSHOT.replace("Turn on", "TODO")))
    findings = project.check().findings
    assert [f.sort_key() for f in findings] == sorted(f.sort_key() for f in findings)
    assert findings[0].path == "kb_source/a.md"


def test_internal_pages_skip_public_only_rules_and_pages_skip_structure(project: Project) -> None:
    page = "---\nid: notes\ntitle: Notes\ncategory: account\naudience: internal\ntype: page\nowner: A\n"
    page += "last_reviewed: 2026-10-01\n---\n\nFree-form notes for agents.\n"
    project.write("notes.md", page)
    assert project.check().findings == ()


def test_links_to_non_ascii_and_spaced_file_names_resolve(project: Project) -> None:
    # markdown-it percent-encodes hrefs; the rules must compare real file names.
    body = BODY.replace("corpus/", "").replace("(images/", "(../images/")  # as seen from corpus/
    project.write("corpus/café tips.md", article_text(id="cafe-tips", body=body))
    related = "- [Café tips](<corpus/café tips.md>)\n- [How do I sign in?](corpus/sign-in.md)\n"
    project.write("a.md", article_text(body=BODY.split("- [How do I sign in")[0] + related))
    assert project.check().findings == ()


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no cache"])
def test_a_named_pipe_is_a_finding_not_a_hang(project: Project, cache: bool) -> None:
    """Reading a named pipe waits for a writer that never comes: `kb check` must report it
    (KB001, as the loader does) and go on. A real process, cut off if it hangs."""
    os.mkfifo(project.source / "x.md")
    kb = Path(sys.executable).parent / "kb"
    command = [str(kb), "check", "--today", "2026-11-23", *([] if cache else ["--no-cache"])]
    for _ in range(2):  # the second run meets the pipe where the cache would serve a file
        done = subprocess.run(command, cwd=project.root, capture_output=True, text=True, timeout=120)
        findings = [line for line in done.stdout.splitlines() if line.startswith("kb_source/")]
        pipe = "kb_source/x.md:1:1: KB001 error is a named pipe, not a Markdown file (unreadable-file)"
        assert findings == [pipe]
        assert done.returncode == 1
