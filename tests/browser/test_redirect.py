"""A browser follows an old URL (`redirect_from:` in kb_source/account/reset-password.md) to the
article, on the public site and in another language, under the sites' Content-Security-Policy."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Sites


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_an_old_url_leads_to_the_article(sites: Sites, page, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(sites.public + lang + "forgot-password/")
    page.wait_for_url(re.compile(rf"/{lang}reset-password/$"), timeout=10_000)
    assert page.locator("h1").first.inner_text().strip()
    assert "forgot-password" not in page.url
