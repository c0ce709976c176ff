"""The Content-Security-Policy of the built sample (generator/pipeline/render/csp.py) in headless
Chromium: the theme's own scripts and the search run without a single violation, and script injected into a
built page's content, as a sanitizer bypass would leave it, is blocked and reported."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from tests.browser import selectors as css
from tests.browser.conftest import Sites

pytestmark = pytest.mark.browser

# Collects every CSP violation the page reports, from the first script on.
WATCH = """
window.__kbViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__kbViolations.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample});
});
"""
ARTICLE = "reset-password"
# What a sanitizer bypass would leave in an article: an event handler and an inline script.
INJECTED = (
    '<p><img src="data:," onerror="window.__kbHandlerRan = true" alt="probe"></p>'
    "<script>window.__kbScriptRan = true</script>"
)


def watched(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Console errors, as "console: ..." lines, collected from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.add_init_script(WATCH)
    return errors


def violations(page) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__kbViolations")


def theme_scripts_ran(page) -> bool:  # type: ignore[no-untyped-def]
    # __md_get comes from Material's inline <head> script; Material's bundle swaps html.no-js for js.
    return page.evaluate(
        "typeof __md_get === 'function' && document.documentElement.classList.contains('js')"
    )


@pytest.mark.parametrize("where", ["", f"{ARTICLE}/", "category/account/", "404.html"])
def test_theme_scripts_run_with_no_violation(sites: Sites, page, where: str) -> None:  # type: ignore[no-untyped-def]
    errors = watched(page)
    page.goto(sites.public + where)
    page.wait_for_load_state("load")
    policy = page.locator('head > meta[http-equiv="Content-Security-Policy"]')
    assert policy.count() == 1
    assert page.evaluate("document.head.firstElementChild.httpEquiv") == "Content-Security-Policy"
    assert "'unsafe-inline'" not in (policy.get_attribute("content") or "")
    assert theme_scripts_ran(page)
    assert violations(page) == []
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_search_works_under_the_policy(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    errors = watched(page)
    page.goto(sites.public)
    box = page.locator(css.HOME_SEARCH_INPUT)
    box.click()
    box.press_sequentially("forgot my password", delay=20)
    first = page.locator(css.HOME_RESULT_LINKS).first
    first.wait_for(state="visible", timeout=10_000)
    assert f"/{ARTICLE}/" in (first.get_attribute("href") or "")
    # The header box too, opened with "/", on an article page (Pagefind and its WebAssembly load there).
    page.goto(sites.public + f"{ARTICLE}/")
    page.keyboard.press("/")
    page.keyboard.type("DS-1001", delay=20)
    page.locator(css.HEADER_RESULT_LINKS).first.wait_for(state="visible", timeout=10_000)
    assert violations(page) == []
    assert [e for e in errors if "Content Security Policy" in e or e.startswith("pageerror")] == []


def test_the_internal_site_runs_its_scripts_with_no_violation(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    watched(page)
    page.goto(sites.internal + f"{ARTICLE}/")
    page.wait_for_load_state("load")
    assert theme_scripts_ran(page)
    assert violations(page) == []


@pytest.fixture
def injected_page(sites: Sites) -> Iterator[str]:
    """A copy of a built article, at the same depth, with script planted in its content."""
    built = sites.public_dir / ARTICLE / "index.html"
    html = built.read_text(encoding="utf-8")
    marker = '<article class="md-content__inner md-typeset">'
    assert html.count(marker) == 1
    probe = sites.public_dir / "kb-csp-probe"
    probe.mkdir()
    (probe / "index.html").write_text(html.replace(marker, marker + INJECTED), encoding="utf-8")
    try:
        yield sites.public + "kb-csp-probe/"
    finally:
        shutil.rmtree(probe)


def test_injected_handler_and_script_are_blocked_and_reported(page, injected_page: str) -> None:  # type: ignore[no-untyped-def]
    watched(page)
    page.goto(injected_page)
    page.wait_for_load_state("load")
    assert page.locator("img[alt=probe]").count() == 1  # the markup is there...
    page.wait_for_function("window.__kbViolations.length >= 2", timeout=5_000)
    assert page.evaluate("window.__kbHandlerRan") is None  # ...and neither script ran
    assert page.evaluate("window.__kbScriptRan") is None
    directives = sorted(v["directive"] for v in violations(page))
    assert directives == ["script-src-attr", "script-src-elem"], violations(page)
    assert all(v["blocked"] == "inline" for v in violations(page))
    # The theme's own scripts still ran on that page.
    assert theme_scripts_ran(page)


def test_the_probe_would_run_without_the_policy(page, injected_page: str) -> None:  # type: ignore[no-untyped-def]
    """The same page with its policy removed runs both probes: the test above can fail."""

    def without_policy(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        body = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", response.text())
        route.fulfill(response=response, body=body)

    page.route(injected_page, without_policy)
    page.goto(injected_page)
    page.wait_for_function("window.__kbHandlerRan === true && window.__kbScriptRan === true", timeout=5_000)
