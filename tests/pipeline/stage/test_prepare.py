"""Each article's parse is read once per audience (stage.prepare_all), in worker processes for
many articles, and every language's stage uses the same result."""

from __future__ import annotations

import sys
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
