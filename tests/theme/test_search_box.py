"""The search boxes in headless Chromium against a built, indexed site served over HTTP."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.pipeline.index import index_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required for the browser tests in CI")
    pytest.skip("Chromium is not installed", allow_module_level=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(public_site: Path) -> Iterator[str]:
    index_site(public_site, "en")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(public_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert errors == []


def test_slash_opens_header_search_and_error_code_finds_article(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "reset-password/")
    page.keyboard.press("/")
    box = page.locator("#kb-search-input")
    playwright.expect(box).to_be_focused()
    assert page.locator("#__search").is_checked()
    page.keyboard.type("DS-1001")
    first = page.locator("#kb-search-results [role=option]").first
    playwright.expect(first.locator(".kb-search-result__title")).to_have_text(
        "Why do I see DS-1001: Invalid credentials?"
    )
    playwright.expect(first.locator(".kb-search-result__summary")).to_have_text(
        "The sign-in details don't match an account."
    )
    playwright.expect(box).to_have_attribute("aria-expanded", "true")
    playwright.expect(page.locator(".kb-search--header [role=status]")).to_have_text("1 matching article")
    page.keyboard.press("ArrowDown")
    playwright.expect(box).to_have_attribute("aria-activedescendant", "kb-search-results-0")
    playwright.expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "ds-1001/")


def test_s_shortcut_and_escape(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "reset-password/")
    page.keyboard.press("s")
    playwright.expect(page.locator("#kb-search-input")).to_be_focused()
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    playwright.expect(page.locator("#kb-search-input")).not_to_be_focused()


def test_home_search_box_finds_by_keyword(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url)
    page.locator("#kb-home-search").fill("locked out")
    option = page.locator("#kb-home-search-results [role=option]").first
    playwright.expect(option.locator(".kb-search-result__title")).to_have_text("How do I reset my password?")
    playwright.expect(page.locator(".kb-hero [data-kb-search-output]")).to_be_visible()
    option.click()
    page.wait_for_url(base_url + "reset-password/")


def test_phone_layout_has_no_horizontal_scroll(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 360, "height": 740})
    for url in ("", "reset-password/"):
        page.goto(base_url + url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
