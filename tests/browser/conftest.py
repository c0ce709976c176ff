"""Headless Chromium against built sites served from 127.0.0.1.

The sites are built once per session: the real sample (kb_source/ of this project) when it
builds, else the verify fixture. Without Chromium or axe-core the tests fail under CI=true and
are skipped elsewhere."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import build
from generator.pipeline.verify.links import serve
from tests.pipeline.verify.conftest import TODAY

ROOT = Path(__file__).parents[2]
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def need(ok: bool, what: str) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI is set")
    pytest.skip(f"{what} is missing")


@dataclass(frozen=True)
class Sites:
    public: str  # base URL of the served public site
    internal: str
    public_dir: Path


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    """The shipped sample, built with the real pipeline: a sample that does not build fails here."""
    out = tmp_path_factory.mktemp("browser-build")
    result = build(load_config(ROOT / "site_config.yml"), TODAY, out)
    assert result.published, result.check.findings
    public, internal = out / "public", out / "internal"
    with serve(public) as public_url, serve(internal) as internal_url:
        yield Sites(public_url, internal_url, public)


# Package scope: Playwright's sync API allows one instance at a time, and tests/theme starts its own.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    need(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    yield from _page(browser)


@pytest.fixture
def page_without_csp(browser: object) -> Iterator[object]:
    """A page that ignores the sites' Content-Security-Policy: for injecting test tools such as
    axe-core, which the policy rightly blocks."""
    yield from _page(browser, bypass_csp=True)


def _page(browser: object, **options: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)  # type: ignore[attr-defined]
    # Nothing leaves the machine: any request not to the loopback servers is refused.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
            else route.abort()
        ),
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    need(AXE.is_file(), "axe-core (npm install --prefix tests/browser/node axe-core@4)")
    return AXE


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS
