"""Zensical, Material's successor, renders what kb hands the renderer: the generated mkdocs.yml
and the staged docs folder, with the theme and kb's own Markdown extensions (the agent-only
removal and the sanitizer). This is what lets the README say the renderer can be swapped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import Audience
from generator.pipeline import build_site
from generator.pipeline import check as checker
from tests.conftest import TODAY
from tests.pipeline.conftest import INTERNAL_MARKERS, config_of, copy_project

ZENSICAL = Path(sys.executable).with_name("zensical")
EXTRA = """

??? internal "Agent note"
    ZENSICAL-AGENT-ONLY the legacy plan needs a manual reset.

<img src="x.png" alt="x" onerror="alert(1)">

Text after the note.
"""

pytestmark = pytest.mark.slow


def test_zensical_renders_the_staged_public_site(tmp_path: Path) -> None:
    if not ZENSICAL.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"zensical is missing ({ZENSICAL}), and CI is set: install the test extra")
        pytest.skip("zensical is not installed")
    config = config_of(copy_project(tmp_path / "project"))
    result, articles = checker.check_and_load(config, TODAY)
    build_site(config, TODAY, articles, result, Audience.PUBLIC, tmp_path / "work", render=False)
    job = tmp_path / "work" / ".work" / "public-en"
    # Shapes only kb's extensions deal with (staging cuts the documented form before rendering).
    staged = job / "docs" / "reset-password.md"
    staged.write_text(staged.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    done = subprocess.run(
        [str(ZENSICAL), "build", "-f", "mkdocs.yml"], cwd=job, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = job / "site"
    page = (site / "reset-password" / "index.html").read_text(encoding="utf-8")
    assert 'class="kb-article"' in page  # kb's theme
    assert "How do I reset my password?" in page
    built = "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))
    # kb's extensions ran: no agent-only text, no element marked internal, no event handler.
    assert not [m for m in (*INTERNAL_MARKERS, "ZENSICAL-AGENT-ONLY") if m in built]
    assert 'class="admonition internal"' not in built and "onerror" not in page
    assert "Text after the note." in page
    shutil.rmtree(site)
