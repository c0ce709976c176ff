"""The theme's rendered HTML, from real MkDocs builds of a tiny staged site."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


class Page(HTMLParser):
    """Start tags with their attributes, and the text inside each element with a class or id."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.html = path.read_text(encoding="utf-8")
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(self.html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        want = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in want.items())]

    def meta(self, key: str, value: str) -> str | None:
        found = [a.get("content") for t, a in self.tags if t == "meta" and a.get(key) == value]
        return found[0] if found else None

    def text_of(self, pattern: str) -> str:
        match = re.search(pattern, self.html, re.DOTALL)
        assert match, f"no match for {pattern}"
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def page(site: Path, url: str) -> Page:
    return Page(site / url / "index.html")


def test_article_has_breadcrumbs_title_lead_and_review_date(public_site: Path) -> None:
    p = page(public_site, "reset-password")
    crumbs = p.text_of(r'<nav class="kb-breadcrumbs"[^>]*>(.*?)</nav>')
    assert crumbs == "Home Sign-in and account How do I reset my password?"
    assert p.find("a", href="../category/account/")
    assert p.find("span", aria_current="page")
    assert p.text_of(r'<h1 data-pagefind-meta="title">(.*?)</h1>') == "How do I reset my password?"
    assert p.text_of(r'<p class="kb-lead"[^>]*>(.*?)</p>').startswith("You can set a new password")
    assert p.text_of(r'<p class="kb-reviewed"[^>]*>(.*?)</p>') == "Last reviewed 2026-10-01"
    assert p.find("time", datetime="2026-10-01")


def test_article_sections_are_wrapped_for_styling(public_site: Path) -> None:
    p = page(public_site, "reset-password")
    for part in ("steps", "tips", "troubleshooting"):
        assert p.find("div", class_=f"kb-part kb-part--{part}")
    images = p.find("img")
    assert images and all(img.get("alt") for img in images)


def test_related_articles_show_summaries(public_site: Path) -> None:
    related = page(public_site, "reset-password").text_of(r'<section class="kb-related"[^>]*>(.*?)</section>')
    assert "Why do I see DS-1001: Invalid credentials?" in related
    assert "The sign-in details don't match an account." in related


def test_contact_block_lists_channels_per_plan(public_site: Path) -> None:
    p = page(public_site, "reset-password")
    help_block = p.text_of(r'<section class="kb-help"[^>]*>(.*?)</section>')
    assert help_block.startswith("Still need help?")
    assert "Email support@dataflow.example Plans: Starter, Professional, Enterprise" in help_block
    assert "Phone +1 555 0100 Plans: Professional, Enterprise" in help_block
    # A web channel is linked by its label, not shown as a raw URL.
    assert "Chat Plans: Professional, Enterprise" in help_block
    assert "https://help.dataflow.example/chat" not in help_block
    assert p.find("a", href="https://help.dataflow.example/chat")
    assert p.find("a", href="mailto:support@dataflow.example")
    assert p.find("a", href="tel:+15550100")


def test_head_has_description_jsonld_og_canonical_and_alternates(public_site: Path) -> None:
    p = page(public_site, "reset-password")
    summary = "You can set a new password from the sign-in page in about two minutes."
    assert p.meta("name", "description") == summary
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', p.html, re.DOTALL)
    assert len(scripts) == 1
    assert json.loads(scripts[0])["@type"] == "HowTo"
    assert p.meta("property", "og:title") == "How do I reset my password?"
    assert p.meta("property", "og:description") == summary
    assert p.meta("property", "og:url") == "https://help.dataflow.example/reset-password/"
    assert p.meta("property", "og:type") == "article"
    assert p.meta("property", "og:site_name") == "DataFlow Solutions Help Center"
    assert [a["href"] for a in p.find("link", rel="canonical")] == [
        "https://help.dataflow.example/reset-password/"
    ]
    alternates = {a["hreflang"]: a["href"] for a in p.find("link", rel="alternate")}
    assert alternates == {
        "en": "https://help.dataflow.example/reset-password/",
        "zh": "https://help.dataflow.example/zh/reset-password/",
    }


def switcher(p: Page) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in p.find("a", class_="md-select__link")}


def test_language_switcher_links_relatively_to_this_pages_translation(
    public_site: Path, zh_site: Path
) -> None:
    # Relative, so a local or preview build stays on its own host (hreflang <link>s stay absolute).
    assert switcher(page(public_site, "reset-password")) == {
        "en": "../reset-password/",
        "zh": "../zh/reset-password/",
    }
    assert switcher(page(zh_site, "reset-password")) == {
        "en": "../../reset-password/",
        "zh": "../../zh/reset-password/",
    }
    assert switcher(Page(public_site / "index.html")) == {"en": "./", "zh": "./zh/"}


def test_language_switcher_falls_back_to_the_language_home(public_site: Path, zh_site: Path) -> None:
    # ds-1001 lists no translation.
    assert switcher(page(public_site, "ds-1001")) == {"en": "../", "zh": "../zh/"}
    assert switcher(page(zh_site, "category/account")) == {"en": "../../../", "zh": "../../../zh/"}


def test_noindex_on_every_internal_page_and_no_public_page(public_site: Path, internal_site: Path) -> None:
    for path in internal_site.rglob("*.html"):
        assert Page(path).meta("name", "robots") == "noindex, nofollow", path
    assert (internal_site / "404.html").is_file()
    for path in public_site.rglob("*.html"):
        assert Page(path).meta("name", "robots") is None, path


def test_agent_only_page_has_internal_badge_and_styled_agent_note(
    public_site: Path, internal_site: Path
) -> None:
    internal = page(internal_site, "sync-failed")
    assert internal.text_of(r'<span class="kb-badge kb-badge--internal"[^>]*>(.*?)</span>') == "Internal"
    assert internal.find("div", class_="admonition internal")
    assert not page(internal_site, "reset-password").find("span", class_="kb-badge kb-badge--internal")
    public = page(public_site, "sync-failed")
    assert not public.find("span", class_="kb-badge kb-badge--internal")
    assert not public.find("div", class_="admonition internal")
    # Agents do not need the customer contact block on agent-only pages.
    assert "kb-help" not in internal.html


def test_only_articles_are_search_bodies(public_site: Path) -> None:
    assert "data-pagefind-body" in page(public_site, "reset-password").html
    assert "data-pagefind-body" not in (public_site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in page(public_site, "category/account").html
    terms = page(public_site, "ds-1001").find("p", class_="kb-search-terms")
    assert terms and "hidden" in terms[0]


def test_header_search_replaces_materials_and_home_has_big_search(public_site: Path) -> None:
    home = Page(public_site / "index.html")
    assert 'data-md-component="search"' not in home.html
    header_input = home.find("input", id="kb-search-input")
    assert header_input and header_input[0]["role"] == "combobox"
    assert header_input[0]["aria-controls"] == "kb-search-results"
    assert home.find("ul", id="kb-search-results", role="listbox")
    home_input = home.find("input", id="kb-home-search")
    assert home_input and home_input[0]["aria-controls"] == "kb-home-search-results"
    assert home.find("div", class_="grid cards")
    assert home.find("script", src="assets/javascripts/kb-search.js")
    assert (public_site / "assets/javascripts/kb-search.js").is_file()
    assert (public_site / "assets/stylesheets/kb.css").is_file()


def test_chinese_build_sets_lang_translates_labels_and_marks_fallbacks(zh_site: Path) -> None:
    translated = page(zh_site, "reset-password")
    assert '<html lang="zh"' in translated.html
    assert translated.text_of(r'<section class="kb-help"[^>]*>(.*?)</section>').startswith("仍需帮助？")
    assert "kb-untranslated" not in translated.html
    fallback = page(zh_site, "ds-1001")
    assert fallback.text_of(r'<aside class="kb-untranslated"[^>]*>(.*?)</aside>').startswith("此页面尚未翻译")


# Python's string and dict methods: Jinja2 has them, MiniJinja (Zensical's engine) does not.
_PYTHON_METHOD = re.compile(
    r"\.(?:startswith|endswith|rstrip|lstrip|strip|split|lower|upper|replace|format|join|get|items|"
    r"keys|values|append|count|find|title)\s*\("
)
_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


def test_templates_use_filters_and_tests_both_engines_have() -> None:
    theme = Path(__file__).resolve().parents[2] / "theme"
    found = [
        f"{path.relative_to(theme)}: {match.group(0)[:80]}"
        for path in sorted(theme.rglob("*.html"))
        for match in _TAG.finditer(path.read_text(encoding="utf-8"))
        if _PYTHON_METHOD.search(match.group(0))
    ]
    assert found == []
