"""The `kb check` and `kb rules` commands: exit codes, options, output streams, colour.

Most tests drive click's CliRunner; the subprocess tests run the installed `kb` entry point."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.output.check import FORMATS
from generator.rules import REGISTRY
from tests.conftest import BODY, Project, article_text

TODAY = "2026-11-23"
KB = Path(sys.executable).parent / "kb"
NO_SCREENSHOT = BODY.replace(
    "    ![The settings page with the sample feature switch](images/sign-in.svg)\n\n", ""
)


def kb(project: Project, *args: str, env: dict[str, str] | None = None) -> Result:
    command = [args[0], "--config", str(project.config_path), "--today", TODAY, *args[1:]]
    return CliRunner().invoke(main, command, env=env, catch_exceptions=False)


def test_clean_project_exits_0(project: Project) -> None:
    project.write("a.md", article_text())
    result = kb(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Checked 5 files: 0 error(s), 0 warning(s).\n"


def test_warnings_alone_exit_0(project: Project) -> None:
    project.write("a.md", article_text(body=NO_SCREENSHOT))
    result = kb(project, "check")
    assert result.exit_code == 0
    assert "KB109 warning" in result.stdout


def test_errors_exit_1_with_one_line_per_finding(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    result = kb(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "kb_source/a.md:3:1: KB101 error title is not a question: end it with '?' ('Sample feature')"
        " (title-not-question)",
        "Checked 5 files: 1 error(s), 0 warning(s).",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--today", "2026-13-01"),
        ("check", "--today", "tomorrow"),
        ("check", "--format", "yaml"),
        ("check", "kb_source/nothing-here.md"),
        ("check", "--select"),
        ("nonsense",),
    ],
    ids=["bad-date", "not-a-date", "bad-format", "missing-path", "option-without-value", "bad-command"],
)
def test_usage_errors_exit_2(project: Project, args: tuple[str, ...]) -> None:
    command = [args[0], "--config", str(project.config_path), *args[1:]]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error" in result.stderr


def test_bad_today_names_the_option(project: Project) -> None:
    result = CliRunner().invoke(
        main, ["check", "--config", str(project.config_path), "--today", "2026-02-30"]
    )
    assert result.exit_code == 2
    assert "--today" in result.stderr and "'2026-02-30' is not a date" in result.stderr


def test_broken_config_exits_2(project: Project) -> None:
    project.config_path.write_text("site: [\n", encoding="utf-8")
    result = kb(project, "check")
    assert result.exit_code == 2
    assert "configuration error" in result.stderr and "site_config.yml:2" in result.stderr


def test_invalid_config_exits_2(project: Project) -> None:
    project.set_config("rules:\n  KB109: loud\n")
    result = kb(project, "check")
    assert result.exit_code == 2
    assert "rules.KB109" in result.stderr


def test_config_found_from_the_working_directory(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("a.md", article_text())
    monkeypatch.chdir(project.source / "corpus")
    result = CliRunner().invoke(main, ["check", "--today", TODAY])
    assert result.exit_code == 0, result.output


def test_no_config_anywhere_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "no site_config.yml" in result.stderr


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_writes_the_report_and_summarises_on_stderr(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    out = tmp_path / f"report.{fmt}"
    result = kb(project, "check", "--format", fmt, "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Checked 5 files: 1 error(s), 0 warning(s).\n"
    report = out.read_text(encoding="utf-8")
    assert "KB101" in report
    assert report == kb(project, "check", "--format", fmt).stdout


def test_json_format_on_stdout(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    data = json.loads(kb(project, "check", "--format", "json").stdout)
    assert data["summary"] == {"files": 5, "errors": 1, "warnings": 0}
    assert [(f["path"], f["rule"]) for f in data["findings"]] == [("kb_source/a.md", "KB101")]


def test_paths_and_select(project: Project) -> None:
    a = project.write("a.md", article_text(title="Sample feature"))
    project.write("b.md", article_text(id="b", body=NO_SCREENSHOT))
    result = kb(project, "check", str(a))
    assert result.stdout.endswith("Checked 1 file: 1 error(s), 0 warning(s).\n")
    result = kb(project, "check", "--select", "KB109")
    assert (result.exit_code, result.stdout.count("KB109"), "KB101" in result.stdout) == (0, 1, False)


def test_no_colour_when_not_a_terminal(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    assert "\x1b[" not in kb(project, "check").output


def test_rules_lists_every_code() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("KB")]
    assert listed == sorted(REGISTRY)
    for rule in REGISTRY.values():
        assert f"{rule.code}  {rule.alias}  [{rule.default.value}]" in result.stdout


def test_rules_markdown_and_selection() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "markdown", "KB1"])
    assert result.exit_code == 0
    headings = [line for line in result.stdout.splitlines() if line.startswith("## KB")]
    assert headings == [f"## {c} `{REGISTRY[c].alias}`" for c in sorted(REGISTRY) if c.startswith("KB1")]
    assert "**What it does**" in result.stdout


def test_a_tree_of_broken_files(project: Project, tmp_path: Path) -> None:
    """Each broken file is one finding; the check goes on past it; nothing crashes."""
    outside = tmp_path / "outside.md"
    outside.write_text(article_text(), encoding="utf-8")
    broken = {
        "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00",
        "cp1252.md": article_text(title="How do I order a café?").encode("cp1252"),
        "utf16.md": article_text().encode("utf-16"),
        "empty.md": b"",
        "no-front-matter.md": b"Just text.\n",
        "unclosed.md": b"---\nid: x\n",
        "not-yaml.md": b"---\nid: [x\n---\n",
        "list.md": b"---\n- a\n---\n",
        "bomb.md": b"---\na: &a [1, 2]\nb: [*a, *a]\n---\n",
        "impossible-date.md": article_text(id="d", last_reviewed="2026-02-30").encode(),
        "unknown-field.md": article_text(id="f", colour="red").encode(),
        "unknown-category.md": article_text(id="c", category="cooking").encode(),
    }
    for name, content in broken.items():
        project.write(f"broken/{name}", content)
    (project.source / "broken" / "outside-link.md").symlink_to(outside)
    (project.source / "broken" / "dangling.md").symlink_to(project.source / "gone.md")
    (project.source / "broken" / "folder.md").mkdir()
    project.write("zz-good.md", article_text())
    result = kb(project, "check", "--format", "json")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    findings = json.loads(result.stdout)["findings"]
    by_file: dict[str, list[str]] = {}
    for f in findings:
        by_file.setdefault(f["path"].removeprefix("kb_source/broken/"), []).append(f["rule"])
    names = {*broken, "outside-link.md", "dangling.md", "folder.md"}
    assert set(by_file) == names
    # A file the file rules stop has one finding; front matter may have several problems, all
    # reported at once, and nothing else is said of a file whose fields cannot be read.
    assert all(rules[0] in ("KB001", "KB002", "KB003") for rules in by_file.values()), by_file
    stopped = ("binary.md", "cp1252.md", "utf16.md", "folder.md", "dangling.md", "outside-link.md")
    assert all(by_file[name] == ["KB001"] for name in stopped), by_file
    # Where only a field is wrong, that field is the one front-matter finding, and the rules that
    # read the body still run (here they find the sample's links, relative to another folder).
    for name in ("impossible-date.md", "unknown-field.md", "unknown-category.md"):
        assert by_file[name][0] == "KB003" and by_file[name].count("KB003") == 1, (name, by_file[name])
        assert "KB107" in by_file[name], (name, by_file[name])
    assert json.loads(result.stdout)["summary"]["files"] == len(names) + 5


# --- the installed entry point, in real processes ---------------------------------------------


def run_kb(
    project: Project, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    assert KB.exists(), f"the kb entry point is not installed next to {sys.executable}"
    return subprocess.run(
        [str(KB), *args], cwd=project.root, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )


def test_installed_entry_point(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    proc = run_kb(project, "check", "--today", TODAY)
    assert proc.returncode == 1
    assert "kb_source/a.md:3:1: KB101 error" in proc.stdout
    assert "\x1b[" not in proc.stdout  # a pipe is not a terminal
    assert run_kb(project, "check", "--today", "soon").returncode == 2
    assert run_kb(project, "--version").stdout.startswith("kb")
    assert run_kb(project, "rules").returncode == 0


def _on_a_terminal(project: Project, env: dict[str, str]) -> str:
    """Run `kb check` with stdout on a pseudo-terminal and return what it printed."""
    primary, secondary = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen(
        [str(KB), "check", "--today", TODAY],
        cwd=project.root,
        env={**environ, "TERM": "xterm", **env},
        stdout=secondary,
        stderr=subprocess.DEVNULL,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(primary)
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal_unless_no_color(project: Project) -> None:
    project.write("a.md", article_text(title="Sample feature"))
    assert "\x1b[" in _on_a_terminal(project, {})
    plain = _on_a_terminal(project, {"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert "KB101 error" in plain
