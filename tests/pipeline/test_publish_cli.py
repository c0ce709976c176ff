"""`kb build --out`: unsafe folders are refused with exit 2 and one line, before anything is
written; real builds never delete a file kb did not write; `kb verify` reads the linked layout."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.pipeline.conftest import copy_project


def kb_build(project: Path, out: str | Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["build", "--config", str(project / "site_config.yml"), "--today", "2026-11-23", "--out", str(out)]
    return CliRunner().invoke(main, [*args, *extra], env=env)


def snapshot(root: Path) -> dict[str, str]:
    """Every path under root (links as their targets, files by content) to prove nothing changed."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[key] = "-> " + os.readlink(path)
        elif path.is_file():
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[key] = "dir"
    return state


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def assert_refused(result: Result, shown: str, reason: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"kb: refusing to build into {shown}"), result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # the exit code, not an error that escaped


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        ("{project}/kb_source", "it is the source folder"),
        ("{project}/kb_source/billing", "it is inside the source folder"),
        ("{project}/kb_source/new-site", "it is inside the source folder"),
        ("{project}", "it is the project folder"),
        ("{project}/..", "it contains the project folder"),
        ("{link}", "it is the source folder"),
    ],
)
def test_source_and_project_are_refused(project: Path, out: str, reason: str) -> None:
    link = project.parent / "innocent-name"
    link.symlink_to(project / "kb_source")
    before = snapshot(project.parent)
    target = out.format(project=project, link=link)
    result = kb_build(project, target)
    shown = (
        f"'{target}'" if Path(target).resolve() == Path(target) else f"'{target}' ({Path(target).resolve()})"
    )
    assert_refused(result, shown, reason)
    assert snapshot(project.parent) == before


def test_the_root_of_the_file_system_is_refused(project: Path) -> None:
    assert_refused(kb_build(project, "/"), "'/'", "it is the root of the file system")
    assert not Path("/.kb-site").exists()


def test_the_home_folder_and_what_contains_it_are_refused(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "users" / "maya"
    home.mkdir(parents=True)  # empty: only the home rule can refuse it
    env = {"HOME": str(home)}
    assert_refused(kb_build(project, home, env=env), f"'{home}'", "it is your home folder")
    parent = home.parent
    assert_refused(kb_build(project, parent, env=env), f"'{parent}'", f"it contains your home folder, {home}")
    assert os.listdir(home) == [] and os.listdir(parent) == ["maya"]


def test_a_folder_with_files_kb_did_not_write_is_refused(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "public").mkdir(parents=True)
    (out / "public" / "important.txt").write_text("the writer's")
    (out / "notes.txt").write_text("the writer's too")
    before = snapshot(out)
    assert_refused(kb_build(project, out), f"'{out}'", "it holds files kb did not write (notes.txt, public)")
    assert snapshot(out) == before


def test_a_site_of_the_earlier_kb_is_refused_untouched(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"  # the layout kb wrote before releases: no marker, nothing to tell by
    for name in ("public", "internal", ".previous/public", ".building-123-abc"):
        (out / name).mkdir(parents=True)
        (out / name / "index.html").write_text(name)
    before = snapshot(out)
    assert_refused(kb_build(project, out), f"'{out}'", "built by an earlier kb")
    assert "move the folder away or delete it" in kb_build(project, out).stderr
    assert snapshot(out) == before


def test_a_marked_folder_whose_public_is_not_kbs_link_is_refused(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "public").mkdir(parents=True)
    (out / ".kb-site").write_text("")
    before = snapshot(out)
    assert_refused(kb_build(project, out), f"'{out}'", f"{out}/public is not kb's link but a folder")
    assert snapshot(out) == before


def test_emit_config_does_not_touch_out(project: Path) -> None:
    result = kb_build(project, "/", "--emit-config")
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml for public" in result.stdout


def test_real_builds_never_delete_a_file_kb_did_not_write(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = kb_build(project, out)
    assert first.exit_code == 0, first.output
    assert sorted(os.listdir(out)) == [".kb", ".kb-site", "internal", "public"]
    (out / "public" / "important.txt").write_text("dropped into the live site")
    (out / "notes.txt").write_text("beside kb's folders")
    refund = project / "kb_source" / "billing" / "refund.md"
    refund.write_text(refund.read_text().replace("five to ten working days", "three to five working days"))
    public_only = kb_build(project, out, "--audience", "public")  # the internal site carried over
    assert public_only.exit_code == 0, public_only.output
    assert "three to five" in (out / "public" / "refund" / "index.html").read_text()
    assert "three to five" not in (out / "internal" / "refund" / "index.html").read_text()
    assert kb_build(project, out).exit_code == 0  # the first release is collected now
    assert "three to five" in (out / "internal" / "refund" / "index.html").read_text()
    assert sorted(os.listdir(out / ".kb" / "releases")) == ["000002", "000003"]
    kept = out / ".kb" / "trash" / "000001"
    assert (kept / "public" / "important.txt").read_text() == "dropped into the live site"
    assert not [
        p for p in kept.rglob("*") if p.is_file() and p.name not in ("important.txt", "manifest.json")
    ]
    assert (out / "notes.txt").read_text() == "beside kb's folders"
    verify = CliRunner().invoke(
        main,
        ["verify", "--config", str(project / "site_config.yml"), "--today", "2026-11-23", "--site", str(out)],
    )
    assert verify.exit_code == 0, verify.output
    assert "OK, safe to publish" in verify.stdout


def test_no_incremental_renders_every_page_and_keeps_no_render_state(project: Path, tmp_path: Path) -> None:
    state = project / ".kb-cache" / "render"
    first = kb_build(project, tmp_path / "a")
    assert first.exit_code == 0, first.output
    assert state.is_dir() and any(state.iterdir())
    kept = snapshot(state)
    source = project / "kb_source" / "billing" / "refund.md"
    source.write_text(source.read_text(encoding="utf-8").replace("30 days", "45 days", 1), encoding="utf-8")
    clean = kb_build(project, tmp_path / "b", "--no-incremental")
    assert clean.exit_code == 0, clean.output
    assert "45 days" in (tmp_path / "b" / "public" / "refund" / "index.html").read_text(encoding="utf-8")
    assert snapshot(state) == kept  # an incremental build would have kept the edited page's state
    again = kb_build(project, tmp_path / "c")
    assert again.exit_code == 0, again.output
    assert snapshot(state) != kept
    assert snapshot((tmp_path / "c" / "public").resolve()) == snapshot((tmp_path / "b" / "public").resolve())
