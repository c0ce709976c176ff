"""Run the selected rules over the corpus; apply severities from config and inline suppressions.

The check runs in two phases, each a module of this package:

1. `parallel`: each file alone. It is loaded (the loader runs the rules that judge a file and its
   front matter) and its own rules run (`run`), in worker processes for large corpora, or its
   payload is served by the `cache` when its bytes are unchanged. What a file becomes is a
   Record (`wire`): a JSON-shaped payload (the article's fields and outline, what its rules
   found) and its body, never its tokens.
2. `corpus`: the cross-article rules, on the articles made again from their payloads, with the
   index of the whole corpus, their findings reused while what they looked up is unchanged
   (`lookups`); then each file's `suppressions` apply.

Severities come from the config last (`run.severity_of`). `fix` is `kb check --fix`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.config import SiteConfig
from generator.model import Article, CheckResult
from generator.paths import relative
from generator.pipeline.check import corpus, parallel, wire
from generator.pipeline.check.cache import CheckCache, cache_key
from generator.pipeline.check.parallel import Progress
from generator.pipeline.check.run import article_rules, configured, severity_of
from generator.pipeline.check.wire import DAMAGE, Record
from generator.pipeline.expand.library import refresh
from generator.pipeline.load import collector_paused, discover, load_files, walk_all
from generator.rules import REGISTRY, Context, select

__all__ = ["Progress", "check", "check_and_load", "severity_of"]


def check(
    config: SiteConfig,
    today: date,
    paths: Sequence[Path] = (),
    selected: tuple[str, ...] = (),
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> CheckResult:
    """Check the files under `paths` (default: all of the source folder).

    Cross-article rules always see the whole corpus, whatever `paths` selects. `jobs` caps the
    worker processes (default: the CPUs this process may use; 1 runs everything in-process).
    """
    with collector_paused():
        cache = _open_cache(config, today, selected) if use_cache else None
        return _check(config, today, paths, selected, cache, progress, jobs, keep=False)[0]


def check_and_load(
    config: SiteConfig,
    today: date,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> tuple[CheckResult, tuple[Article, ...]]:
    """check() of the whole source folder, and every valid article, in `discover` order, for the
    renderer. Articles the check parsed in this process keep their parse; those parsed in its
    workers or found unchanged in its cache are made again from their payloads and parse on
    first use: the renderer parses what it stages, in one process per language, instead of this
    process receiving every token stream."""
    with collector_paused():
        cache = _open_cache(config, today, ()) if use_cache else None
        result, records = _check(config, today, (), (), cache, progress, jobs, keep=True)
        articles: dict[str, Article] = {}
        for record in records:
            if wire.usable(record.payload):
                try:
                    articles[record.path] = wire.article(record, cache, config.root)
                except DAMAGE:
                    if record.fresh:
                        raise
        # Cached ones whose views are gone or which cannot be read: the loader says why.
        unread = [config.root / r.path for r in records if wire.usable(r.payload) and r.path not in articles]
        loaded = load_files(unread, config.source_path, config.root, config.category_ids)
        articles.update((a.path, a) for a in loaded if isinstance(a, Article))
        found = (articles.get(r.path) for r in records)
        return result, tuple(a for a in found if a is not None)


def _open_cache(config: SiteConfig, today: date, selected: tuple[str, ...]) -> CheckCache:
    # Every cached body was expanded with the variables and snippets: a change to one is a new key.
    library = refresh(config.source_path, config.root).digest
    key = cache_key(config.raw, select(selected), today, extra=str(sorted(REGISTRY)) + library)
    suffix = hashlib.sha256(repr(selected).encode()).hexdigest()[:12] if selected else ""
    return CheckCache.open(config.root, key, f"check-{suffix}" if suffix else "check")


def _check(
    config: SiteConfig,
    today: date,
    paths: Sequence[Path],
    selected: tuple[str, ...],
    cache: CheckCache | None,
    progress: Progress | None,
    jobs: int | None,
    keep: bool,
) -> tuple[CheckResult, list[Record]]:
    files, others = walk_all(config.source_path)
    refresh(config.source_path, config.root)  # the variables and snippets as they are now
    wanted = _selected_paths(config, paths)
    local, cross = article_rules(selected)
    records, signatures = parallel.analyse(config, today, files, local, cache, progress, jobs, keep)
    index, unreadable = corpus.index_of(records, frozenset(config.source_prefix + rel for rel in others))
    if unreadable and cache is not None:
        # Cached front matter the index cannot read is never trusted: those files are read again.
        cache.forget(unreadable)
        return _check(config, today, paths, selected, cache, progress, jobs, keep)
    ctx = Context(config=config, today=today, index=index)
    chosen = [r for r in records if wanted is None or r.path in wanted]
    # Cross-article rules see an article and the index; both unchanged, so is what they find.
    state = repr(([e.key() for e in index.entries], sorted(index.files)))
    corpus_key = hashlib.sha256(state.encode("utf-8")).hexdigest() if cache else ""
    findings, damaged, computed = corpus.judge_all(chosen, ctx, cross, jobs, corpus_key, cache)
    if cache is not None:
        cache.keep_only(r.path for r in records)
        for record in records:
            if record.path in computed:
                found, lookups = computed[record.path]
                memo = {**record.payload, "corpus": [corpus_key, found], "lookups": lookups}
                if not record.fresh:  # its views are in a side file
                    memo["views"] = cache.side_of(record.path, record.digest, "views")
                cache.put(record.path, record.digest, wire.packed(memo), signatures[record.path])
        if damaged:
            # An entry that read as JSON but not as an article is never trusted: forgotten, those
            # files are checked again from their source (which cannot be damaged this way).
            cache.forget(damaged)
            return _check(config, today, paths, selected, cache, progress, jobs, keep)
        cache.save()
    count = len(files) if wanted is None else len(wanted)
    return CheckResult(files=count, findings=tuple(configured(findings, config))), records


def _selected_paths(config: SiteConfig, paths: Sequence[Path]) -> set[str] | None:
    if not paths:
        return None
    return {relative(p, config.root) for p in discover(config.source_path, paths)}
