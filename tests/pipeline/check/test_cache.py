"""The per-file check cache: reused when nothing changed, never trusted when anything did."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from benchmarks.corpus import plan, write_project
from generator.config import load_config
from generator.model import Audience, CheckResult, PageType
from generator.pipeline import check as checker
from generator.pipeline.check import parallel
from generator.pipeline.check.cache import CACHE_DIR, FORMAT, SHARDS
from generator.rules.base import IndexEntry, index_entry

TODAY = date(2026, 11, 23)
N = 12


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", N)


def run(project: Path, use_cache: bool = True, today: date = TODAY) -> CheckResult:
    return checker.check(load_config(project / "site_config.yml"), today, use_cache=use_cache)


def shards(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / "check").glob("[0-9][0-9].json"))


def cached_entries(project: Path) -> dict:
    return {k: v for p in shards(project) for k, v in json.loads(p.read_text())["entries"].items()}


def shard_holding(project: Path, rel: str) -> Path:
    return next(p for p in shards(project) if rel in json.loads(p.read_text())["entries"])


def first_public(project: Path) -> Path:
    article = next(a for a in plan(N) if a.audience == "public")
    return project / "kb_source" / article.path


def rel_of(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


def plant(project: Path, rel: str, memo: str = "local", signature: list[int] | None = None) -> None:
    """A finding no rule makes, planted in the cached findings (`local`, or the cross-article
    `corpus` ones) of `rel`: it shows up only if that cached entry is reused. With `signature`,
    the entry's file signature is replaced too."""
    shard = shard_holding(project, rel)
    data = json.loads(shard.read_text())
    entry = data["entries"][rel]
    if memo == "local":
        entry[1]["local"].append([7, 1, "KB111", "planted by the test"])
    else:
        entry[1]["corpus"][1].append([7, 1, "KB110", "planted by the test"])
    if signature is not None:
        entry[2] = signature
    shard.write_text(json.dumps(data))


def planted(project: Path) -> bool:
    return any(f.message == "planted by the test" for f in run(project).findings)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file as if it had last changed long before the run: signatures are stored."""
    monkeypatch.setattr(parallel, "RACY_NS", -(10**12))


def test_cache_is_written_and_results_match_a_fresh_check(project: Path) -> None:
    first = run(project)
    assert len(shards(project)) == SHARDS
    assert first == run(project) == run(project, use_cache=False)
    assert first.errors == 0


def test_unchanged_files_are_served_from_the_cache(project: Path) -> None:
    run(project)
    target = first_public(project)
    plant(project, rel_of(project, target))
    assert planted(project)
    target.write_text(target.read_text() + "\n")
    assert not planted(project)


def test_editing_one_file_changes_its_findings(project: Path) -> None:
    run(project)
    target = first_public(project)
    target.write_text(target.read_text().replace("## Tips", "## Hints"))
    result = run(project)
    rel = rel_of(project, target)
    assert {f.rule for f in result.findings if f.path == rel} >= {"KB105", "KB108"}
    assert result == run(project, use_cache=False)


def test_config_severity_change_changes_results(project: Path) -> None:
    target = first_public(project)
    target.write_text(target.read_text().replace("## Tips", "## Hints"))
    assert any(f.rule == "KB105" and f.severity == "error" for f in run(project).findings)
    config = project / "site_config.yml"
    config.write_text(config.read_text() + "rules:\n  KB105: warning\n")
    findings = run(project).findings
    assert any(f.rule == "KB105" and f.severity == "warning" for f in findings)
    config.write_text(config.read_text().replace("KB105: warning", "KB105: off"))
    assert not any(f.rule == "KB105" for f in run(project).findings)


def each_entry(change: Callable[[list], list]) -> Callable[[str], str]:
    """A damage that applies `change` to every entry of a shard."""

    def damage(text: str) -> str:
        data = json.loads(text)
        return json.dumps({**data, "entries": {k: change(v) for k, v in data["entries"].items()}})

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated mid-write
        lambda text: "\x00garbage{",
        lambda text: json.dumps({"format": FORMAT, "key": "someone else's", "entries": {}}),
        lambda text: json.dumps({**json.loads(text), "entries": []}),
        each_entry(lambda v: [v[0], {"kind": "article"}, v[2]]),
        each_entry(lambda v: [v[0], {**v[1], "views": "[[[1]],{},[]]"}, v[2]]),
        each_entry(lambda v: [v[0], {**v[1], "meta": {**v[1].get("meta", {}), "audience": "martian"}}, v[2]]),
    ],
    ids=["truncated", "garbage", "other-key", "wrong-shape", "damaged-entries", "damaged-views", "bad-meta"],
)
def test_a_damaged_cache_is_ignored_and_rewritten(project: Path, damage) -> None:  # type: ignore[no-untyped-def]
    target = first_public(project)
    target.write_text(target.read_text().replace("## Tips", "## Hints"))
    expected = run(project, use_cache=False)
    run(project)
    for shard in shards(project):
        shard.write_text(damage(shard.read_text()))
    assert run(project) == expected
    assert len(cached_entries(project)) == expected.files


def test_cross_article_rules_see_a_deleted_link_target(project: Path) -> None:
    assert run(project).errors == 0
    articles = plan(N)
    source = project / "kb_source"
    linking = next(a for a in articles if a.audience == "public")
    text = (source / linking.path).read_text()
    target = next(b for b in articles if f"{b.id}.md)" in text)
    (source / target.path).unlink()
    findings = [f for f in run(project).findings if f.path == f"kb_source/{linking.path}"]
    assert any(f.rule == "KB107" and target.id in f.message for f in findings)


def test_a_copied_file_makes_a_duplicate_id_in_both(project: Path) -> None:
    run(project)
    original = first_public(project)
    shutil.copy(original, project / "kb_source" / "data" / "copy.md")
    duplicates = {f.path for f in run(project).findings if f.rule == "KB004"}
    assert duplicates == {rel_of(project, original), "kb_source/data/copy.md"}


def test_date_rules_follow_today(project: Path) -> None:
    run(project)
    later = run(project, today=date(2029, 1, 1))
    assert later == run(project, use_cache=False, today=date(2029, 1, 1))
    assert later != run(project)


def test_no_cache_flag_leaves_no_cache(project: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--today", "2026-11-23", "--config", str(project / "site_config.yml")]
    )
    assert result.exit_code == 0, result.output
    assert not (project / CACHE_DIR).exists()


def test_cross_article_results_are_reused_while_what_they_looked_up_is_unchanged(project: Path) -> None:
    run(project)
    target = first_public(project)
    rel = rel_of(project, target)
    plant(project, rel, memo="corpus")
    shard = shard_holding(project, rel)
    side = json.loads(shard.with_name(shard.name.replace(".json", ".lookups.json")).read_text())
    looked_up = {key for kind, key, _ in side["entries"][rel][1] if kind == "p"}
    others = [project / "kb_source" / a.path for a in plan(N) if a.audience == "public"]
    linked = next(p for p in others if rel_of(project, p) in looked_up)
    unrelated = next(p for p in others if p != target and rel_of(project, p) not in looked_up)
    assert planted(project)
    # A title is in the index: the index changes, but not in anything the target looked up.
    unrelated.write_text(unrelated.read_text().replace("title: How do I", "title: How can I", 1))
    assert planted(project)
    # The title of an article the target links to: its cross-article rules run again.
    linked.write_text(linked.read_text().replace("title: How do I", "title: How can I", 1))
    result = run(project)
    assert not any(f.message == "planted by the test" for f in result.findings)
    assert result == run(project, use_cache=False)


def test_a_lookup_of_everything_is_never_reused() -> None:
    from generator.pipeline.check.lookups import IndexDigests
    from generator.rules import CorpusIndex

    digests = IndexDigests(CorpusIndex(()))
    assert digests.still_hold([])
    assert not digests.still_hold([["*", "entries", ""]])
    assert not digests.still_hold([["p", "kb_source/gone.md", "0123456789abcdef"]])
    assert digests.still_hold([["p", "kb_source/gone.md", "none"]])


def test_a_body_edit_reruns_cross_article_rules_for_that_file(project: Path) -> None:
    run(project)
    target = first_public(project)
    target.write_text(
        target.read_text().replace("## Tips\n", "## Tips\n\n- See [the old page](missing-page.md).\n")
    )
    findings = run(project).findings
    assert any(f.rule == "KB110" and "missing-page.md" in f.message for f in findings)
    assert findings == run(project, use_cache=False).findings


def test_a_file_changed_just_before_the_run_gets_no_signature(project: Path) -> None:
    run(project)
    assert all(entry[2] is None for entry in cached_entries(project).values())


def test_a_settled_file_is_trusted_by_its_signature_until_it_changes(project: Path, settled: None) -> None:
    run(project)
    target = first_public(project)
    rel = rel_of(project, target)
    assert cached_entries(project)[rel][2] == parallel.signature(target)
    plant(project, rel)
    assert planted(project)
    # Same size, same modification time: the change time and the content still tell.
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("## Tips", "## Tipz"))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert not planted(project)
    result = run(project)
    assert any(f.rule == "KB105" and f.path == rel for f in result.findings)
    assert result == run(project, use_cache=False)


def test_a_signature_that_no_longer_matches_means_the_file_is_read(project: Path, settled: None) -> None:
    run(project)
    target = first_public(project)
    rel = rel_of(project, target)
    plant(project, rel, signature=[0, 0, 0, 0])  # a stale or damaged signature
    assert planted(project)  # read, hashed, and the content digest still matches
    assert cached_entries(project)[rel][2] == parallel.signature(target)


def side_files(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR / "check").glob("*.*.json"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "\x00garbage{",
        each_entry(lambda v: ["0" * 64, v[1]]),  # values stored for other content
        each_entry(lambda v: [v[0], "[[[1]],{},[]]"]),
    ],
    ids=["garbage", "other-digest", "damaged-values"],
)
def test_side_files_are_read_only_when_needed_and_never_trusted_blindly(project: Path, damage) -> None:  # type: ignore[no-untyped-def]
    run(project)
    assert 0 < len(side_files(project)) <= 2 * SHARDS  # only shards holding articles have them
    expected = run(project, use_cache=False)
    for side in side_files(project):
        side.write_text(damage(side.read_text()))
    assert run(project) == expected  # nothing changed: the side files are not needed
    # A title edit: cross-article rules run again where they looked the article up, and need the
    # lookups and the views from the side files.
    other = project / "kb_source" / plan(N)[-1].path
    other.write_text(other.read_text().replace("title: How do I", "title: How can I", 1))
    assert run(project) == run(project, use_cache=False)
    assert run(project) == run(project, use_cache=False)


def test_an_image_added_or_removed_is_seen_through_the_cache(project: Path) -> None:
    run(project)
    target = first_public(project)
    target.write_text(
        target.read_text().replace("## Tips\n", "## Tips\n\n![The new chart](../images/new-chart.svg)\n\n", 1)
    )
    missing = [rel_of(project, target)]
    assert [f.path for f in run(project).findings if f.rule == "KB112"] == missing
    image = project / "kb_source" / "images" / "new-chart.svg"
    image.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert not any(f.rule == "KB112" for f in run(project).findings)  # the page itself is cached
    image.unlink()
    result = run(project)
    assert [f.path for f in result.findings if f.rule == "KB112"] == missing
    assert result == run(project, use_cache=False)


def test_a_heading_added_or_removed_elsewhere_is_seen_through_the_cache(project: Path) -> None:
    """KB113 reads the target's anchors from the corpus index: the linking page, unchanged and
    cached, is judged again when the heading it links to comes or goes."""
    linker = first_public(project)
    target = project / "kb_source" / plan(N)[-1].path
    href = os.path.relpath(target, linker.parent).replace(os.sep, "/") + "#export-limits"
    linker.write_text(linker.read_text().replace("## Tips\n", f"## Tips\n\n- See [the limits]({href}).\n", 1))
    broken = [rel_of(project, linker)]
    assert [f.path for f in run(project).findings if f.rule == "KB113"] == broken
    original = target.read_text()
    target.write_text(original.replace("## Tips\n", "## Tips\n\n### Export limits\n\nOne a day.\n", 1))
    assert not any(f.rule == "KB113" for f in run(project).findings)
    target.write_text(original)
    result = run(project)
    assert [f.path for f in result.findings if f.rule == "KB113"] == broken
    assert result == run(project, use_cache=False)


def test_an_index_entry_key_changes_with_every_field() -> None:
    """The corpus key and the lookup digests are made of IndexEntry.key(): a field it left out
    would let cached cross-article findings outlive a change to that field."""
    entry = index_entry("kb_source/a.md", {"id": "a", "title": "How do I a?", "category": "billing"}, ["x"])
    other = {
        "path": "kb_source/b.md",
        "id": "b",
        "title": "How do I b?",
        "audience": Audience.INTERNAL,
        "type": PageType.PAGE,
        "category": "data",
        "lang": "de",
        "last_reviewed": "2026-01-01",
        "last_changed": "2026-01-02",
        "anchors": ("y",),
        "redirects": ("old-b",),
    }
    assert set(other) == {f.name for f in dataclasses.fields(IndexEntry)}
    for name, value in other.items():
        assert dataclasses.replace(entry, **{name: value}).key() != entry.key(), name
