"""'Was this article helpful?' in headless Chromium: with `feedback:` set, a vote and a reason
reach the configured endpoint (a loopback receiver here) as JSON records; without it there is
no widget and nothing is sent."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.theme.sitefixture import write_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required for the browser tests in CI")
    pytest.skip("Chromium is not installed", allow_module_level=True)


class _Files(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Receiver(BaseHTTPRequestHandler):
    """Records every POST body; answers 204 with CORS allowed, as a feedback endpoint would."""

    records: list[dict[str, object]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).records.append(json.loads(body))
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(handler: object) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _site(root: Path, feedback: dict[str, object] | None) -> Path:
    config = write_site(root)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["extra"]["kb"]["feedback"] = feedback
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return root / "site"


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[type[_Receiver], str]]:
    handler = type("Receiver", (_Receiver,), {"records": []})
    server, url = _serve(handler)
    yield handler, url + "feedback"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM)
        yield instance
        instance.close()


def _served(site: Path) -> tuple[ThreadingHTTPServer, str]:
    return _serve(functools.partial(_Files, directory=str(site)))


def test_a_vote_and_a_reason_reach_the_configured_endpoint(browser, receiver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    records, endpoint = receiver
    server, base = _served(_site(tmp_path, {"endpoint": endpoint, "analytics": False}))
    page = browser.new_page()
    try:
        page.goto(base + "reset-password/")
        widget = page.locator("section.kb-feedback")
        playwright.expect(widget).to_be_visible()
        playwright.expect(widget.locator("h2")).to_have_text("Was this article helpful?")
        # Keyboard only: Tab to "No", Enter.
        no = widget.get_by_role("button", name="No")
        no.focus()
        page.keyboard.press("Enter")
        playwright.expect(no).to_have_attribute("aria-pressed", "true")
        playwright.expect(widget.locator("[role=status]")).to_have_text("Thank you for your feedback.")
        _wait(lambda: len(records.records) >= 1)
        first = records.records[0]
        assert [first[k] for k in ("page", "vote", "reason", "lang")] == ["reset-password/", "no", "", "en"]
        assert len(str(first["date"])) == 10  # a day, no time
        page.locator("#kb-feedback-text").fill("Step 3 names a button I cannot find; mail me at a@b.example")
        widget.get_by_role("button", name="Send").click()
        _wait(lambda: len(records.records) >= 2)
        second = records.records[1]
        assert second["vote"] == "no" and "Step 3 names a button" in str(second["reason"])
        assert "a@b.example" not in str(second["reason"])  # no personal data leaves the page
    finally:
        page.close()
        server.shutdown()


def test_without_feedback_configured_there_is_no_widget_and_no_request(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, base = _served(_site(tmp_path, None))
    page = browser.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    try:
        page.goto(base + "reset-password/")
        assert page.locator("section.kb-feedback").count() == 0
        assert page.locator("script[src$='kb-feedback.js']").count() == 0
        assert posts == []
    finally:
        page.close()
        server.shutdown()


def _wait(done) -> None:  # type: ignore[no-untyped-def]
    """Until `done()` (a beacon is sent in the background); fails after a generous bound."""
    for _ in range(200):
        if done():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the feedback record never arrived")
