"""Front matter and configuration that carry markup show as text on every page that prints them,
and never become an element or an attribute (issue 15, item 4). Built with kb's own pipeline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.model import Audience
from generator.pipeline.verify.links import serve
from tests.theme.hostile import (
    CATEGORY,
    CATEGORY_DESCRIPTION,
    CHAT_URL,
    KEYWORD,
    LABEL,
    PLAIN_TITLE,
    SCRIPT_URL,
    SITE_DESCRIPTION,
    SITE_NAME,
    SUMMARY,
    TITLE,
    Node,
    build,
    dom,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("hostile-public"), Audience.PUBLIC)


@pytest.fixture(scope="module")
def internal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("hostile-internal"), Audience.INTERNAL)


# Pages that print the hostile values, in both languages (/zh/ shows the English page as its
# stand-in) and on both sites.
PAGES = [
    "hostile/index.html",
    "reset-password/index.html",
    "category/account/index.html",
    "index.html",
    "error-codes/index.html",
    "404.html",
    "zh/hostile/index.html",
    "zh/category/account/index.html",
    "zh/index.html",
]


def injected(page: Node) -> list[str]:
    """What the payloads would have made if printed as markup: handlers, the `x` image, scripts that
    alert, more than one <title>."""
    found = []
    for node in page.iter():
        for name in node.attrs:
            if name.startswith("on"):
                found.append(f"<{node.tag} {name}=...>")
        if node.tag == "img" and node.attrs.get("src") == "x":
            found.append("<img src=x>")
        runs = node.attrs.get("type") not in ("application/json", "application/ld+json")
        if node.tag == "script" and runs and "alert(" in node.text():
            found.append(f"<script>{node.text()[:40]}")
        if node.tag == "a" and node.attrs.get("href", "").strip().lower().startswith("javascript:"):
            found.append(f"<a href={node.attrs['href']!r}>")
    if len(page.find_all("title")) != 1:
        found.append(f"{len(page.find_all('title'))} <title> elements")
    return found


@pytest.mark.parametrize("where", PAGES)
def test_no_payload_becomes_an_element_or_attribute(public: Path, internal: Path, where: str) -> None:
    for site in (public, internal):
        assert injected(dom(site / where)) == [], f"{site.name}/{where}"


def meta(page: Node, key: str, value: str) -> str:
    return page.find("meta", **{key: value}).attrs["content"]


@pytest.mark.parametrize("where", ["hostile/index.html", "zh/hostile/index.html"])
def test_article_head_shows_values_as_text(public: Path, where: str) -> None:
    page = dom(public / where)
    assert page.find("title").text() == f"{TITLE} - {SITE_NAME}"
    assert meta(page, "name", "description") == SUMMARY
    assert meta(page, "property", "og:title") == TITLE
    assert meta(page, "property", "og:description") == SUMMARY
    assert meta(page, "property", "og:site_name") == SITE_NAME
    (jsonld,) = page.find_all("script", type="application/ld+json")
    assert "<" not in jsonld.text()  # as \u003c: no "</script" or "<!--" can end or bend the element
    data = json.loads(jsonld.text())
    assert (data["name"], data["description"]) == (TITLE, SUMMARY)


@pytest.mark.parametrize("where", ["hostile/index.html", "zh/hostile/index.html"])
def test_article_body_shows_values_as_text(public: Path, where: str) -> None:
    page = dom(public / where)
    assert page.find("h1").text() == TITLE
    assert page.find("p", class_="kb-lead").text() == SUMMARY
    assert KEYWORD in page.find("p", class_="kb-search-terms").text()
    crumbs = page.find("nav", class_="kb-breadcrumbs").find_all("li")
    assert [li.text() for li in crumbs][1:] == [CATEGORY, TITLE]
    header = page.find("header", class_="md-header")
    assert SITE_NAME in header.text() and TITLE in header.text()
    assert header.find("a", class_="md-logo").attrs["title"] == SITE_NAME
    # Material's navigation: the site name and the category's title as the reader should see them.
    nav = page.find("nav", class_="md-nav--primary")
    assert nav.find("a", class_="md-logo").attrs["title"] == SITE_NAME
    assert CATEGORY in [a.text() for a in nav.find_all("a", class_="md-nav__link")]


def test_contact_block_shows_labels_and_links_only_safe_schemes(public: Path) -> None:
    help_block = dom(public / "hostile/index.html").find("section", class_="kb-help")
    assert LABEL in [span.text() for span in help_block.find_all("span", class_="kb-help__label")]
    hrefs = [a.attrs["href"] for a in help_block.find_all("a")]
    assert "mailto:support@hostile.example" in hrefs
    assert CHAT_URL in hrefs  # an http(s) link, its quotes and brackets kept inside the attribute
    assert not [h for h in hrefs if "javascript" in h.lower()]
    assert SCRIPT_URL in help_block.text()  # shown, not linked


def test_related_article_lists_the_title_and_summary_as_text(public: Path) -> None:
    related = dom(public / "reset-password/index.html").find("section", class_="kb-related")
    assert {a.text() for a in related.find_all("a")} == {TITLE}
    assert related.find("p").text() == SUMMARY


@pytest.mark.parametrize("where", ["category/account/index.html", "zh/category/account/index.html"])
def test_category_page_lists_the_title_and_summary_as_text(public: Path, where: str) -> None:
    page = dom(public / where)
    assert page.find("title").text() == f"{CATEGORY} - {SITE_NAME}"
    assert meta(page, "name", "description") == CATEGORY_DESCRIPTION
    content = page.find("article", class_="md-content__inner")
    assert content.find("h1").text() == CATEGORY
    assert TITLE in [a.text() for a in content.find_all("a")]
    assert SUMMARY in [p.text() for p in content.find_all("p")]


@pytest.mark.parametrize("where", ["index.html", "zh/index.html"])
def test_home_page_shows_names_titles_and_descriptions_as_text(public: Path, where: str) -> None:
    page = dom(public / where)
    assert page.find("title").text() == SITE_NAME  # the home page's tab: the name once
    assert meta(page, "property", "og:site_name") == SITE_NAME
    content = page.find("article", class_="md-content__inner")
    links = [a.text() for a in content.find_all("a")]
    assert TITLE in links and PLAIN_TITLE in links
    assert CATEGORY in [s.text() for s in content.find_all("span", class_="kb-card__title")]
    assert CATEGORY_DESCRIPTION in [s.text() for s in content.find_all("span", class_="kb-card__text")]


def test_site_description_is_text(public: Path) -> None:
    assert meta(dom(public / "404.html"), "name", "description") == SITE_DESCRIPTION


def test_generated_mkdocs_yml_hands_material_html(public: Path) -> None:
    """Material prints site_name and nav titles as HTML: kb writes them escaped."""
    text = (public.parent / ".work" / "public-en" / "mkdocs.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    material = yaml.safe_dump({"site_name": data["site_name"], "nav": data["nav"]})
    assert "<svg" not in material and "&lt;svg/onload=alert(11)&gt;" in material
    # The theme's strings are text, printed with `| e` (kb-i18n.html): the name as written.
    assert "<svg/onload=alert(11)>" in data["extra"]["kb"]["strings"]["site_name"]


# -- in Chromium, with the Content-Security-Policy taken out: escaping alone must hold -------------

_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, need

    need(CHROMIUM.is_file(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _without_csp(route) -> None:  # type: ignore[no-untyped-def]
    response = route.fetch()
    body = response.text()
    route.fulfill(response=response, body=_CSP_META.sub("", body))


@pytest.mark.browser
def test_no_dialog_fires_in_chromium(chromium, public: Path, internal: Path) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    for site in (public, internal):
        dialogs.clear()
        with serve(site) as base:
            context = chromium.new_context()
            context.route(re.compile(r".*(/|\.html)$"), _without_csp)
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for where in PAGES:
                page.goto(base + where.removesuffix("index.html"))
                page.wait_for_load_state("load")
                assert "Content-Security-Policy" not in page.content()
                # Hover and focus everything, in case a payload waits for an event.
                page.evaluate(
                    "for (const el of document.querySelectorAll('*')) {"
                    " for (const t of ['mouseover', 'focus', 'toggle', 'load', 'error'])"
                    "  el.dispatchEvent(new Event(t)); }"
                )
            context.close()
            assert dialogs == [], f"{site.name}: alerts {sorted(set(dialogs))}"
