"""Atomic publish: scratch folders beside the live site, swap, previous build kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import publish


def site(root: Path, text: str) -> Path:
    (root / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(text)
    return root


def test_swap_makes_the_new_build_live_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(out / "public", "old")
    with publish.scratch(out) as work:
        assert work.parent == out and work.name.startswith(publish.BUILDING)
        site(work / "public", "new")
        publish.swap(work, out, ["public"])
    assert (out / "public" / "index.html").read_text() == "new"
    assert (out / ".previous" / "public" / "index.html").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == [".previous", "public"]


def test_first_publish_has_no_previous(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with publish.scratch(out) as work:
        site(work / "internal", "new")
        publish.swap(work, out, ["internal"])
    assert (out / "internal" / "index.html").read_text() == "new"
    assert not (out / ".previous" / "internal").exists()


def test_an_error_inside_scratch_leaves_the_live_site_and_no_scratch(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(out / "public", "old")
    with pytest.raises(RuntimeError), publish.scratch(out) as work:
        site(work / "public", "half")
        raise RuntimeError("renderer crashed")
    assert (out / "public" / "index.html").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["public"]


def test_swap_refuses_a_missing_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(out / "public", "old")
    with publish.scratch(out) as work, pytest.raises(publish.PublishError):
        publish.swap(work, out, ["public"])
    assert (out / "public" / "index.html").read_text() == "old"


def test_scratch_of_a_killed_build_is_removed_by_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = site(out / f"{publish.BUILDING}{dead.stdout.strip()}-abc" / "public", "half").parent
    alive = site(out / f"{publish.BUILDING}{os.getpid()}-xyz" / "public", "mine").parent
    with publish.scratch(out):
        pass
    assert not stale.exists()
    assert alive.exists()
