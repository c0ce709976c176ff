"""Search as customers type (issue 16), in headless Chromium on the built sample: sentences,
symptoms, typos, a Chinese query for an article not translated yet, the no-results state,
highlighted matches and the results page at /search/?q=."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlparse

import pytest

from tests.browser import selectors as css
from tests.browser.conftest import Sites

pytestmark = pytest.mark.browser

NOTHING = "qqzzx vvkkpw"  # no word of it is near any word of the sample


def search(page, base: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type `query` into the home page's box as a person would; the result URLs once the box
    shows the results of the whole query (its "See all results" link carries it), not of a
    prefix typed on the way."""
    page.goto(base)
    box = page.locator(css.HOME_SEARCH_INPUT)
    box.click()
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        """q => [...document.querySelectorAll('#kb-home-search-results a')]
            .some(a => new URL(a.href).searchParams.get('q') === q)""",
        arg=query,
        timeout=10_000,
    )
    return page.locator(css.HOME_RESULT_LINKS).evaluate_all("els => els.map(e => e.href)")


def _results_page(page, base: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Open /search/?q=<query> and wait for its results; their URLs (the language's, then the
    default language's)."""
    page.goto(f"{base}search/?q={quote(query)}")
    links = page.locator(css.PAGE_RESULT_LINKS)
    links.first.wait_for(state="visible", timeout=10_000)
    return links.evaluate_all("els => els.map(e => e.href)")


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("why was I billed two times in November", "double-charge"),  # a whole sentence
        ("what happens to my data when I cancel", "cancel-plan"),
        ("pasword reset", "reset-password"),  # a typo
        ("ds1001", "ds-1001-invalid-credentials"),  # an error code as typed
    ],
)
def test_sentences_typos_and_codes_find_their_article(sites: Sites, page, query: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    urls = search(page, sites.public, query)
    assert any(f"/{wanted}/" in u for u in urls[:3]), f"{query!r}: {urls[:5]}"


def test_a_symptom_finds_every_article_about_it(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    urls = search(page, sites.public, "can't log in")
    shown = " ".join(urls)
    for wanted in ("reset-password", "account-emergency"):
        assert f"/{wanted}/" in shown, urls


def test_a_corrected_word_is_said_and_matches_are_highlighted(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    search(page, sites.public, "pasword reset")
    status = page.locator(f"{css.HOME_BOX} {css.STATUS}")
    assert "password" in status.inner_text(), status.inner_text()
    marked = page.locator(f"{css.HOME_RESULT_LINKS} mark").all_inner_texts()
    assert any(m.lower().startswith("password") for m in marked), marked


def test_no_results_shows_popular_articles_and_contact_not_a_dead_end(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public)
    box = page.locator(css.HOME_SEARCH_INPUT)
    box.click()
    box.press_sequentially(NOTHING, delay=10)
    help_box = page.locator(f"{css.HOME_BOX} {css.HELP}")
    help_box.wait_for(state="visible", timeout=10_000)
    assert help_box.locator("a[href*='/reset-password/']").count() == 1, "a popular article"
    assert help_box.locator("a[href^='mailto:']").count() >= 1, "a contact channel"
    # The help is inside the box's panel, below its status line, not over the page's text.
    status = page.locator(f"{css.HOME_BOX} {css.STATUS}").bounding_box()
    panel = help_box.bounding_box()
    assert status and panel and panel["y"] >= status["y"] + status["height"] - 1


def test_results_page_is_linkable_and_keyboard_navigable(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    urls = _results_page(page, sites.public, "refund")
    assert "/request-refund/" in urls[0], urls[:3]
    assert page.locator(css.PAGE_SEARCH_INPUT).input_value() == "refund"
    # Typing changes the address, so what is on screen can be shared.
    page.locator(css.PAGE_SEARCH_INPUT).fill("charged twice")
    page.wait_for_function("() => location.search.includes('charged')", timeout=10_000)
    page.locator(css.PAGE_RESULT_LINKS).first.wait_for(state="visible", timeout=10_000)
    page.wait_for_function(
        "() => (document.querySelector('.kb-results-page__link') || {}).href?.includes('double-charge')",
        timeout=10_000,
    )
    page.locator(css.PAGE_SEARCH_INPUT).focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href || ''")
    assert "/double-charge/" in focused, focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/double-charge/"), timeout=10_000)


@pytest.mark.parametrize(
    ("lang", "query", "wanted"),
    [("zh", "退款", "request-refund"), ("es", "reembolso", "request-refund")],
)
def test_results_page_in_every_language(sites: Sites, page, lang: str, query: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    urls = _results_page(page, sites.public + f"{lang}/", query)
    assert f"/{lang}/{wanted}/" in urls[0], urls[:3]
    assert page.title().startswith({"zh": "搜索结果", "es": "Resultados"}[lang]), page.title()


def test_zh_query_for_an_untranslated_article_and_english_results_labelled(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    # 导出 (export): the article is not translated; the zh group [导出, ..., export] finds the /zh/
    # site's copy of it (the English text under the "not translated yet" notice), and the answer
    # being weak, the English site's results follow under their label.
    urls = _results_page(page, sites.public + "zh/", "导出")
    assert any(u.endswith("/bulk-export-limits/") for u in urls[:3]), urls[:5]
    english = [u for u in urls if "/zh/" not in u]
    assert english, urls
    label = page.locator(css.PAGE_OTHER_LABEL)
    assert "English" in label.inner_text(), label.inner_text()
    first_english = page.locator(f"{css.PAGE_OTHER_LABEL} ~ li a").first.get_attribute("href") or ""
    assert "/zh/" not in first_english, first_english


@pytest.mark.parametrize(
    "where", ["search/?q=refund", f"search/?q={quote(NOTHING)}", "zh/search/?q=%E5%AF%BC%E5%87%BA"]
)
def test_results_page_has_no_serious_accessibility_violation(
    sites: Sites, page_without_csp, axe_script, where: str
) -> None:  # type: ignore[no-untyped-def]
    page = page_without_csp  # axe-core is injected as an inline script
    page.goto(sites.public + where)
    # Checked once the search has answered: its results, or the no-results words.
    page.wait_for_function(
        """() => {
            const box = document.querySelector('[data-kb-results-page]');
            const status = box.querySelector('[data-kb-search-status]').textContent;
            return box.querySelector('[data-kb-search-results]').childElementCount > 0
                || status.includes(box.dataset.kbDeadEnd);
        }""",
        timeout=10_000,
    )
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)


def test_analytics_get_the_query_scrubbed_and_the_chosen_page(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    """Off in the sample; here the site's settings.json is served with an endpoint set, as a build
    with `search.analytics.endpoint` writes it, and the endpoint is the test's."""
    endpoint = sites.public + "collect"
    sent: list[dict] = []
    page.route("**/search/settings.json", lambda route: route.fulfill(json={"analytics": endpoint}))

    def collect(route) -> None:  # type: ignore[no-untyped-def]
        sent.append(json.loads(route.request.post_data or "{}"))
        route.fulfill(status=204)

    page.route("**/collect", collect)
    query = "refund for ana@example.com card 4111 1111 1111 1111"
    first = search(page, sites.public, query)[0]
    page.locator(css.HOME_RESULT_LINKS).first.click()
    page.wait_for_url(first, timeout=10_000)
    page.wait_for_timeout(500)  # the beacon is sent as the page is left
    assert sent, "no report reached the endpoint"
    report = sent[-1]
    assert report["query"] == "refund for [email] card [number]", report
    assert report["clicked"] == urlparse(first).path and report["lang"] == "en"
    assert report["results"] >= 1
