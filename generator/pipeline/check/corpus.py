"""Phase two: the cross-article rules (`uses_corpus`), with the whole corpus indexed, and every
file's suppressions applied.

The rules see one article and the index, and read the index only through lookups (lookups.py):
what they found is reused while the article's bytes are unchanged and every lookup they made gets
the same answer, so an edit to one article's title runs them again only for the articles that
looked that article up. They read an article's outline (its sections and links), never its
tokens, so an article rebuilt from its payload is never parsed here. Large corpora are judged in
forked workers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.model import Finding
from generator.parallel import cpus, fork_map
from generator.pipeline.check import suppressions, wire
from generator.pipeline.check.cache import CheckCache
from generator.pipeline.check.lookups import IndexDigests, TrackedIndex
from generator.pipeline.check.parallel import PARALLEL_MIN
from generator.pipeline.check.run import check_article
from generator.pipeline.check.wire import DAMAGE, Record
from generator.rules import Context, CorpusIndex, IndexEntry, Rule
from generator.rules.base import index_entry


def index_of(records: list[Record], files: frozenset[str]) -> tuple[CorpusIndex, list[str]]:
    """The corpus index of the records' articles and the other `files`, and the paths of cached
    records whose front matter it cannot read (damaged entries)."""
    entries: list[IndexEntry] = []
    unreadable: list[str] = []
    for record in records:
        payload = record.payload
        if not wire.usable(payload):
            continue  # not a page of the site
        try:
            if not isinstance(payload["anchors"], list):
                raise TypeError("anchors")
            entries.append(index_entry(record.path, payload["meta"], payload["anchors"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            if record.fresh:
                raise  # fresh from the loader: a bug, not a damaged cache
            unreadable.append(record.path)
    return CorpusIndex(tuple(entries), files), unreadable


def judge_all(
    records: list[Record],
    ctx: Context,
    rules: list[Rule],
    jobs: int | None,
    corpus_key: str,
    cache: CheckCache | None,
) -> tuple[list[Finding], list[str], dict[str, list[Any]]]:
    """Findings of the records, suppressions applied; paths of cache entries that proved damaged;
    and, by path, what the cross-article `rules` found where they ran (to be cached under
    `corpus_key`)."""
    # Cached findings under another index are usually still good (their lookups still hold), so
    # only files without any are counted as work.
    fresh = sum(1 for r in records if r.fresh or not _memo(r.payload))
    workers = max(1, min(jobs or cpus(), fresh // PARALLEL_MIN or 1))
    digests = IndexDigests(ctx.index) if cache is not None else None
    step = -(-len(records) // workers) or 1
    shares = [records[i : i + step] for i in range(0, len(records), step)]
    # Forked workers inherit the records and the index instead of receiving them pickled.
    parts = fork_map(lambda share: _judge(share, ctx, rules, corpus_key, digests, cache), shares, workers)
    findings = [f for found, _, _ in parts for f in found]
    damaged = [d for _, bad, _ in parts for d in bad]
    return findings, damaged, {rel: found for _, _, done in parts for rel, found in done.items()}


def _judge(
    records: list[Record],
    ctx: Context,
    rules: list[Rule],
    corpus_key: str,
    digests: IndexDigests | None,
    cache: CheckCache | None,
) -> tuple[list[Finding], list[str], dict[str, list[Any]]]:
    findings: list[Finding] = []
    damaged: list[str] = []
    computed: dict[str, list[Any]] = {}
    for record in records:
        rel, payload = record.path, record.payload
        try:
            # What the file and front-matter rules found: never silenced by the body's comments.
            stopped = wire.stopped(rel, payload)
            if _reusable(record, corpus_key, digests, cache):
                memo = payload["corpus"]
                found = [*wire.findings(rel, payload["local"]), *wire.findings(rel, memo[1])]
                findings.extend(stopped)
                findings.extend(suppressions.apply(rel, wire.suppressions(payload), found))
                continue
            if payload["kind"] == "finding":
                findings.extend(stopped)
                continue
            article = wire.article(record, cache, ctx.config.root)
            local = wire.findings(rel, payload["local"])
        except DAMAGE:
            if record.fresh:
                raise  # fresh from the loader: a bug, not a damaged cache
            damaged.append(rel)
            continue
        tracked = TrackedIndex(ctx.index, digests) if digests else ctx.index
        found = check_article(article, dataclasses.replace(ctx, index=tracked), rules)
        if isinstance(tracked, TrackedIndex):
            computed[rel] = [wire.raw_findings(found), tracked.lookups]
        findings.extend(stopped)
        findings.extend(suppressions.apply(rel, article.suppressions, [*local, *found]))
    return findings, damaged, computed


def _reusable(
    record: Record, corpus_key: str, digests: IndexDigests | None, cache: CheckCache | None
) -> bool:
    """Whether the cross-article findings cached with a record still hold: found under this
    index, or every lookup they made gets the same answer in it."""
    memo = _memo(record.payload)
    if not memo or record.fresh or cache is None:
        return False
    return memo[0] == corpus_key or _still_hold(cache.side_of(record.path, record.digest, "lookups"), digests)


def _memo(payload: dict[str, Any]) -> list[Any] | None:
    """[digest of the index, cross-article findings], if cached."""
    memo = payload.get("corpus")
    return memo if isinstance(memo, list) and len(memo) == 2 else None


def _still_hold(lookups: Any, digests: IndexDigests | None) -> bool:
    """Whether the lookups stored with cross-article findings get the same answers now."""
    return digests is not None and isinstance(lookups, list) and digests.still_hold(lookups)
