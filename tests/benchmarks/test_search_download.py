"""benchmarks.build's first-query download on a small built site: our scripts are counted, gzipped
only where gzip helps, and the sentence query is relaxed by the search box's own code."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.build import (
    PLAIN_QUERY,
    SEARCH_BUDGET,
    SENTENCE_QUERY,
    FirstQuery,
    first_queries,
    public_site,
    script_bytes,
    search_bytes,
    search_table,
)
from benchmarks.corpus import write_project
from generator.config import load_config


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("search-download")
    write_project(root, 40)
    return root, public_site(root)


def test_first_queries_add_our_scripts_to_what_pagefind_fetches(site: tuple[Path, Path]) -> None:
    root, public = site
    plain, sentence = first_queries(
        public, load_config(root / "site_config.yml").languages, [PLAIN_QUERY, SENTENCE_QUERY]
    )
    scripts = script_bytes(public)
    assert set(scripts) == {
        "pagefind/pagefind.js",
        "assets/javascripts/kb-search.js",
        "assets/javascripts/kb-search-query.js",
        "search/settings.json",
        "search/terms.json",
    }
    ours = scripts["assets/javascripts/kb-search.js"][0] + scripts["assets/javascripts/kb-search-query.js"][0]
    # The box fetches at least what Pagefind alone fetches for the same word, and our scripts on top.
    assert plain.raw >= search_bytes(public / "pagefind")["total"] + ours
    assert plain.raw - plain.gzip == sum(raw - packed for raw, packed in scripts.values())
    assert all(packed <= raw for raw, packed in scripts.values())
    assert scripts["pagefind/pagefind.js"][1] < scripts["pagefind/pagefind.js"][0] // 2
    assert (plain.relaxed, sentence.relaxed) == (False, True)
    assert sentence.results > 0
    assert sentence.extra_rounds <= 1


def test_the_table_says_by_how_much_a_query_is_over_the_budget() -> None:
    over = FirstQuery("a long question", True, 1, 8, SEARCH_BUDGET + 2500, SEARCH_BUDGET - 1000)
    plain = FirstQuery("report", False, 0, 8, SEARCH_BUDGET + 500, SEARCH_BUDGET - 2000)
    lines = search_table(10000, {"total": 1}, {"pagefind/pagefind.js": (10, 5)}, [plain, over])
    assert lines[0] == "## First-query search download at 10000 articles"
    row = next(line for line in lines if line.startswith("| a long question"))
    assert row.endswith("| over by 2.5 KB / within, 1.0 KB to spare |")
    assert any(
        '"a long question" downloads 2000 bytes more than "report" (1 extra round ' in line for line in lines
    )
