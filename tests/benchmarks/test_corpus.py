"""The benchmark corpus generator writes valid, deterministic projects of any size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.corpus import plan, write_project


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_generated_corpus_passes_kb_check(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", 160)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--today", "2026-11-23", "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_the_corpus_has_every_kind_of_article(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", 160)
    texts = [p.read_text() for p in (root / "kb_source").rglob("*.md")]
    assert len(texts) > 160  # translations on top of the 160 articles
    assert any("audience: internal" in t for t in texts)
    assert any("lang: de" in t for t in texts)
    assert any('!!! internal "Agent note"' in t for t in texts)
    assert all("](../images/" in t or "](../../images/" in t for t in texts)
    assert len({a.id for a in plan(160)}) == 160


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    one = files_of(write_project(tmp_path / "one", 25))
    assert one == files_of(write_project(tmp_path / "two", 25))
    assert one != files_of(write_project(tmp_path / "three", 25, seed=8))
