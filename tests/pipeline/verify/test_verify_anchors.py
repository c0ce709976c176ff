"""Anchors: each page parsed once, every link with a #fragment into the site checked."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline.verify.anchors import check_anchors


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")


def test_anchors_on_the_page_and_across_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", '<a href="#top">ok</a><h1 id="top">Home</h1><a href="#gone">no</a>')
    write(
        site,
        "reset-password/index.html",
        '<h2 id="steps">Steps</h2><a name="old-name"></a><h2 id="caf%C3%A9">x</h2><h2 id="café">y</h2>'
        '<a href="../index.html#top">ok</a> <a href="/#nowhere">no</a>',
    )
    write(
        site,
        "zh/index.html",
        '<a href="../reset-password/#steps">ok</a> <a href="../reset-password/#old-name">ok</a>'
        '<a href="../reset-password/#caf%C3%A9">ok (decoded)</a> <a href="../reset-password/#tips">no</a>'
        '<a href="../missing-page/#steps">the page is LinkChecker\'s to report</a>'
        '<a href="https://example.com/#x">external</a> <a href="#">empty</a>',
    )
    found = sorted((b.page, b.cause) for b in check_anchors(site))
    assert found == [
        ("index.html", "broken link '#gone': Anchor `gone' not found"),
        ("reset-password/index.html", "broken link '/#nowhere': Anchor `nowhere' not found"),
        ("zh/index.html", "broken link '../reset-password/#tips': Anchor `tips' not found"),
    ]


def test_a_site_without_anchor_links_has_nothing_to_report(tmp_path: Path) -> None:
    write(tmp_path, "index.html", '<a href="page/">page</a>')
    assert check_anchors(tmp_path) == []
