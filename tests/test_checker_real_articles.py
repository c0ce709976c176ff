"""`kb check` on real support articles: a selection of the shared corpora (Microsoft Business
Central and Office support articles, CC BY 4.0; see tests/fixtures/corpora/*/NOTICE), as they are
and with their bodies under our front matter (benchmarks.corpora, as the benchmark does).

Real articles carry what generated ones lack: docfx includes and `:::` blocks, raw HTML, wide
tables, non-ASCII text, sample tokens and addresses. The checker must read every one, and what
it finds in them is pinned in tests/golden/real_articles.txt; after an intended rule change,
regenerate it with `KB_UPDATE_GOLDEN=1 pytest tests/test_checker_real_articles.py` and review
the diff."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpora import articles, copy_as_they_are, copy_wrapped
from generator.config import load_config
from generator.model import CheckResult
from generator.output.check import text
from generator.pipeline import check as checker
from tests.conftest import TODAY

HERE = Path(__file__).parent
CORPORA = HERE / "fixtures" / "corpora"
GOLDEN = HERE / "golden" / "real_articles.txt"
PROJECT_CONFIG = HERE.parent / "site_config.yml"


def check_copy(root: Path, copy: Callable[[Path, Path, Path], None]) -> CheckResult:
    copy(CORPORA, root, PROJECT_CONFIG)
    return checker.check(load_config(root / "site_config.yml"), TODAY, use_cache=False)


def sources(root: Path) -> dict[str, str]:
    """Each checked file's text, by the path findings name it with."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in (root / "kb_source").rglob("*.md")
    }


def test_the_selection_is_what_the_notices_list() -> None:
    listed = {
        f"{notice.parent.name}/{line.split()[0]}"
        for notice in CORPORA.glob("*/NOTICE")
        for line in notice.read_text(encoding="utf-8").splitlines()
        if line.startswith("  ") and line.split()[0].endswith(".md")
    }
    assert listed == {p.relative_to(CORPORA).as_posix() for p in articles(CORPORA)}
    assert len(listed) >= 30


def test_as_they_are_every_file_has_a_front_matter_finding(tmp_path: Path) -> None:
    """Their front matter is not ours (includes have none): each file gets a KB002 or KB003
    finding, and the rules that read the body still run on what can be read, without a crash."""
    result = check_copy(tmp_path, copy_as_they_are)
    assert result.files == len(articles(CORPORA))
    head = {f.path for f in result.findings if f.rule in ("KB002", "KB003")}
    assert sorted(head) == sorted(sources(tmp_path))
    assert not any(f.rule == "KB001" for f in result.findings)


def test_bodies_under_our_front_matter_give_the_golden_findings(tmp_path: Path) -> None:
    result = check_copy(tmp_path, copy_wrapped)
    assert result.files == len(articles(CORPORA))
    texts = sources(tmp_path)
    for finding in result.findings:
        assert 1 <= finding.line <= texts[finding.path].count("\n") + 1, finding
    assert not any(f.rule in ("KB001", "KB002", "KB003") for f in result.findings)
    report = text.emit(result, color=False)
    if os.environ.get("KB_UPDATE_GOLDEN"):
        GOLDEN.write_text(report, encoding="utf-8")
    assert report == GOLDEN.read_text(encoding="utf-8")
