"""The help center around the articles, in headless Chromium on the shipped sample: home,
category, article, 404 and search results in every language at desktop and phone size, with
screenshots and axe-core; no English interface string on a Chinese or Spanish page; the agent
site's own look and its report pages."""

from __future__ import annotations

import re

import pytest

from generator.config import load_config
from generator.pipeline.stage.languages import STRINGS
from tests.browser.conftest import ROOT, Sites

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "home": "",
    "category": "category/account/",
    "article": "reset-password/",
    "404": "404.html",
    "search": "search/?q=password",
}
LANGS = ("en", "zh", "es")
AGENT_PAGES = {"agent-home": "", "review-queue": "review-queue/", "health": "health/"}


def _prefix(lang: str) -> str:
    return "" if lang == "en" else f"{lang}/"


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _serious(page, axe_script) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGS)
def test_public_pages_in_every_language_and_size(  # type: ignore[no-untyped-def]
    sites: Sites, page_without_csp, axe_script, screenshots, lang: str, size: str
) -> None:
    page = page_without_csp  # axe-core is injected as an inline script
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    for name, where in PAGES.items():
        page.goto(sites.public + _prefix(lang) + where)
        assert f'lang="{lang}"' in page.content()[:400], (lang, name)
        _no_sideways_scroll(page)
        page.screenshot(path=str(screenshots / f"{name}-{lang}-{size}.png"), full_page=True)
        bad = _serious(page, axe_script)
        assert not bad, f"{name} ({lang}, {size}):\n" + "\n".join(bad)


def test_home_is_a_help_center_home(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public)
    assert page.title() == "DataFlow Solutions Help Center"  # once, not "X - X"
    banner = page.locator(".kb-banner")
    assert banner.locator("input[type=search]").is_visible()
    # One search box: the header's is hidden on the home page.
    assert not page.locator("#kb-search-input").is_visible()
    assert not page.locator("label.md-header__button[for='__search']").is_visible()
    # No side navigation, table of contents or previous/next links.
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    assert (
        page.locator(".md-footer__link").count() == 0
        or not page.locator(".md-footer__link").first.is_visible()
    )
    # Category cards: the whole card is one link, with its icon.
    cards = page.locator("a.kb-card")
    assert cards.count() == 8
    first = cards.first
    assert first.locator(".kb-card__icon svg").count() == 1
    box, item = first.bounding_box(), page.locator("ul.kb-cards > li").first.bounding_box()
    assert box and item and abs(box["height"] - item["height"]) < 1 and abs(box["width"] - item["width"]) < 1
    first.locator(".kb-card__text").click()
    page.wait_for_url(re.compile(r"/category/getting-started/$"))


def test_home_lists_popular_articles_contact_and_footer(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public)
    config = load_config(ROOT / "site_config.yml")
    popular = page.locator(".kb-popular a")
    assert popular.count() == len(config.featured)
    help_block = page.locator("section.kb-help")
    for channel in config.contact.channels:
        assert channel.label in help_block.inner_text()
    # Web channels are linked by their label; addresses and numbers with mailto: and tel:.
    assert (
        help_block.get_by_role("link", name="Live chat").get_attribute("href")
        == "https://support.dataflow.com"
    )
    assert "https://" not in help_block.inner_text()
    assert help_block.locator("a[href='mailto:support@dataflow.com']").count() == 1
    assert help_block.locator("a[href^='tel:']").count() == 1
    # Plans line up: every channel's plans start at the same x.
    plans_x = {round(b["x"]) for b in help_block.locator(".kb-help__plans").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().toJSON())"
    )}  # fmt: skip
    assert len(plans_x) == 1, plans_x
    footer = page.locator("footer .kb-footer")
    assert [a.inner_text() for a in footer.locator("a").all()] == [
        link["label"] for link in config.site.links
    ]
    assert config.site.copyright in footer.inner_text()


def test_category_page_has_breadcrumb_description_and_summaries(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public + "category/account/")
    crumbs = page.locator("nav.kb-breadcrumbs li")
    assert [c.inner_text() for c in crumbs.all()] == ["Home", "Sign-in and account"]
    assert "two-step sign-in" in page.locator(".kb-category .kb-lead").inner_text()
    items = page.locator("ul.kb-list > li")
    assert items.count() >= 3
    assert all(item.locator("p").inner_text().strip() for item in items.all()), "each article has its summary"
    assert not page.locator(".md-sidebar--secondary").is_visible()


@pytest.mark.parametrize("lang", ["zh", "es"])
def test_no_english_interface_string_on_other_languages(sites: Sites, page, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Every interface string that the language words differently must not show in English.
    Article text is left out: a page not yet translated stands in, in English, by design."""
    english = {k: v for k, v in STRINGS["en"].items() if v and STRINGS[lang].get(k, v) != v and len(v) > 3}
    config = load_config(ROOT / "site_config.yml")
    english.update({f"category {c.id}": c.title for c in config.categories})
    english.update({f"channel {c.label}": c.label for c in config.contact.channels})
    english.update({f"link {link['label']}": link["label"] for link in config.site.links})
    english["site name"] = config.site.name
    for where in PAGES.values():
        page.goto(sites.public + f"{lang}/" + where)
        text = page.evaluate(
            """() => {
              const copy = document.body.cloneNode(true);
              copy.querySelectorAll('[data-pagefind-body], .kb-popular, .kb-list, .kb-related,'
                + ' .kb-search-terms, .kb-untranslated, [hidden], .md-search, script, .md-nav')
                .forEach(e => e.remove());
              return copy.innerText;
            }"""
        )
        # Placeholders and labels count too: what a screen reader says.
        text += " ".join(page.locator("[placeholder]").evaluate_all("els => els.map(e => e.placeholder)"))
        shown = [
            f"{key}: {value!r}"
            for key, value in english.items()
            if re.search(rf"\b{re.escape(value)}\b", text)
        ]
        assert not shown, f"/{lang}/{where} shows English: {shown}"


def test_404_is_translated_and_leads_somewhere(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    for lang, title in (("en", "Page not found"), ("zh", "找不到页面"), ("es", "Página no encontrada")):
        page.goto(sites.public + _prefix(lang) + "404.html")
        assert page.locator("h1").inner_text() == title
        assert page.locator(".kb-banner input[type=search]").is_visible()
        assert page.locator(".kb-popular a").count() >= 3
        assert page.locator("section.kb-help").count() == 1
        home = page.locator("a.md-button").last
        home.click()
        page.wait_for_url(re.compile(rf"/{_prefix(lang)}$"))


@pytest.mark.parametrize("size", list(SIZES))
def test_agent_site_looks_internal(
    sites: Sites, page_without_csp, axe_script, screenshots, size: str
) -> None:  # type: ignore[no-untyped-def]
    page = page_without_csp
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(sites.public)
    public_header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
    for name, where in AGENT_PAGES.items():
        page.goto(sites.internal + where)
        assert "Agent site" in page.title()
        assert not re.match(r"^(.+) - \1$", page.title()), page.title()
        assert page.locator(".kb-internal-banner").is_visible()
        header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
        assert header != public_header
        _no_sideways_scroll(page)
        page.screenshot(path=str(screenshots / f"{name}-{size}.png"), full_page=True)
        bad = _serious(page, axe_script)
        assert not bad, f"{name} ({size}):\n" + "\n".join(bad)


def test_agent_reports_list_what_is_ahead_and_explain_columns(sites: Sites, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.internal + "review-queue/")
    assert page.get_by_role("heading", name="Coming up").count() == 1
    assert page.get_by_role("heading", name=re.compile(r"In 61 to 90 days")).count() == 1
    page.goto(sites.internal + "health/")
    table = page.locator("article table").first
    headers = [h.inner_text() for h in table.locator("th").all()]
    notes = page.locator("article").inner_text()
    for header in headers:
        assert f"{header}:" in notes.replace("\n", " "), header
    # The table fits: its last column is inside the content area at desktop width.
    right = table.evaluate("t => t.getBoundingClientRect().right")
    content = page.locator("article.md-content__inner").evaluate("a => a.getBoundingClientRect().right")
    assert right <= content + 1
    page.goto(sites.internal + "rules/")
    summary = page.get_by_role("heading", name="All rules at a glance")
    assert summary.count() == 1
    assert page.locator("article table").first.locator("tr").count() > 30
