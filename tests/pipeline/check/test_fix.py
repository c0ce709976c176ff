"""`kb check --fix` (pipeline/check/fix.py): what it writes, and what it leaves alone."""

from __future__ import annotations

import codecs
from pathlib import Path

from click.testing import CliRunner

from benchmarks.corpora import copy_wrapped
from generator import cli
from generator.config import load_config
from generator.pipeline import check as checker
from generator.pipeline.check.fix import _blocks, fix
from tests.conftest import RULE_FIXTURES, TODAY, Project
from tests.shapes import commonmark, lists_part_ways, renderer
from tests.test_checker_real_articles import CORPORA, PROJECT_CONFIG

BAD_LISTS = (RULE_FIXTURES / "KB116" / "bad.md").read_text(encoding="utf-8")


def lines_of(project: Project, code: str) -> list[int]:
    return [f.line for f in project.check().findings if f.rule == code]


def test_kb116_fix_indents_so_the_site_reads_the_lists_as_github_does(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    path = project.write("alerts.md", BAD_LISTS)
    assert lines_of(project, "KB116") and lists_part_ways(BAD_LISTS)

    [fixed] = fix(project.config())
    assert (fixed.path, fixed.codes) == ("kb_source/alerts.md", ("KB116",))
    text = path.read_text(encoding="utf-8")
    assert "\n    ![The profile page" in text and "\n    - new invoices" in text
    assert lines_of(project, "KB116") == []
    assert not lists_part_ways(text)
    assert _blocks(text.split("\n---\n", 1)[1]) == _blocks(BAD_LISTS.split("\n---\n", 1)[1])
    assert fix(project.config()) == ()  # nothing left to fix


def test_a_fix_keeps_line_endings_byte_order_mark_and_front_matter(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    raw = codecs.BOM_UTF8 + BAD_LISTS.replace("\n", "\r\n").encode("utf-8")
    path = project.write("alerts.md", raw)
    assert fix(project.config())
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data.count(b"\r\n") == raw.count(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    head = BAD_LISTS.split("\n---\n", 1)[0]
    assert data.decode("utf-8-sig").replace("\r\n", "\n").startswith(head + "\n---\n")
    assert lines_of(project, "KB116") == []


def test_a_suppressed_rule_a_quote_and_a_symbolic_link_are_left_alone(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    suppression = "<!-- kb-disable KB116: the renderer is changing -->"
    suppressed = BAD_LISTS.replace("## Tips", f"{suppression}\n\n## Tips")
    project.write("suppressed.md", suppressed)
    quoted = BAD_LISTS.replace("- Alerts come for:\n  - new", "> - Alerts come for:\n>   - new")
    quoted = quoted.replace("\n  - failed exports", "\n>   - failed exports")
    project.write("quoted.md", quoted)
    (project.source / "link.md").symlink_to(project.source / "quoted.md")

    fixed = {f.path for f in fix(project.config())}
    assert fixed == {"kb_source/quoted.md"}  # its other blocks are fixed
    assert (project.source / "suppressed.md").read_text(encoding="utf-8") == suppressed
    assert (project.source / "link.md").is_symlink()
    text = (project.source / "quoted.md").read_text(encoding="utf-8")
    assert ">   - new invoices" in text  # inside the quote: left to the writer
    found = project.check().findings
    # One finding for the list, on its first line to indent.
    assert [f.line for f in found if f.path == "kb_source/quoted.md" and f.rule == "KB116"] == [30]


def test_kb_check_fix_says_what_it_fixed_then_checks(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("alerts.md", BAD_LISTS)
    args = ["check", "--fix", "--config", str(project.config_path), "--today", "2026-11-23"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert "kb_source/alerts.md: fixed KB116" in result.output
    assert "0 error(s)" in result.output


def test_kb118_fix_adds_the_blank_line_the_site_needs_before_a_list(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    bad = (RULE_FIXTURES / "KB118" / "bad.md").read_text(encoding="utf-8")
    path = project.write("alerts.md", bad)
    assert lines_of(project, "KB118") and lists_part_ways(bad)
    assert [f.codes for f in fix(project.config(), selected=("KB118",))] == [("KB118",)]
    text = path.read_text(encoding="utf-8")
    assert "Alerts also come for:\n\n- exports" in text
    assert "> Note:\n>\n> - Alerts" in text  # inside a quote, the blank line is a line of its `>`
    assert "    Try these:\n\n    - Ask" in text
    assert lines_of(project, "KB118") == []
    assert not lists_part_ways(text)


def test_on_real_articles_the_fixes_leave_fewer_pages_whose_lists_the_site_misreads(tmp_path: Path) -> None:
    root = tmp_path / "project"
    copy_wrapped(CORPORA, root, PROJECT_CONFIG)
    config = load_config(root / "site_config.yml")
    pages = sorted(config.source_path.rglob("*.md"))

    def bodies() -> dict[Path, str]:
        return {p: p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in pages}

    before = bodies()
    fixed = fix(config, selected=("KB116", "KB118", "KB119"))
    after = bodies()
    assert len(fixed) >= 10
    assert checker.check(config, TODAY, selected=("KB116", "KB118", "KB119"), use_cache=False).findings == ()
    for page in pages:  # GitHub reads every page as before
        assert _blocks(after[page]) == _blocks(before[page]), page
    misread_before = {p for p in pages if lists_part_ways(before[p])}
    misread_after = {p for p in pages if lists_part_ways(after[p])}
    assert misread_after < misread_before, sorted(p.name for p in misread_after)


def test_a_rule_turned_off_in_the_configuration_fixes_nothing(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("alerts.md", BAD_LISTS)
    project.set_config("rules:\n  KB116: off\n")
    assert fix(project.config()) == ()
    assert (project.source / "alerts.md").read_text(encoding="utf-8") == BAD_LISTS


def test_kb119_fix_marks_the_elements_whose_markdown_the_site_then_renders(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    bad = (RULE_FIXTURES / "KB119" / "bad.md").read_text(encoding="utf-8")
    path = project.write("alerts.md", bad)
    assert fix(project.config(), selected=("KB119",))
    text = path.read_text(encoding="utf-8")
    assert "<details markdown>" in text and "<div markdown>" in text
    assert "<table>" in text and "<td markdown>" not in text  # no attribute makes a cell render Markdown
    details = text[text.index("<details") : text.index("</details>")]
    assert renderer(details) == commonmark(details)
    assert [f.line for f in project.check().findings if f.rule == "KB119"] == [58, 59, 59]


def test_an_article_with_variables_or_snippets_is_not_rewritten(tmp_path: Path) -> None:
    """A fix reads the expanded body: written back, it would replace `{{ }}` and includes with
    their text. Such a file is left to the writer, who still gets the finding."""
    project = Project(tmp_path / "project")
    text = BAD_LISTS.replace(
        "## Tips\n", "## Tips\n\n- Starter replies within {{ plans.starter.p1_first_response }}.\n", 1
    )
    assert text != BAD_LISTS
    project.write("alerts.md", text)
    assert fix(project.config()) == ()
    assert (project.source / "alerts.md").read_text(encoding="utf-8") == text
    assert lines_of(project, "KB116")
