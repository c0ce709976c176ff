"""A publish killed at any step leaves the old pair or the new pair live, never a mix, and the next
publish succeeds and removes what the killed one left.

A child process publishes a release with the real code and sends itself SIGKILL just before its
Nth call that changes the filesystem (rename, replace, symlink, link, mkdir, unlink, rmdir, rmtree,
copy, a file opened for writing, a write or truncate of the lock); the test runs N = 1, 2, ...
until the child finishes. The wrapping lives in the child's script below, not in kb's code."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import publish

CHILD = r"""
import builtins, io, os, shutil, signal, sys
from pathlib import Path

out, version, kill_at, names = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
calls = 0


def counted(fn):
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)
    return wrapper


for name in ("rename", "replace", "symlink", "link", "mkdir", "unlink", "remove", "rmdir",
             "ftruncate", "truncate", "write", "pwrite"):
    setattr(os, name, counted(getattr(os, name)))
for name in ("rmtree", "copy2", "copyfile", "copytree"):
    setattr(shutil, name, counted(getattr(shutil, name)))
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
plain_os_open, plain_open = os.open, io.open
counted_os_open = counted(plain_os_open)
os.open = lambda path, flags, *a, **k: (counted_os_open if flags & WRITE_FLAGS else plain_os_open)(
    path, flags, *a, **k
)
counted_open = counted(plain_open)


def any_open(file, mode="r", *args, **kwargs):
    writes = any(c in mode for c in "wax+")
    return (counted_open if writes else plain_open)(file, mode, *args, **kwargs)


io.open = builtins.open = any_open

from generator.pipeline import publish

with publish.scratch(out) as work:
    for name in names:
        (work / name / "assets").mkdir(parents=True)
        (work / name / "index.html").write_text(f"{name} {version}")
        (work / name / "assets" / "site.js").write_text(f"// {name} {version}")
    publish.swap(work, out, names)
print(calls)
"""


def publish_in_child(
    script: Path, out: Path, version: str, kill_at: int, names: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), str(out), version, str(kill_at), names],
        capture_output=True,
        text=True,
        timeout=120,
    )


def publish_here(out: Path, version: str, names: tuple[str, ...] = ("public", "internal")) -> None:
    with publish.scratch(out) as work:
        for name in names:
            (work / name).mkdir()
            (work / name / "index.html").write_text(f"{name} {version}")
        publish.swap(work, out, names)


def read_pair(out: Path) -> tuple[str | None, str | None]:
    """What a reader of out/public/index.html and out/internal/index.html gets: the version of
    each, or None where there is no page."""

    def version(name: str) -> str | None:
        try:
            text = (out / name / "index.html").read_text()
        except FileNotFoundError:
            return None
        assert text.startswith(f"{name} "), text
        return text.split()[1]

    public, internal = version("public"), version("internal")
    if public is not None and internal is not None:
        # Both links lead into one release: the pair the reader sees was published together.
        releases = {Path(os.path.realpath(out / name)).parent for name in ("public", "internal")}
        assert len(releases) == 1, releases
    return public, internal


def assert_clean(out: Path, foreign: Path | None, before: tuple[str | None, str | None]) -> None:
    """Only kb's names, the live release and the one that was live before it (`before`), no
    leftovers; a file kb did not write is still there."""
    kb = out / ".kb"
    assert sorted(os.listdir(out)) == [".kb", ".kb-site", "internal", "public"]
    expected = ["current", "lock", "releases"] + (["trash"] if foreign else [])
    assert sorted(os.listdir(kb)) == expected
    *previous, live = sorted(os.listdir(kb / "releases"))
    assert os.readlink(kb / "current") == f"releases/{live}"
    assert [read_pair(kb / "releases" / name) for name in previous] == (
        [] if before == (None, None) else [before]
    )
    if foreign is not None:
        assert foreign.read_text() == "the writer's notes"
        assert sorted(p.relative_to(kb / "trash").as_posix() for p in (kb / "trash").rglob("*")) == [
            "000001",
            "000001/manifest.json",
            "000001/public",
            "000001/public/notes.txt",
        ]


@pytest.mark.parametrize(
    ("case", "names", "old", "new"),
    [
        ("pair over a pair", "public,internal", ("v1", "v1"), ("v2", "v2")),
        ("public over a pair", "public", ("v1", "v1"), ("v2", "v1")),
        ("first publish", "public,internal", (None, None), ("v2", "v2")),
    ],
)
def test_a_publish_killed_at_every_step(
    tmp_path: Path, case: str, names: str, old: tuple[str | None, ...], new: tuple[str | None, ...]
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    template = tmp_path / "template"
    foreign = None
    if case != "first publish":
        publish_here(template, "v0")
        (template / "public" / "notes.txt").write_text("the writer's notes")  # into the live v0
        publish_here(template, "v1")  # the v2 publish collects v0, all but the writer's file
        foreign = Path(".kb/trash/000001/public/notes.txt")
    seen = set()
    for kill_at in itertools.count(1):
        out = tmp_path / f"out-{kill_at}"
        if template.exists():
            shutil.copytree(template, out, symlinks=True)
        child = publish_in_child(script, out, "v2", kill_at, names)
        if child.returncode == 0:
            assert int(child.stdout) == kill_at - 1  # every counted call was a kill point once
            break
        assert child.returncode == -signal.SIGKILL, child.stderr
        state = read_pair(out)
        assert state in (old, new), f"killed before change {kill_at}: {state}"
        seen.add(state)
        publish_here(out, "v3")  # the next publish succeeds and cleans up
        assert read_pair(out) == ("v3", "v3")
        assert_clean(out, out / foreign if foreign else None, state)
        shutil.rmtree(out)
    assert read_pair(out) == new
    assert seen == {old, new}, seen  # the kills fell both before and after the switch
    assert kill_at > 20, kill_at
