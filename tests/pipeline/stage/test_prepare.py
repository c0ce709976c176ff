"""Each article's parse is read once per audience (stage.prepare_all), in worker processes for
many articles, and every language's stage uses the same result."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import load_config
from generator.model import Audience
from generator.pipeline.load import load_site
from generator.pipeline.stage import Target, prepare, prepare_all

SAMPLE = Path(__file__).resolve().parents[3] / "site_config.yml"


@pytest.mark.parametrize("audience", list(Audience))
def test_prepared_in_workers_as_in_this_process(monkeypatch: pytest.MonkeyPatch, audience: Audience) -> None:
    config = load_config(SAMPLE)
    articles = load_site(config)
    langs = config.languages
    target = Target(config, audience, langs[0], langs)
    # The sample's 60-odd articles in several chunks.
    monkeypatch.setattr(sys.modules["generator.pipeline.stage.prepared"], "PREPARE_CHUNK", 8)
    in_workers = prepare_all(articles, target)
    assert list(in_workers) == [a.path for a in articles]
    assert in_workers == {a.path: prepare(a, target) for a in articles}
    # Agent-only blocks stay in the internal site's pages and nowhere else.
    kept = [path for path, p in in_workers.items() if "\n!!! internal" in p.body]
    assert (kept == []) is (audience is Audience.PUBLIC)


def test_kept_results_are_the_same_and_an_edited_article_is_prepared_again(tmp_path: Path) -> None:
    config = load_config(SAMPLE)
    articles = load_site(config)
    langs = config.languages
    target = Target(config, Audience.INTERNAL, langs[0], langs)
    kept = tmp_path / "prepared.json"
    first = prepare_all(articles, target, kept)
    assert prepare_all(articles, target, kept) == first  # read back from the file, the same values
    edited = replace(articles[0], body=articles[0].body.replace("\n", "\n\nA new paragraph.\n", 1))
    again = prepare_all([edited, *articles[1:]], target, kept)
    assert again[edited.path] == prepare(edited, target) != first[edited.path]
    kept.write_text("{not json", encoding="utf-8")
    assert prepare_all(articles, target, kept) == first  # an unreadable file: prepared again
    assert prepare_all(articles, target, kept / "under-a-file.json") == first  # cannot be written: no error
