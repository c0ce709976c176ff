"""`kb serve` in headless Chromium: a page shows its own findings in a panel that closes, under
the preview's Content-Security-Policy, and an edit to the article reloads the open page by itself
with the change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline.conftest import copy_project
from tests.test_serve import _serving_line as serving_line
from tests.test_serve import start_serve, wait_every_page, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 120_000  # a hang guard for the rebuild, not a speed check


def test_findings_panel_closes_and_an_edit_reloads_the_page(tmp_path: Path, page) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    refund = project / "kb_source" / "billing" / "refund.md"
    refund.write_text(refund.read_text().replace("of a charge.", "of a charge. Write to jane.doe@gmail.com."))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    proc = start_serve(project, tmp)
    try:
        base = wait_for(lambda: serving_line(proc), "the server to start").rsplit(" ", 1)[1].strip()
        wait_every_page(proc)  # no reload of its own while the test looks at the page
        page.goto(base + "refund/")
        panel = page.locator("#kb-findings")
        panel.wait_for(timeout=TIMEOUT_MS)
        assert "KB301" in panel.inner_text()
        link = panel.locator('a[href="/rules/#kb301-personal-data"]')
        assert link.count() == 1
        page.locator("[data-kb-close]").click()
        assert page.locator("#kb-findings").count() == 0  # closed by the preview's own script
        # The writer fixes the article: the open page reloads itself, and the panel is gone
        # with the finding.
        refund.write_text(refund.read_text().replace(" Write to jane.doe@gmail.com.", " Write to us."))
        page.evaluate("window.__kbBeforeTheEdit = true")
        page.locator("text=Write to us.").first.wait_for(timeout=TIMEOUT_MS)
        assert page.evaluate("window.__kbBeforeTheEdit === undefined")  # a reload, not a patch
        assert "jane.doe" not in page.content()
        remaining = page.locator("#kb-findings")
        assert "KB301" not in (remaining.inner_text() if remaining.count() else "")
        # The preview's scripts ran under the page's policy: no violation was reported.
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        proc.terminate()
        proc.wait(timeout=30)
