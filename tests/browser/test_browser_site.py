"""A customer's and an agent's view of the built sites, in headless Chromium."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.browser import selectors as css
from tests.browser.conftest import Sites

pytestmark = pytest.mark.browser

# (question in the customer's words, page id it must reach) on the sample help center.
QUESTIONS = [
    ("forgot my password", "reset-password"),
    ("app keeps crashing", "app-crashes"),
    ("charged twice", "double-charge"),
    ("DS-1001", "ds-1001-invalid-credentials"),
]
# Agent-only text: an internal page title and a phrase from an `!!! internal` block.
AGENT_ONLY = ["Who can approve a refund or credit", "escalation report"]
ARTICLE = "reset-password"


def search(page, base: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type `query` into the home page's search box as a person would; the result URLs."""
    page.goto(base)
    box = page.locator(css.HOME_SEARCH_INPUT)
    box.click()
    box.press_sequentially(query, delay=20)
    links = page.locator(css.HOME_RESULT_LINKS)
    try:
        links.first.wait_for(state="visible", timeout=10_000)
    except Exception:
        return []
    return [href for href in links.evaluate_all("els => els.map(e => e.href)")]


@pytest.mark.parametrize("n", range(4))
def test_customer_question_reaches_the_article(sites: Sites, page, n: int) -> None:  # type: ignore[no-untyped-def]
    query, wanted = QUESTIONS[n]
    urls = search(page, sites.public, query)
    top = [u for u in urls[:3] if f"/{wanted}/" in u]
    assert top, f"{query!r} did not bring /{wanted}/ into the top 3: {urls[:5]}"
    page.locator(
        f"{css.HOME_RESULT_LINKS}[href='{top[0]}'], {css.HOME_RESULT_LINKS}[href$='/{wanted}/']"
    ).first.click()
    page.wait_for_url(re.compile(rf"/{wanted}/"), timeout=10_000)
    assert re.search(rf"/{wanted}/", page.url)
    assert page.locator("h1").first.is_visible()


@pytest.mark.parametrize("n", range(2))
def test_agent_only_text_is_not_found_on_the_public_site(sites: Sites, page, n: int) -> None:  # type: ignore[no-untyped-def]
    phrase = AGENT_ONLY[n]
    urls = search(page, sites.public, phrase)
    for url in urls:
        page.goto(url)
        assert phrase.casefold() not in page.locator("body").inner_text().casefold(), url


def test_article_page_shows_steps_screenshot_related_and_contact(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public + ARTICLE + "/")
    content = page.locator(css.ARTICLE_CONTENT)
    assert content.locator("ol > li").count() >= 2, "numbered steps"
    image = content.locator("img").first
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "screenshot loaded"
    related = page.get_by_role("heading", name=re.compile("Related", re.I))
    assert related.count() >= 1
    assert page.locator("a[href*='contact-support']").count() >= 1, "a way to contact support"


def test_keyboard_only_reaches_search_and_an_article(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public)
    page.locator("body").press("/")
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused in (css.SEARCH_INPUT.lstrip("#"), css.HOME_SEARCH_INPUT.lstrip("#")), focused
    page.keyboard.type("forgot my password", delay=20)
    page.locator(css.SEARCH_RESULT_LINKS).first.wait_for(state="visible", timeout=10_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reset-password/"), timeout=10_000)
    # Tab from the top of the article reaches a link (skip link or header) without a mouse.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON", "LABEL")


@pytest.mark.parametrize("where", ["", "category/account/", "reset-password/"])
def test_no_serious_accessibility_violation(sites: Sites, page_without_csp, axe_script, where: str) -> None:  # type: ignore[no-untyped-def]
    page = page_without_csp  # axe-core is injected as an inline script
    page.goto(sites.public + where)
    assert page.title(), "page exists"
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 800), ("phone", 390, 844)])
def test_screenshots(sites: Sites, page, screenshots, name: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": height})
    for label, where in (("home", ""), ("article", ARTICLE + "/")):
        page.goto(sites.public + where)
        target = screenshots / f"{label}-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 1000


@pytest.mark.parametrize(
    ("lang", "query", "wanted"), [("zh", "重置", "reset-password"), ("es", "reembolso", "request-refund")]
)
def test_language_switch_and_search(sites: Sites, page, lang: str, query: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    if not (sites.public_dir / lang / "index.html").is_file():
        pytest.skip(f"no /{lang}/ site in this build")
    page.goto(sites.public + "reset-password/")
    href = page.locator(f"{css.LANGUAGE_LINKS}[hreflang^='{lang}']").first.get_attribute("href") or ""
    # The switcher links to the canonical host; follow the same path on the local server.
    page.goto(
        urljoin(page.url, href)
        if not urlparse(href).netloc
        else sites.public + urlparse(href).path.lstrip("/")
    )
    assert f"/{lang}/" in page.url
    urls = search(page, sites.public + f"{lang}/", query)
    assert any(f"/{wanted}/" in u for u in urls[:3]), urls[:5]
