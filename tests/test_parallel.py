"""Checking in worker processes gives exactly the findings of checking in-process."""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path

import pytest

from benchmarks.corpus import plan, write_project
from generator.config import load_config
from generator.mdparse import parse
from generator.model import Article
from generator.pipeline import check as checker
from generator.pipeline.check import parallel, wire
from generator.pipeline.check.run import check_article
from generator.pipeline.load import discover, load_all, load_file
from generator.rules import REGISTRY, Context, CorpusIndex

TODAY = date(2026, 11, 23)
N = 2 * parallel.PARALLEL_MIN + 20  # enough for two workers in both phases


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


def test_cross_article_rules_read_the_payload_as_the_full_article(project: Path) -> None:
    """Every registered cross-article rule finds the same on the article made again from its
    payload (what workers and the cache hand back) as on the loaded one, and without parsing it:
    a rule that reads the tokens fails here."""
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
    parallel.init(config, TODAY, (), keep=False)
    for article in full:
        record = parallel.work([config.root / article.path])[0]
        expected = check_article(article, ctx, corpus)
        # As handed back by a worker, and as read back from the cache (views packed as JSON).
        for payload in (record.payload, json.loads(json.dumps(wire.packed(record.payload)))):
            made = wire.article(record._replace(payload=payload), None, config.root)
            assert made == article and made.outline == article.outline
            assert check_article(made, ctx, corpus) == expected
            assert "tokens" not in vars(made)


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
        # Articles from workers or from the cache come without their parse (sending it costs more
        # than parsing), and parse on first use into the loader's tokens.
        crossed = jobs > 1 or run == 1
        assert all(("tokens" not in vars(a)) == crossed for a in articles)
        assert [a.tokens for a in articles] == [a.tokens for a in expected]


def test_an_article_parses_once_when_first_needed_and_never_sends_its_parse(project: Path) -> None:
    config = load_config(project / "site_config.yml")
    loaded = load_file(project / "kb_source" / plan(N)[5].path, config.source_path, config.root)
    assert isinstance(loaded, Article) and "tokens" not in vars(loaded)
    assert loaded.tokens == tuple(parse(loaded.body))
    assert loaded.tokens is loaded.tokens  # parsed once
    outline = loaded.outline
    sent = pickle.loads(pickle.dumps(loaded))
    assert sent == loaded and "tokens" not in vars(sent) and "lines" not in vars(sent)
    assert vars(sent)["outline"] == outline  # small, and worked out: it travels
    assert sent.tokens == loaded.tokens
