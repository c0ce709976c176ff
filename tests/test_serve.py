"""`kb serve`: start it on a free port, fetch a page, edit the source, see the change."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator import ondemand
from generator.config import load_config
from generator.pipeline import BuildResult
from generator.pipeline.publish import remove_orphans
from generator.serve import PREVIEW_PREFIX, build_preview
from tests.conftest import TODAY
from tests.pipeline.conftest import built, copy_project, files  # noqa: F401 (built: a fixture)

pytestmark = pytest.mark.slow

WAIT = 120  # seconds to wait for a build before giving up (a hang guard, not a speed check)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=WAIT) as response:  # a page may be rendered when asked
        return response.read().decode("utf-8")


def wait_for(predicate, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting for {what}")


def start_serve(project: Path, tmp: Path) -> subprocess.Popen[str]:
    """`kb serve` on a free port, its preview builds under `tmp`."""
    return subprocess.Popen(
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
        env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp)},
    )


def serving(tmp_path: Path) -> tuple[Path, Path, subprocess.Popen[str]]:
    """A copy of the fixture project, the folder its preview builds go to, and `kb serve` on it."""
    project = copy_project(tmp_path / "project")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return project, tmp, start_serve(project, tmp)


def test_serve_rebuilds_after_an_edit(tmp_path: Path) -> None:
    project, tmp, proc = serving(tmp_path)
    try:
        assert proc.stdout is not None
        line = wait_for(lambda: _serving_line(proc), "the server to start")
        base = line.rsplit(" ", 1)[1].strip()
        # The server runs in a child process: `kb serve` itself forks workers on each rebuild,
        # which is safe only while it runs no other thread.
        assert os.listdir(f"/proc/{proc.pid}/task") == [str(proc.pid)]
        page = fetch(base + "quokka-escalation/")
        assert "quokka escalation" in page
        assert "/__kb/version" in page
        version = fetch(base + "__kb/version")
        source = project / "kb_source" / "playbooks" / "quokka-escalation.md"
        source.write_text(source.read_text().replace("stuck for more than a week", "stuck for PLATYPUS days"))
        wait_for(lambda: "PLATYPUS" in fetch(base + "quokka-escalation/"), "the rebuilt page")
        assert fetch(base + "__kb/version") != version
        assert list(tmp.glob("kb-preview-*/current"))
        proc.terminate()
        assert proc.wait(timeout=30) == 0  # SIGTERM ends it cleanly, removing its build
        assert not list(tmp.iterdir())
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_stop_during_a_rebuild_ends_it_and_every_process_it_started(tmp_path: Path) -> None:
    project, tmp, proc = serving(tmp_path)
    try:
        wait_for(lambda: _serving_line(proc), "the server to start")
        wait_every_page(proc)
        source = project / "kb_source" / "billing" / "refund.md"
        source.write_text(
            source.read_text(encoding="utf-8").replace("30 days", "45 days", 1), encoding="utf-8"
        )
        # The edit is shown first (quickedit), then the rebuild starts: stopped during it.
        wait_for(lambda: _said(proc, "Showing the edit"), "the edit shown")
        proc.terminate()
        assert proc.wait(timeout=WAIT) == 0
        rest = proc.stdout.read() if proc.stdout else ""
        # Interrupted, as Ctrl+C interrupts it: the rebuild (seconds) is not waited for.
        assert "Stopped." in rest and "Rebuilt after a change." not in rest, rest
        assert not list(tmp.iterdir())
        assert _started_by(tmp) == []  # no worker or renderer left running
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_stop_before_the_check_is_done_ends_it_and_every_process_it_started(tmp_path: Path) -> None:
    _, tmp, proc = serving(tmp_path)
    try:
        base = wait_for(lambda: _serving_line(proc), "the server to start").rsplit(" ", 1)[1].strip()
        # Served before the check (generator/early.py): an article page is rendered when asked,
        # a report waits for the first build, which is under way when the stop comes, and so is
        # the article's renderer.
        urls = ("rules/", "refund/")
        asked = [threading.Thread(target=_answers, args=(base + url,), daemon=True) for url in urls]
        for thread in asked:
            thread.start()
        wait_for(lambda: _rendering(tmp), "the article page's renderer")
        proc.terminate()
        assert proc.wait(timeout=WAIT) == 0
        assert _started_by(tmp) == []  # no worker or renderer left running
        rest = proc.stdout.read() if proc.stdout else ""
        assert "Stopped." in rest and "Checked every article" not in rest, rest
        for thread in asked:
            thread.join(timeout=WAIT)
            assert not thread.is_alive()  # the server is gone with it
        assert not list(tmp.iterdir())
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _rendering(tmp: Path) -> bool:
    """Whether a renderer of some pages that `kb serve` (TMPDIR=tmp) started is running."""
    for pid in _started_by(tmp):
        try:
            if b"mkdocs_pages" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _started_by(tmp: Path) -> list[int]:
    """Live processes whose environment holds TMPDIR=tmp: what that `kb serve` started."""
    mark = f"TMPDIR={tmp}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if mark in environ and state != "Z":
            found.append(int(entry.name))
    return found


def test_the_port_is_freed_when_serve_is_killed(tmp_path: Path) -> None:
    proc = start_serve(copy_project(tmp_path / "project"), tmp_path)
    try:
        base = wait_for(lambda: _serving_line(proc), "the server to start").rsplit(" ", 1)[1].strip()
        assert "/__kb/version" in fetch(base)
        proc.kill()  # no chance to clean up: the server process notices on its own
        proc.wait(timeout=30)
        wait_for(lambda: not _answers(base), "the server process to exit")
    finally:
        proc.kill()
        proc.wait(timeout=30)
    # Its preview folder stays behind until the next `kb serve` starts, which removes it.
    assert [p.name.split("-")[2] for p in tmp_path.glob("kb-preview-*")] == [str(proc.pid)]
    again = start_serve(tmp_path / "project", tmp_path)
    try:
        wait_for(lambda: _serving_line(again), "the second server to start")
        assert [p.name.split("-")[2] for p in tmp_path.glob("kb-preview-*")] == [str(again.pid)]
    finally:
        again.terminate()  # at once: SIGTERM may come while the server process is being started
        rest = again.communicate(timeout=30)[0]
    assert "ignored SIGTERM" not in rest
    assert list(tmp_path.glob("kb-preview-*")) == []


def _answers(url: str) -> bool:
    try:
        fetch(url)
    except (OSError, http.client.HTTPException):  # refused, or cut off as the server exits
        return False
    return True


def _serving_line(proc: subprocess.Popen[str]) -> str | None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line and proc.poll() is not None:
        raise AssertionError(f"kb serve exited with {proc.returncode}")
    return line if line.startswith("Serving") else None


def wait_every_page(proc: subprocess.Popen[str]) -> None:
    """Until the preview's second build, which renders every page (the first renders the
    navigation's pages and serves the others as they are asked for)."""
    wait_for(lambda: _said(proc, "Rendered every page."), "every page to be rendered")


def _said(proc: subprocess.Popen[str], text: str) -> bool:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line and proc.poll() is not None:
        raise AssertionError(f"kb serve exited with {proc.returncode}")
    return line.startswith(text)


def test_only_orphaned_previews_are_removed(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    orphan = tmp_path / f"kb-preview-{gone.pid}-abc"
    alive = tmp_path / f"kb-preview-{os.getpid()}-def"
    other = tmp_path / "kb-preview-notapid-ghi"
    for folder in (orphan, alive, other):
        (folder / "1").mkdir(parents=True)
    assert remove_orphans(tmp_path, PREVIEW_PREFIX) == [orphan]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])


BROKEN = "---\nid: broken-page\ntitle: How do I: break a page?\n---\n\nText.\n"


def test_serve_shows_a_pages_findings_and_why_a_page_is_missing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    refund = project / "kb_source" / "billing" / "refund.md"
    refund.write_text(refund.read_text().replace("of a charge.", "of a charge. Write to jane.doe@gmail.com."))
    (project / "kb_source" / "billing" / "broken-page.md").write_text(BROKEN)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = start_serve(project, tmp)
    try:
        base = wait_for(lambda: _serving_line(proc), "the server to start").rsplit(" ", 1)[1].strip()
        # Served before the check (generator/early.py, tests/test_early.py): the panel shows the
        # check's findings once it is done (the page reloads itself then).
        missing_page_says_why(base + "broken-page/")
        wait_for(lambda: _said(proc, "Checked every article"), "the check")
        page = fetch(base + "refund/")
        panel = page[page.index('<aside class="kb-findings"') :]
        # Its own findings, each with its line and a link to the rule on the rules page.
        assert "KB301" in panel and "jane.doe@gmail.com" in panel and "line 11" in panel
        assert 'href="/rules/#kb301-personal-data"' in panel
        assert "data-kb-close" in panel
        assert "broken-page" not in panel  # another file's findings stay on their own page
        assert 'id="kb301-personal-data"' in fetch(base + "rules/")
        missing_page_says_why(base + "broken-page/")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def missing_page_says_why(url: str) -> None:
    """A page that could not be built says why, as a 404 with the findings of its file."""
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(url)
    assert missing.value.code == 404
    body = missing.value.read().decode("utf-8")
    assert "could not be built" in body and "KB002" in body and "put the value in quotes" in body
    assert "/__kb/version" in body  # it reloads itself once the page builds


def test_a_first_build_that_fails_leaves_the_preview_serving_and_saying_why(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "kb_source" / "account" / "reset-password.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("images/agent-console.svg", "images/gone.svg"), encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = start_serve(project, tmp)
    try:
        base = wait_for(lambda: _serving_line(proc), "the server to start").rsplit(" ", 1)[1].strip()
        # The page that cannot be staged waits for the first build, which fails on it (KB112):
        # the preview goes on serving what it can, and says why on the page it has not.
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(base + "reset-password/")
        assert missing.value.code == 404 and "gone.svg" in missing.value.read().decode("utf-8")
        wait_for(lambda: _said(proc, "rebuild failed"), "the first build to fail")
        assert "quokka escalation" in fetch(base + "quokka-escalation/")
        source.write_text(text, encoding="utf-8")  # fixed: the next build renders every page
        wait_every_page(proc)
        assert "agent-console.svg" in fetch(base + "reset-password/")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_findings_are_never_in_a_built_site(built: tuple[Path, BuildResult]) -> None:  # noqa: F811
    out, _ = built
    for path in files(out):
        if path.suffix in (".html", ".js", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "kb-findings" not in text and "data-kb-close" not in text, path


def test_a_page_asked_for_before_it_is_built_is_rendered_as_the_full_build_renders_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(project / "site_config.yml")
    root = tmp_path / "preview"
    root.mkdir()
    build_preview(config, TODAY, root, 1, first=True)  # the navigation's pages only
    site = root / "current" / "internal"
    assert (site / "category" / "billing" / "index.html").is_file()
    assert not (site / "refund" / "index.html").exists()
    assert ondemand.render(root / "current", "/refund/")
    asked = (site / "refund" / "index.html").read_bytes()
    assert not ondemand.render(root / "current", "/no-such-page/")
    assert not ondemand.render(root / "current", "/../docs/refund/")  # a page's path in the site only
    build_preview(config, TODAY, root, 2)  # every page, incrementally from the first build
    assert (root / "current" / "internal" / "refund" / "index.html").read_bytes() == asked
