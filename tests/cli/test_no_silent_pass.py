"""What used to pass in silence, exit 0 and "0 error(s)", is now a usage error (exit 2) that says
what is wrong and what was meant (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.conftest import Project, article_text

TODAY = "2026-11-23"


def kb(project: Project, *args: str) -> Result:
    command = [args[0], "--config", str(project.config_path), *args[1:]]
    return CliRunner().invoke(main, command, catch_exceptions=False)


@pytest.mark.parametrize(
    ("selected", "meant"),
    [("KB1O4", "KB104"), ("steps-numbered", "steps-not-numbered"), ("kbl07", "KB107")],
)
def test_a_select_that_names_no_rule_is_exit_2_with_the_closest(
    project: Project, selected: str, meant: str
) -> None:
    project.write("a.md", article_text())
    result = kb(project, "check", "--today", TODAY, "--select", selected)
    assert result.exit_code == 2
    assert f"'{selected}' names no rule (did you mean {meant}?)" in result.output


def test_kb_rules_with_an_unknown_code_is_exit_2(project: Project) -> None:
    result = CliRunner().invoke(main, ["rules", "KB999"])
    assert result.exit_code == 2 and "'KB999' names no rule" in result.output


@pytest.mark.parametrize("where", ["README.md", "../elsewhere.md"])
def test_a_file_outside_the_source_folder_is_exit_2(project: Project, where: str) -> None:
    path = (project.source / where).resolve() if where.startswith("..") else project.root / where
    path.write_text(article_text(), encoding="utf-8")
    result = kb(project, "check", "--today", TODAY, str(path))
    assert result.exit_code == 2
    assert "not in kb_source/, the only folder kb check reads" in result.output


def test_fix_with_nothing_to_fix_says_so(project: Project) -> None:
    project.write("a.md", article_text())
    result = kb(project, "check", "--today", TODAY, "--fix")
    assert result.exit_code == 0 and "kb: nothing to fix" in result.stderr


@pytest.mark.parametrize("site", ["nowhere", "half"])
def test_verify_without_a_built_pair_is_exit_2(project: Project, tmp_path: Path, site: str) -> None:
    folder = tmp_path / site
    if site == "half":
        (folder / "public").mkdir(parents=True)
        (folder / "public" / "index.html").write_text("<html></html>", encoding="utf-8")
    result = kb(project, "verify", "--today", TODAY, "--site", str(folder))
    assert result.exit_code == 2
    expected = "no such folder" if site == "nowhere" else "holds no built internal site"
    assert expected in result.output


def test_serve_refuses_a_port_that_cannot_be(project: Project) -> None:
    result = kb(project, "serve", "--port", "99999")
    assert result.exit_code == 2 and "99999 is not in the range 0<=x<=65535" in result.output


def test_serve_with_a_config_nothing_can_be_staged_from_is_exit_2(project: Project) -> None:
    text = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(
        text.replace(
            "    description: Passwords and account access.\n",
            "    description: Passwords.\n    icon: material/no-such-icon\n",
        ),
        encoding="utf-8",
    )
    project.write("a.md", article_text())
    result = kb(project, "serve", "--port", "0", "--today", TODAY)
    assert result.exit_code == 2
    assert (
        "cannot preview: site_config.yml: categories (account): icon 'material/no-such-icon'" in result.output
    )


def test_new_article_title_must_be_a_question_unless_a_page(project: Project) -> None:
    result = kb(project, "new", "Export your data", "--category", "account", "--owner", "Ana")
    assert result.exit_code == 2 and "'Export your data?'" in result.output
    result = kb(
        project, "new", "Escalation playbook", "--category", "account", "--owner", "Ana", "--type", "page"
    )
    assert result.exit_code == 0, result.output
    made = (project.source / "account" / "escalation-playbook.md").read_text(encoding="utf-8")
    assert "type: page" in made and "summary:" in made
