"""The page context (`kb:` in a staged page's front matter, `page.meta.kb` in the theme) is
declared in stage/context.py: the theme reads nothing that is not declared there, and what is
written is the declared fields, in their order, None left out."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.meta import get_data

from generator.model import Audience, CheckResult
from generator.pipeline.load import load_site
from generator.pipeline.site import build_site
from generator.pipeline.stage.context import (
    Alternate,
    CategoryLink,
    ContactLink,
    PageContext,
    PageKind,
)
from generator.resources import theme_dir
from tests.pipeline.conftest import SITE_FIXTURE, config_of

DECLARED = [f.name for f in fields(PageContext)]
ARTICLE_ONLY = DECLARED[DECLARED.index("last_reviewed") : DECLARED.index("categories")]
LISTS = ["categories", "featured", "articles"]  # the home and category pages' own
INTERNAL_ONLY = ["owner", "source"]

# `kb.x` or `page.meta.kb.x` inside a Jinja expression or statement (comments left out).
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_READ = re.compile(r"(?<![\w./])(?:page\.meta\.)?kb\.(\w+)(?:\.(\w+))?")


def theme_reads() -> set[tuple[str, str | None]]:
    found = set()
    for template in theme_dir().rglob("*.html"):
        for expression in _EXPRESSION.findall(template.read_text(encoding="utf-8")):
            found |= {(m.group(1), m.group(2)) for m in _READ.finditer(expression)}
    return found


def test_every_field_the_theme_reads_is_declared() -> None:
    reads = theme_reads()
    assert {"kind", "summary", "alternates", "contact", "category"} <= {name for name, _ in reads}
    assert {name for name, _ in reads} <= set(DECLARED)
    assert {sub for name, sub in reads if name == "category" and sub} <= {
        f.name for f in fields(CategoryLink)
    }


def test_the_front_matter_is_the_declared_fields_in_order_none_left_out() -> None:
    context = PageContext(
        kind=PageKind.ERROR_CODES,
        id="error-codes",
        audience=Audience.PUBLIC,
        lang="en",
        internal=False,
        site_audience=Audience.PUBLIC,
        summary="Look up an error message by its code.",
        contact=(
            ContactLink("email", "Email", "help@example.com"),
            ContactLink("chat", "Chat", "https://c", ("Pro",)),
        ),
        alternates=(Alternate("en", "English", "https://help.example/error-codes/", True),),
        canonical="https://help.example/error-codes/",
    )
    data = context.as_front_matter()
    assert list(data) == [n for n in DECLARED if n not in (*ARTICLE_ONLY, *INTERNAL_ONLY, *LISTS)]
    assert (data["kind"], data["audience"]) == ("error-codes", "public")
    assert data["contact"] == [
        {"channel": "email", "label": "Email", "value": "help@example.com"},
        {"channel": "chat", "label": "Chat", "value": "https://c", "plans": ["Pro"]},
    ]
    assert data["alternates"] == [
        {"lang": "en", "name": "English", "url": "https://help.example/error-codes/", "translated": True}
    ]


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = config_of(SITE_FIXTURE)
    work = tmp_path_factory.mktemp("staged")
    articles = load_site(config)
    for audience in Audience:
        build_site(config, date(2026, 11, 23), articles, CheckResult(files=0), audience, work, render=False)
    return work / ".work"


def kb_of(page: Path) -> dict[str, Any]:
    return get_data(page.read_text(encoding="utf-8"))[1]["kb"]


@pytest.mark.parametrize("audience", list(Audience))
def test_an_article_page_carries_every_article_field(staged: Path, audience: Audience) -> None:
    kb = kb_of(staged / f"{audience.value}-en" / "docs" / "reset-password.md")
    internal = audience is Audience.INTERNAL
    assert list(kb) == [n for n in DECLARED if (internal or n not in INTERNAL_ONLY) and n not in LISTS]
    assert kb["kind"] == "article" and kb["site_audience"] == audience.value
    assert kb["category"] == {"id": "account", "title": kb["category"]["title"], "url": "category/account/"}
    assert ("source" in kb) is internal


def test_a_generated_page_carries_no_article_fields(staged: Path) -> None:
    kb = kb_of(staged / "public-en" / "docs" / "index.md")
    assert kb["kind"] == "home"
    assert not set(kb) & {*ARTICLE_ONLY, *INTERNAL_ONLY, "articles"}


def test_home_and_category_pages_carry_their_lists_and_hide_the_side_columns(staged: Path) -> None:
    docs = staged / "public-en" / "docs"
    meta = get_data((docs / "index.md").read_text(encoding="utf-8"))[1]
    assert meta["hide"] == ["navigation", "toc", "footer"]
    cards = meta["kb"]["categories"]
    assert {"title", "description", "url", "count"} <= set(cards[0])  # icon: when configured
    assert all(card["url"].startswith("category/") and card["count"] > 0 for card in cards)
    category = get_data((docs / "category" / "account.md").read_text(encoding="utf-8"))[1]
    assert category["hide"] == ["navigation", "toc", "footer"]
    listed = category["kb"]["articles"]
    assert "reset-password/" in [a["url"] for a in listed]
    assert all(a["summary"] for a in listed)
