"""`kb serve`: start it on a free port, fetch a page, edit the source, see the change."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.render.conftest import copy_project

pytestmark = pytest.mark.slow

WAIT = 120  # seconds to wait for a build before giving up (a hang guard, not a speed check)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting for {what}")


def test_serve_rebuilds_after_an_edit(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--port",
            "0",
            "--today",
            "2026-11-23",
            "--config",
            str(project / "site_config.yml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert proc.stdout is not None
        line = wait_for(lambda: _serving_line(proc), "the server to start")
        base = line.rsplit(" ", 1)[1].strip()
        page = fetch(base + "quokka-escalation/")
        assert "quokka escalation" in page
        assert "/__kb/version" in page
        version = fetch(base + "__kb/version")
        source = project / "kb_source" / "playbooks" / "quokka-escalation.md"
        source.write_text(source.read_text().replace("stuck for more than a week", "stuck for PLATYPUS days"))
        wait_for(lambda: "PLATYPUS" in fetch(base + "quokka-escalation/"), "the rebuilt page")
        assert fetch(base + "__kb/version") != version
        proc.terminate()
        assert proc.wait(timeout=30) == 0  # SIGTERM ends it cleanly, removing its build
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _serving_line(proc: subprocess.Popen[str]) -> str | None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line and proc.poll() is not None:
        raise AssertionError(f"kb serve exited with {proc.returncode}")
    return line if line.startswith("Serving") else None
