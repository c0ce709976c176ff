"""The evaluation set (tests/search/queries.tsv) and how `kb report search` reads and scores it,
without a built site."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.config import ConfigError, SearchQuality, config_from_mapping, load_config
from generator.pipeline.load import load_site
from generator.reports.search import Outcome, QueriesError, Query, figures, gate, read_queries

ROOT = Path(__file__).parents[2]
QUERIES = ROOT / "tests" / "search" / "queries.tsv"


def test_the_set_is_large_varied_and_answered_by_articles_that_exist() -> None:
    config = load_config(ROOT / "site_config.yml")
    queries = read_queries(QUERIES, (lang.code for lang in config.languages))
    assert len(queries) >= 150
    kinds, langs = Counter(q.kind for q in queries), Counter(q.lang for q in queries)
    for kind in ("code", "symptom", "question", "typo", "untranslated"):
        assert kinds[kind] >= 5, kinds
    assert langs["zh"] >= 20 and langs["es"] >= 20, langs
    ids = {a.id for a in load_site(config) if a.is_public}
    unknown = {(q.line, a) for q in queries for a in q.answers if a not in ids}
    assert not unknown, sorted(unknown)
    assert len({(q.lang, q.text.casefold()) for q in queries}) == len(queries), "no query twice"


@pytest.mark.parametrize(
    ("content", "where", "says"),
    [
        ("lang\tquery\n", 1, "the header must be"),
        ("lang\tquery\tanswers\tkind\nen\trefund\n", 2, "2 tab-separated cells"),
        (
            "lang\tquery\tanswers\tkind\n# note\nfr\tremboursement\trequest-refund\tkeyword\n",
            3,
            "'fr' is not a language",
        ),
        ("lang\tquery\tanswers\tkind\nen\trefund\t \tkeyword\n", 2, "at least one answering article id"),
    ],
)
def test_a_bad_line_is_named_by_file_and_line(tmp_path: Path, content: str, where: int, says: str) -> None:
    path = tmp_path / "q.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QueriesError, match=rf"q\.tsv:{where}: .*{says}"):
        read_queries(path, ("en", "zh"))


def test_an_empty_or_missing_set_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "q.tsv").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(QueriesError, match="no queries"):
        read_queries(tmp_path / "q.tsv", ("en",))
    with pytest.raises(QueriesError, match="cannot be read"):
        read_queries(tmp_path / "absent.tsv", ("en",))


def _outcome(rank: int | None, shown: int = 5) -> Outcome:
    query = Query(1, "en", "q", ("a",), "keyword")
    return Outcome(query, tuple(f"p{i}" for i in range(shown)), rank, None, False)


def test_figures_and_the_gate() -> None:
    outcomes = [_outcome(1), _outcome(2), _outcome(4), _outcome(None), _outcome(None, shown=0)]
    f = figures("all", outcomes)
    assert (f.queries, f.top1, f.top3, f.zero_results) == (5, 0.2, 0.4, 1)
    assert f.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 5)
    assert gate(f, SearchQuality()) == ()  # the defaults ask nothing
    failed = gate(f, SearchQuality(min_top3=0.95, max_zero_results=0))
    assert failed == (
        "top-3 40.0% is below search.quality's 95.0%",
        "1 queries found nothing; search.quality allows 0",
    )


def test_search_terms_for_a_language_the_site_does_not_have_are_refused(tmp_path: Path) -> None:
    data = {
        "site": {
            "name": "Help",
            "public_url": "https://help.example.com/",
            "internal_url": "https://agents.example.com/",
        },
        "categories": [{"id": "a", "title": "A", "description": "A."}],
        "search": {"synonyms": {"fr": [["panne", "arrêt"]]}},
    }
    with pytest.raises(ConfigError, match=r"search\.synonyms\.fr: not a language of the site"):
        config_from_mapping(data, tmp_path)
    data["search"] = {"synonyms": {"en": [["only one"]]}}
    with pytest.raises(ConfigError, match="search"):
        config_from_mapping(data, tmp_path)  # a group needs two phrases (schema)
