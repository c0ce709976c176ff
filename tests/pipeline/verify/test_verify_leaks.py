"""Plant each kind of leak in a copy of a clean build: verification must fail naming file and cause."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.pipeline.verify import Kind, VerifyResult, verify_sites
from generator.pipeline.verify.files import PAGEFIND_SIGNATURE
from tests.pipeline.verify.conftest import TODAY, Pair

BLOCK_SENTENCE = (
    "If the customer was locked out by the fraud filter, unlock the account from the console "
    "before sending another reset link."
)
INTERNAL_TITLE = "How do agents escalate a duplicate charge refund?"
INTERNAL_SENTENCE = "Refunds above five hundred dollars need written approval from the billing lead on duty."
INTERNAL_ID = "duplicate-charge-escalation"


def verify(pair: Pair, links: bool = False) -> VerifyResult:
    return verify_sites(pair.public, pair.internal, pair.config, TODAY, links=links)


def problems_in(result: VerifyResult, file: Path, kind: Kind) -> list[str]:
    return [p.cause for p in result.problems if p.file == file.as_posix() and p.kind is kind]


def insert_html(page: Path, snippet: str) -> None:
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", f"{snippet}</article>", 1), encoding="utf-8")


def test_clean_build_passes_with_links(clean_pair: Pair) -> None:
    result = verify_sites(clean_pair.public, clean_pair.internal, clean_pair.config, TODAY)
    assert result.problems == ()
    assert result.files > 10


def test_internal_page_copied_into_public_site(pair: Pair) -> None:
    shutil.copytree(pair.internal / INTERNAL_ID, pair.public / INTERNAL_ID)
    causes = problems_in(verify(pair), pair.public / INTERNAL_ID / "index.html", Kind.LEAK)
    assert any(f"internal page id '{INTERNAL_ID}'" in c for c in causes)
    assert any(INTERNAL_TITLE in c for c in causes)
    assert any("internal page text" in c and "five hundred dollars" in c for c in causes)


def test_internal_block_text_in_a_page_whatever_the_markup(pair: Pair) -> None:
    page = pair.public / "reset-password" / "index.html"
    marked_up = BLOCK_SENTENCE.replace("locked out", "<em>locked\n   out</em>").replace(
        "console", "con&shy;sole"
    )
    insert_html(page, f"<p>{marked_up}</p>")
    causes = problems_in(verify(pair), page, Kind.LEAK)
    assert causes == [
        f'internal block text from internal site reset-password/index.html: "{BLOCK_SENTENCE[:79]}…"'
    ]


def test_internal_block_markup_is_caught_even_without_its_text(pair: Pair) -> None:
    page = pair.public / "charged-twice" / "index.html"
    insert_html(page, '<div class="admonition internal"><p>Call the bank.</p></div>')
    assert problems_in(verify(pair), page, Kind.LEAK) == [
        'an element marked `internal` (<div>): "Call the bank."'
    ]


@pytest.mark.parametrize(
    "markup",
    [
        '<details class="internal"><summary>Note</summary>Call the bank.</details>',
        '<DIV CLASS="note Internal">Call the bank.</DIV>',
        "<p class=internal>Call the bank.</p>",
        '<span class="&#105;nternal">Call the bank.</span>',
    ],
)
def test_any_element_marked_internal_is_caught(pair: Pair, markup: str) -> None:
    page = pair.public / "charged-twice" / "index.html"
    insert_html(page, markup)
    causes = problems_in(verify(pair), page, Kind.LEAK)
    assert len(causes) == 1 and causes[0].startswith("an element marked `internal`")


def test_internal_title_in_a_tag_page(pair: Pair) -> None:
    page = pair.public / "tags" / "refunds" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body><ul><li><a href='#'>{INTERNAL_TITLE}</a></li></ul></body></html>")
    causes = problems_in(verify(pair), page, Kind.LEAK)
    assert (
        len(causes) == 1 and f"internal page title from internal site {INTERNAL_ID}/index.html" in causes[0]
    )


def test_internal_id_in_sitemap_and_compressed_sitemap(pair: Pair) -> None:
    entry = f"<url><loc>https://help.fixture.example/{INTERNAL_ID}/</loc></url></urlset>"
    sitemap = pair.public / "sitemap.xml"
    xml = sitemap.read_text(encoding="utf-8").replace("</urlset>", entry)
    sitemap.write_text(xml, encoding="utf-8")
    (pair.public / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode()))
    result = verify(pair)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert any(INTERNAL_ID in c for c in problems_in(result, pair.public / name, Kind.LEAK)), name


def test_internal_sentence_in_a_pagefind_fragment(pair: Pair) -> None:
    fragment = next(
        f for f in sorted((pair.public / "pagefind" / "fragment").glob("*.pf_fragment"))
        if b'"/charged-twice/"' in gzip.decompress(f.read_bytes())
    )  # fmt: skip
    data = gzip.decompress(fragment.read_bytes())
    assert data.startswith(PAGEFIND_SIGNATURE)
    page = json.loads(data.removeprefix(PAGEFIND_SIGNATURE))
    page["content"] += " " + INTERNAL_SENTENCE
    fragment.write_bytes(gzip.compress(PAGEFIND_SIGNATURE + json.dumps(page).encode()))
    causes = problems_in(verify(pair), fragment, Kind.LEAK)
    assert len(causes) == 1 and "five hundred dollars" in causes[0]


def test_link_to_the_internal_site(pair: Pair) -> None:
    page = pair.public / "index.html"
    insert_html(page, f'<a href="https://agents.fixture.example/{INTERNAL_ID}/">notes</a>')
    causes = problems_in(verify(pair), page, Kind.LEAK)
    assert "links to the internal site (agents.fixture.example)" in causes
    assert any(f"internal page id '{INTERNAL_ID}'" in c for c in causes)


def test_a_short_or_public_phrase_is_not_a_leak(pair: Pair) -> None:
    # "Agent note" (the block's title) and a sentence every public reader sees are not leaks.
    insert_html(
        pair.public / "index.html",
        "<p>Agent note. Wait five minutes, then check your spam or junk folder.</p>",
    )
    assert verify(pair).problems == ()


@pytest.mark.parametrize("gone", ["public/charged-twice", "internal/duplicate-charge-escalation"])
def test_missing_page(pair: Pair, gone: str) -> None:
    site, page = gone.split("/")
    shutil.rmtree(getattr(pair, site) / page)
    causes = problems_in(verify(pair), getattr(pair, site) / page / "index.html", Kind.MISSING)
    assert any("has no page for kb_source/" in c for c in causes)


def test_article_missing_from_sitemap_and_search(pair: Pair) -> None:
    sitemap = pair.public / "sitemap.xml"
    xml = re.sub(r"<url>\s*<loc>[^<]*/charged-twice/</loc>.*?</url>", "", sitemap.read_text(), flags=re.S)
    sitemap.write_text(xml)
    (pair.public / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode()))
    for fragment in (pair.public / "pagefind" / "fragment").glob("*.pf_fragment"):
        if b'"/charged-twice/"' in gzip.decompress(fragment.read_bytes()):
            fragment.unlink()
    result = verify(pair)
    assert problems_in(result, pair.public / "sitemap.xml", Kind.MISSING) == [
        "kb_source/billing/charged-twice.md is not in the sitemap (no <loc> ending in /charged-twice/)"
    ]
    assert problems_in(result, pair.public / "charged-twice" / "index.html", Kind.MISSING) == [
        "kb_source/billing/charged-twice.md is not in the search index (no entry for /charged-twice/)"
    ]


def test_email_planted_in_rendered_html(pair: Pair) -> None:
    page = pair.public / "contact-support" / "index.html"
    insert_html(page, "<p>Ask Jane at jane.doe@gmail.com if it fails.</p>")
    causes = problems_in(verify(pair), page, Kind.COMPLIANCE)
    assert len(causes) == 1 and causes[0].startswith("KB301 e-mail address 'jane.doe@gmail.com'")


def test_secret_and_unsafe_html_planted_in_rendered_html(pair: Pair) -> None:
    page = pair.public / "charged-twice" / "index.html"
    insert_html(page, '<p>Key: df_live_a8Kq29XbLm30PzQw77Rt</p><img src="x.svg" alt="x" onerror="steal()">')
    causes = problems_in(verify(pair), page, Kind.COMPLIANCE)
    assert any(c.startswith("KB302 possible credential") for c in causes)
    assert any(c.startswith("KB306 unsafe HTML: the event handler onerror=") for c in causes)


def test_foreign_script_planted_in_a_page(pair: Pair) -> None:
    page = pair.public / "index.html"
    html = page.read_text(encoding="utf-8").replace(
        "</body>",
        '<script src="https://cdn.tracker.example/t.js"></script><script>fetch("/x")</script></body>',
    )
    page.write_text(html, encoding="utf-8")
    causes = problems_in(verify(pair), page, Kind.COMPLIANCE)
    assert (
        "KB306 script loaded from 'https://cdn.tracker.example/t.js', not from the theme's assets" in causes
    )
    assert any(c.startswith("KB306 inline script not on the allow-list") for c in causes)


def test_broken_link_and_anchor(pair: Pair) -> None:
    page = pair.public / "reset-password" / "index.html"
    insert_html(page, '<a href="../no-such-page/">gone</a> <a href="#no-such-anchor">here</a>')
    causes = problems_in(verify(pair, links=True), page, Kind.LINK)
    assert any("'../no-such-page/': 404" in c for c in causes)
    assert any("'#no-such-anchor'" in c and "not found" in c for c in causes)


def test_broken_links_on_internal_pages_are_found_though_they_say_nofollow(pair: Pair) -> None:
    """Internal pages tell robots `noindex, nofollow`; the link check follows their links anyway."""
    page = next(p for p in sorted(pair.internal.rglob("index.html")) if p.parent != pair.internal)
    assert 'name="robots" content="noindex, nofollow"' in page.read_text(encoding="utf-8")
    insert_html(page, '<a href="../no-such-page/">gone</a>')
    causes = problems_in(verify(pair, links=True), page, Kind.LINK)
    assert any("'../no-such-page/': 404" in c for c in causes)


def test_internal_id_in_a_public_pages_search_terms(pair: Pair) -> None:
    # What `keywords: [duplicate-charge-escalation]` printed before KB303 read keywords.
    page = pair.public / "charged-twice" / "index.html"
    insert_html(page, f'<p class="kb-search-terms" hidden>refunds · {INTERNAL_ID}</p>')
    causes = problems_in(verify(pair), page, Kind.LEAK)
    assert causes == [f"internal page id '{INTERNAL_ID}' (internal site {INTERNAL_ID}/index.html)"]


def test_an_image_only_agent_notes_show_is_a_leak_in_the_public_site(pair: Pair) -> None:
    page = pair.internal / "reset-password" / "index.html"
    html = page.read_text(encoding="utf-8")
    note = '<div class="admonition internal">'
    assert note in html
    page.write_text(html.replace(note, f'{note}<img src="../images/console.png" alt="The console">', 1))
    for site in (pair.internal, pair.public):
        (site / "images").mkdir(exist_ok=True)
        (site / "images" / "console.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    causes = problems_in(verify(pair), pair.public / "images" / "console.png", Kind.LEAK)
    assert causes == ["a file only agent-only content shows (internal site reset-password/index.html)"]
