"""Checking in worker processes gives exactly the findings of checking in-process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from benchmarks.corpus import plan, write_project
from generator.config import load_config
from generator.model import Article
from generator.pipeline import check as checker
from generator.pipeline.load import discover, load_all, load_file
from generator.rules import REGISTRY, Context, CorpusIndex

TODAY = date(2026, 11, 23)
N = 2 * checker.PARALLEL_MIN + 20  # enough for two workers in both phases


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("parallel") / "project", N)
    source = root / "kb_source"
    articles = plan(N)
    # Findings of every kind: a load failure, a local rule, and cross-article rules.
    (source / "data" / "broken.md").write_text("no front matter here\n")
    first = source / articles[0].path
    first.write_text(first.read_text().replace("## Tips", "## Hints"))
    (source / articles[2].path).unlink()
    duplicate = (source / articles[3].path).read_text()
    (source / "data" / "twin.md").write_text(duplicate + "\n<!-- kb-disable KB999 -->\n")
    return root


def test_workers_find_what_one_process_finds(project: Path) -> None:
    config = load_config(project / "site_config.yml")
    serial = checker.check(config, TODAY, use_cache=False, jobs=1)
    parallel = checker.check(config, TODAY, use_cache=False, jobs=2)
    assert parallel == serial
    rules = {f.rule for f in serial.findings}
    assert {"KB002", "KB004", "KB005", "KB105", "KB107"} <= rules


def test_progress_reaches_the_total(project: Path) -> None:
    config = load_config(project / "site_config.yml")
    seen: list[tuple[int, int]] = []
    checker.check(
        config, TODAY, use_cache=False, jobs=2, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (len(discover(config.source_path)),) * 2
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_paths_limit_findings_but_not_the_corpus(project: Path) -> None:
    config = load_config(project / "site_config.yml")
    one = project / "kb_source" / plan(N)[0].path
    result = checker.check(config, TODAY, [one], use_cache=False, jobs=2)
    assert result.files == 1
    assert {f.path for f in result.findings} == {one.relative_to(project).as_posix()}


def test_cross_article_rules_read_the_light_view_as_the_full_article(project: Path) -> None:
    """Every registered cross-article rule finds the same on the light view (what workers and the
    cache hand back) as on the fully parsed article; a rule that needs more fails here."""
    config = load_config(project / "site_config.yml")
    categories = config.category_ids
    files = [*discover(config.source_path), *discover(Path(__file__).parents[1] / "kb_source")]
    full = [
        a
        for p in files
        if isinstance(a := load_file(p, config.source_path, config.root, categories), Article)
    ]
    ctx = Context(config, TODAY, CorpusIndex.build(full))
    corpus = [r for r in REGISTRY.values() if r.uses_corpus]
    checker._init(config, TODAY, (), checker.Kept.BODY)
    for article in full:
        rel, digest, payload, body = checker._work([config.root / article.path])[0]
        expected = checker.check_article(article, ctx, corpus)
        # As handed back by a worker, and as read back from the cache (views packed as JSON).
        for shape in (payload, json.loads(json.dumps(checker._packed(payload)))):
            light, _ = checker._rebuild(rel, digest, shape, body)
            assert light.sections == article.sections
            assert checker.check_article(light, ctx, corpus) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_and_load_hands_over_what_check_and_load_all_give(project: Path, jobs: int) -> None:
    """The renderer's articles come from the check's own parse (or, for files the cache served,
    a load of their own): the same articles, in the same order, as loading them separately."""
    config = load_config(project / "site_config.yml")
    categories = config.category_ids
    expected = load_all(config.source_path, config.root, categories=categories).articles
    for run, use_cache in enumerate((True, True, False)):  # cold cache, warm cache, no cache
        result, articles = checker.check_and_load(config, TODAY, use_cache=use_cache, jobs=jobs)
        assert result == checker.check(config, TODAY, use_cache=False, jobs=1)
        assert [a.path for a in articles] == [a.path for a in expected]
        assert articles == expected
        # Articles from workers or from the cache come without their token streams (sending them
        # costs more than parsing), and parse on first use into the loader's tokens.
        crossed = jobs > 1 or run == 1
        assert all((a.parsed is None) == crossed for a in articles)
        assert [a.tokens for a in articles] == [a.tokens for a in expected]


def test_an_article_without_tokens_parses_its_body_on_first_use(project: Path) -> None:
    config = load_config(project / "site_config.yml")
    loaded = load_file(project / "kb_source" / plan(N)[5].path, config.source_path, config.root)
    assert isinstance(loaded, Article) and loaded.parsed
    bare = loaded.without_tokens()
    assert bare.parsed is None and "tokens" not in vars(bare)
    assert bare.tokens == loaded.tokens
    assert bare.tokens is bare.tokens  # parsed once
    # An article made without tokens on purpose (verify_compliance) keeps none.
    assert Article(path="x.md", meta={}, body="# Title\n\nText.\n", body_line=1).tokens == ()
