"""Pagefind indexing of real builds, searched through Pagefind's own pagefind.js under Node."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline.index import SearchIndexError, index_site, search

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def public_index(public_site: Path) -> Path:
    result = index_site(public_site, "en")
    assert result.pages == 3  # the three articles; home, category and 404 have no search body
    return result.bundle_dir


def test_bundle_is_written_into_the_site(public_index: Path) -> None:
    assert (public_index / "pagefind.js").is_file()
    assert (public_index / "pagefind-entry.json").is_file()
    assert list((public_index / "index").glob("*.pf_index"))
    assert len(list((public_index / "fragment").glob("*.pf_fragment"))) == 3


@pytest.mark.parametrize("query", ["DS-1001", "ds-1001", "1001"])
def test_error_code_finds_its_article_with_title_and_summary(public_index: Path, query: str) -> None:
    (found,) = search(public_index, "en", [query]).searches
    assert found.hits[0].url == "/ds-1001/"
    assert found.hits[0].title == "Why do I see DS-1001: Invalid credentials?"
    assert found.hits[0].summary == "The sign-in details don't match an account."


def test_keywords_are_searchable_but_page_furniture_is_not(public_index: Path) -> None:
    run = search(public_index, "en", ["locked out", "Still need help", "Last reviewed"])
    locked, furniture, reviewed = run.searches
    assert [h.url for h in locked.hits] == ["/reset-password/"]
    assert furniture.hits == ()
    assert reviewed.hits == ()


def test_a_query_downloads_little(public_index: Path) -> None:
    first, second = search(public_index, "en", ["password", "sync"]).searches
    # pagefind.js (~45 kB) + the wasm module (~70 kB, gzipped on disk) + index chunk + fragments.
    assert first.fetched_bytes < 100_000
    assert second.fetched_bytes < 5_000


def test_public_index_holds_no_agent_notes(public_index: Path, internal_site: Path) -> None:
    (public,) = search(public_index, "en", ["escalating"]).searches
    assert public.hits == ()
    internal = index_site(internal_site, "en").bundle_dir
    (agent,) = search(internal, "en", ["escalating"]).searches
    assert [h.url for h in agent.hits] == ["/sync-failed/"]


def test_chinese_pages_are_found_by_words_inside_their_titles(zh_site: Path) -> None:
    bundle = index_site(zh_site, "zh").bundle_dir  # runs check_cjk_findable itself
    (found,) = search(bundle, "zh", ["密码"]).searches
    assert [h.url for h in found.hits] == ["/reset-password/"]
    assert found.hits[0].title == "如何重置密码？"


def test_unsegmented_or_missing_titles_fail_the_build(tmp_path: Path) -> None:
    # A title Pagefind cannot see stands in for one indexed as a single unsplit word.
    page = tmp_path / "site" / "lost" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<!doctype html><html lang="zh"><body><main data-pagefind-body>'
        '<h1 data-pagefind-meta="title" data-pagefind-ignore>如何导出数据？</h1><p>其他内容。</p>'
        "</main></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(SearchIndexError, match=r"/lost/ \(如何导出数据？\)"):
        index_site(tmp_path / "site", "zh")


def test_a_cut_short_entry_file_is_refused(tmp_path: Path) -> None:
    from generator.pipeline.index import _require_complete

    (tmp_path / "pagefind-entry.json").write_text("", encoding="utf-8")  # as a killed writer left it
    with pytest.raises(SearchIndexError, match="unreadable"):
        _require_complete(tmp_path)
    (tmp_path / "pagefind-entry.json").write_text('{"version": "1.5.2", "languages": {}}', encoding="utf-8")
    with pytest.raises(SearchIndexError, match="no language index"):
        _require_complete(tmp_path)
