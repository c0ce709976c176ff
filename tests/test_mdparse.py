"""anchors.anchors: the heading ids the renderer makes, worked out from the check's own parse;
and the parse itself (mdparse): link targets normalised once each, markdown-it's debug logs off."""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import markdown
import pytest
from markdown.extensions import toc
from markdown_it import MarkdownIt

from generator import mdparse
from generator.anchors import _slug, _unique, anchors
from generator.mdparse import parse
from generator.model import Article
from generator.pipeline.load import load_file
from generator.pymd import BASE_EXTENSIONS
from tests.test_checker_real_articles import CORPORA, PROJECT_CONFIG

ROOT = Path(__file__).resolve().parents[1]
HEADING_ID = re.compile(r"<h[1-6][^>]*\sid=\"([^\"]+)\"")


def test_heading_ids_repeats_written_ids_and_html_ids() -> None:
    body = "\n".join(
        [
            "## Steps",
            "## Use the `kb` tool",
            "## Steps",
            "## Schritte {#schritt .wide}",
            "## Café & more!",
            "### Why? {: .plain }",
            "",
            "A paragraph.",
            "{: #para }",
            "",
            '<a name="old-anchor"></a>',
            "",
            'Text with <span id="inline">an id</span>.',
            "",
            "```",
            "## Not a heading",
            "```",
        ]
    )
    assert set(anchors(parse(body))) == {
        "steps",
        "use-the-kb-tool",
        "steps_1",
        "schritt",
        "cafe-more",
        "why",
        "para",
        "old-anchor",
        "inline",
    }


def _renderer() -> markdown.Markdown:
    names = [e if isinstance(e, str) else next(iter(e)) for e in BASE_EXTENSIONS]
    configs = {k: v for e in BASE_EXTENSIONS if isinstance(e, dict) for k, v in e.items()}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def _articles(tmp_path: Path) -> list[Article]:
    from benchmarks.corpora import copy_wrapped

    copy_wrapped(CORPORA, tmp_path, PROJECT_CONFIG)
    paths = [*sorted((tmp_path / "kb_source").rglob("*.md")), *sorted((ROOT / "kb_source").rglob("*.md"))]
    loaded = [load_file(p, p.parent, p.parent) for p in paths]
    return [a for a in loaded if isinstance(a, Article)]


def test_every_heading_id_the_renderer_makes_is_an_anchor(tmp_path: Path) -> None:
    """On real articles (docfx headings with `&`, code, links, repeats) and the sample: each id
    Python-Markdown gives a heading, with the extensions of the generated mkdocs.yml, is one of
    the anchors KB113 accepts, so no link to a rendered heading is reported."""
    articles = _articles(tmp_path)
    assert len(articles) > 90
    renderer = _renderer()
    missed = {}
    checked = 0
    for article in articles:
        ids = HEADING_ID.findall(renderer.reset().convert(article.body))
        checked += len(ids)
        if lost := [i for i in ids if i not in anchors(article.tokens)]:
            missed[article.path] = lost
    assert checked > 500
    assert missed == {}


@pytest.mark.parametrize("name", ["## Steps\n\n## Steps", "# Title\n\n## Title"])
def test_repeated_headings_are_numbered_as_the_renderer_numbers_them(name: str) -> None:
    html = _renderer().convert(name)
    assert HEADING_ID.findall(html)[-1] in anchors(parse(name))


def _heading_names(tmp_path: Path) -> list[str]:
    names = [
        line.lstrip("#").strip()
        for article in _articles(tmp_path)
        for line in article.body.split("\n")
        if line.startswith("#")
    ]
    return [*names, "", "Café & more!", "Ünïcode — dashes", "x_1", "  spaced   out  ", "操作步骤", "A-B--C"]


def test_slugs_and_repeats_are_the_toc_extensions(tmp_path: Path) -> None:
    """mdparse writes out Python-Markdown's slugify and unique (importing markdown on every
    check costs more than they do); they must stay the library's."""
    names = _heading_names(tmp_path)
    assert len(names) > 500
    assert [_slug(n) for n in names] == [toc.slugify(n, "-") for n in names]
    ours: set[str] = set()
    skips: dict[str, int] = {}
    theirs: set[str] = set()
    repeated = [*names, *names, *(f"{n}_1" for n in names[:50])]
    assert [_unique(_slug(n), ours, skips) for n in repeated] == [
        toc.unique(toc.slugify(n, "-"), theirs) for n in repeated
    ]


def _runs_of_repeats() -> list[tuple[list[str], list[str]]]:
    """(ids written on the page, heading slugs) where `_unique` skips what it has counted: one
    heading repeated, numbered ones repeated, numbers written in between, and random mixes."""
    rng = random.Random(15)
    names = ["steps", "steps_1", "steps_2", "steps_5", "steps_01", "steps_1_1", "", "_1", "_2", "tips"]
    cases = [
        ([], ["steps"] * 300),
        ([], ["steps_5"] * 200),
        (["steps_3", "steps_7", "steps_8"], ["steps"] * 50),
        ([], [*(["steps"] * 20), *(["steps_1"] * 20), *(["steps_5"] * 20), *(["steps"] * 20)]),
        ([], [""] * 50),
    ]
    for _ in range(300):
        written = rng.sample(names, rng.randint(0, 3))
        cases.append((written, [rng.choice(names) for _ in range(rng.randint(1, 40))]))
    return cases


def test_repeats_are_counted_once_as_the_toc_counts_them() -> None:
    """_unique skips the numbers it has already found taken; it must land where the toc's
    unique, counting one at a time, does."""
    for written, slugs in _runs_of_repeats():
        ours, skips, theirs = set(written), {}, set(written)
        assert [_unique(s, ours, skips) for s in slugs] == [toc.unique(s, theirs) for s in slugs]


def test_link_targets_are_normalised_as_markdown_it_does_once_each() -> None:
    plain = MarkdownIt("commonmark", {"html": True}).enable("table")
    targets = ["café.md", "a b.md", "x%20y.md#Über", "https://example.com/ä?q=1", "../x.md"]
    for target in targets * 2:
        assert mdparse._md.normalizeLink(target) == plain.normalizeLink(target)
    assert mdparse._md.normalizeLink.cache_info().hits >= len(targets)  # type: ignore[attr-defined]
    body = "".join(f"[t](<{t}>) " for t in targets)
    assert [str(t) for t in parse(body)] == [str(t) for t in plain.parse(body)]


def test_markdown_it_debug_logs_are_silenced_unless_debug_is_on() -> None:
    assert logging.getLogger("markdown_it.rules_block.code").debug is mdparse._quiet
    watched = logging.getLogger("markdown_it.test-watched")
    plain = logging.getLogger("markdown_it.test-plain")
    watched.setLevel(logging.DEBUG)
    mdparse._quiet_block_rules()
    assert plain.debug is mdparse._quiet and watched.debug is not mdparse._quiet
