"""Publishing into an output folder: releases switched by one link, kept, collected by manifest,
refusals of unsafe folders, and the lock. Real files on disk; nothing is mocked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import publish


def site(root: Path, text: str) -> Path:
    (root / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(text)
    return root


def release(out: Path, **audiences: str) -> None:
    """Publish one release holding `audience=text` sites."""
    with publish.scratch(out) as work:
        for name, text in audiences.items():
            site(work / name, text)
        publish.swap(work, out, list(audiences))


def page(out: Path, name: str) -> str:
    return (out / name / "index.html").read_text()


def releases(out: Path) -> list[str]:
    return sorted(os.listdir(out / ".kb" / "releases"))


def test_swap_makes_the_new_build_live_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="old public", internal="old internal")
    with publish.scratch(out) as work:
        assert work.parent == out / ".kb" and work.name.startswith(publish.SCRATCH)
        site(work / "public", "new public")
        site(work / "internal", "new internal")
        publish.swap(work, out, ["public", "internal"])
    assert (page(out, "public"), page(out, "internal")) == ("new public", "new internal")
    assert os.readlink(out / "public") == ".kb/current/public"
    assert os.readlink(out / ".kb" / "current") == "releases/000002"
    assert (out / ".kb" / "releases" / "000001" / "public" / "index.html").read_text() == "old public"
    assert sorted(os.listdir(out)) == [".kb", ".kb-site", "internal", "public"]
    assert sorted(os.listdir(out / ".kb")) == ["current", "lock", "releases"]


def test_only_the_live_release_and_the_one_before_it_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for n in range(1, 5):
        release(out, public=f"public {n}")
    assert releases(out) == ["000003", "000004"]
    assert page(out, "public") == "public 4"


def test_first_publish_has_no_previous(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, internal="new")
    assert page(out, "internal") == "new"
    assert releases(out) == ["000001"]
    assert not (out / "public").is_symlink()  # no link to an audience never built


def test_one_audience_carries_the_other_over_from_the_live_release(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="public 1", internal="internal 1")
    release(out, public="public 2")
    assert (page(out, "public"), page(out, "internal")) == ("public 2", "internal 1")
    old, new = (out / ".kb" / "releases" / n / "internal" / "index.html" for n in ("000001", "000002"))
    assert os.path.samefile(old, new)  # a hard link, not a second copy
    release(out, public="public 3")
    release(out, public="public 4")  # release 1 is collected; its file lives on in release 4
    assert releases(out) == ["000003", "000004"]
    assert page(out, "internal") == "internal 1"


def test_a_file_kb_did_not_write_is_never_deleted(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="public 1", internal="internal 1")
    (out / "public" / "important.txt").write_text("mine")  # dropped into the live site
    (out / "notes.txt").write_text("mine too")
    for n in (2, 3, 4):
        release(out, public=f"public {n}", internal=f"internal {n}")
    assert not (out / "public" / "important.txt").exists()  # not carried into kb's releases
    kept = out / ".kb" / "trash" / "000001"
    assert (kept / "public" / "important.txt").read_text() == "mine"
    assert sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*")) == [
        "manifest.json",
        "public",
        "public/important.txt",
    ]
    assert (out / "notes.txt").read_text() == "mine too"
    assert releases(out) == ["000003", "000004"]


def test_an_error_inside_scratch_leaves_the_live_site_and_no_scratch(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="old")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    with pytest.raises(RuntimeError), publish.scratch(out) as work:
        site(work / "public", "half")
        raise RuntimeError("renderer crashed")
    assert page(out, "public") == "old"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_swap_refuses_a_missing_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="old")
    with publish.scratch(out) as work, pytest.raises(publish.PublishError):
        publish.swap(work, out, ["public"])
    assert page(out, "public") == "old"


def test_swap_needs_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="old")
    work = site(tmp_path / "work" / "public", "new").parent
    with pytest.raises(publish.PublishError, match="not held"):
        publish.swap(work, out, ["public"])
    assert page(out, "public") == "old"


def test_what_a_killed_build_left_is_removed_by_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    release(out, public="live")
    kb = out / ".kb"
    site(kb / f"{publish.SCRATCH}999999-abc" / "public", "half")
    os.symlink("releases/000001", kb / f"{publish.LINK_TMP}current-999999")
    unswitched = site(kb / "releases" / "000007" / "public", "never live").parent
    (unswitched / "manifest.json").write_text('{"files": ["public/index.html"]}')
    release(out, public="next")
    assert sorted(os.listdir(kb)) == ["current", "lock", "releases"]
    assert releases(out) == ["000001", "000002"]  # 7 was never live: collected before the build
    assert page(out, "public") == "next"


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("/", "root of the file system"),
        ("home", "it is your home folder"),
        ("home/..", "it contains your home folder"),
        ("project", "it is the project folder"),
        ("project/..", "it contains the project folder"),
        ("project/kb_source", "it is the source folder"),
        ("project/kb_source/out", "inside the source folder"),
        ("link-to-source", "it is the source folder"),
        ("project/a-file", "not a folder"),
        ("foreign", "holds files kb did not write (important.txt)"),
        ("old-kb", "built by an earlier kb"),
        ("marked-with-a-real-public", "not kb's link but a folder"),
    ],
)
def test_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, reason: str) -> None:
    project, home = tmp_path / "work" / "project", tmp_path / "users" / "me"
    (project / "kb_source").mkdir(parents=True)
    (project / "a-file").write_text("x")
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "link-to-source").symlink_to(project / "kb_source")
    site(tmp_path / "foreign", "x").joinpath("important.txt").write_text("mine")
    (tmp_path / "foreign" / "index.html").unlink()
    site(tmp_path / "old-kb" / "public", "x")
    (tmp_path / "old-kb" / ".previous").mkdir()
    site(tmp_path / "marked-with-a-real-public" / "public", "x")
    (tmp_path / "marked-with-a-real-public" / publish.MARKER).write_text("")
    short = {"home": "users/me", "project": "work/project"}
    out = Path(where) if where == "/" else tmp_path / "/".join(short.get(p, p) for p in where.split("/"))
    got = publish.refusal(out, project, project / "kb_source")
    assert got is not None and reason in got
    with (
        pytest.raises(publish.OutputRefused, match="refusing to build into"),
        publish.claim(out, project, project / "kb_source"),
    ):
        pass


@pytest.mark.parametrize("where", ["new/nested", "empty", "project/site", "marked"])
def test_safe_folders_are_accepted(tmp_path: Path, where: str) -> None:
    project = tmp_path / "project"
    (project / "kb_source").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / publish.MARKER).write_text("")
    (tmp_path / "marked" / "notes.txt").write_text("the user's, left alone")
    assert publish.refusal(tmp_path / where, project, project / "kb_source") is None
    with publish.claim(tmp_path / where, project, project / "kb_source") as real:
        assert (real / publish.MARKER).is_file()


def test_a_second_claim_refuses_at_once_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    script = "import sys; from pathlib import Path; from generator.pipeline import publish\n"
    script += "with publish.claim(Path(sys.argv[1])): pass"
    with publish.claim(out):
        other = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True)
        assert other.returncode == 1
        assert f"another kb build (pid {os.getpid()}) is writing it" in other.stderr
        assert (out / ".kb" / "lock").read_text() == f"{os.getpid()}\n"
    assert (out / ".kb" / "lock").read_text() == ""
    with publish.claim(out):  # released
        pass


def test_scratch_of_a_killed_serve_is_still_found_by_remove_orphans(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = site(tmp_path / f"kb-preview-{dead.stdout.strip()}-abc" / "1", "half").parent
    alive = site(tmp_path / f"kb-preview-{os.getpid()}-xyz" / "1", "mine").parent
    assert publish.remove_orphans(tmp_path, "kb-preview-") == [stale]
    assert alive.exists()
