"""Run the selected rules over the corpus; apply severities from config and inline suppressions.

Phase one looks at each file alone. Each file is parsed once, by whoever runs its local rules: this
process for small corpora, a pool of worker processes (chunks of files) for large ones. Workers
send back findings and a light view of each article (front matter, sections, field lines,
suppressions and only the inline tokens that carry links and images), never the full token stream,
unless the renderer asked for the articles themselves (check_and_load). A file whose bytes are
unchanged since the last run is not parsed at all: its local findings and light view come from the
cache (generator.cache); a file whose size, times and inode match the cache is not even read.

Phase two runs the cross-article rules (`uses_corpus`) on the light views with the index of the
whole corpus, in forked workers for large corpora. They see only an article and the index, and
read the index only through lookups (generator.lookups): what they found is reused while the
article's bytes are unchanged and every lookup they made gets the same answer, so an edit to one
article's title runs them again only for the articles that looked that article up.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import itertools
import json
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from generator.config import SiteConfig, config_from_mapping
from generator.model import Article, CheckResult, Finding, Section, Severity, Suppression
from generator.parallel import cpus, fork_map
from generator.paths import relative
from generator.pipeline.check import suppressions
from generator.pipeline.check.cache import CheckCache, cache_key
from generator.pipeline.check.lookups import IndexDigests, TrackedIndex
from generator.pipeline.load import collector_paused, discover, load_file, load_files, walk_all
from generator.rules import REGISTRY, Context, CorpusIndex, IndexEntry, Rule, select
from generator.rules.base import Reads, index_entry, page_anchors

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN = 200

Progress = Callable[[int, int], None]  # (files done, files in all)


def severity_of(rule_code: str, config: SiteConfig) -> Severity:
    """Config first, then the rule's default (as in Vale and the GitHub Docs linter)."""
    configured = config.severities.get(rule_code)
    if configured is not None:
        return configured
    rule = REGISTRY.get(rule_code)
    return rule.default if rule else Severity.ERROR


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
    renderer. Articles the check parsed in this process keep their tokens; those parsed in its
    workers or found unchanged in its cache come without them (Article.parsed is None, and
    Article.tokens parses on first use): the renderer parses what it stages, in one process per
    language, instead of this process receiving every token stream."""
    with collector_paused():
        cache = _open_cache(config, today, ()) if use_cache else None
        result, records = _check(config, today, (), (), cache, progress, jobs, keep=True)
        articles = {r[0]: r[3] for r in records if isinstance(r[3], Article)}
        for rel, digest, payload, source in records:
            if payload["kind"] == "article" and rel not in articles and cache is not None:
                unparsed = _unparsed(rel, digest, payload, source, cache, config.root)
                if unparsed is not None:
                    articles[rel] = unparsed
        unread = [config.root / r[0] for r in records if r[2]["kind"] == "article" and r[0] not in articles]
        loaded = load_files(unread, config.source_path, config.root, config.category_ids)
        articles.update((a.path, a) for a in loaded)
        found = (articles.get(r[0]) for r in records)
        return result, tuple(a for a in found if isinstance(a, Article))


def _unparsed(
    rel: str, digest: str, payload: dict[str, Any], source: bytes | None, cache: CheckCache, root: Path
) -> Article | None:
    """A cached article rebuilt without tokens; None if its views are gone or it cannot be read
    (the loader then reads it and says why)."""
    try:
        article, _ = _rebuild_cached(rel, digest, payload, source, cache, root, links=False)
    except _DAMAGE:
        return None
    return article if isinstance(article, Article) else None


def _open_cache(config: SiteConfig, today: date, selected: tuple[str, ...]) -> CheckCache:
    key = cache_key(config.raw, select(selected), today, extra=str(sorted(REGISTRY)))
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
    wanted = _selected_paths(config, paths)
    # The rules that read files, front matter and suppressions run where those are read.
    rules = [r for r in select(selected) if r.reads is Reads.ARTICLE]

    local = [r for r in rules if not r.uses_corpus]
    records, signatures = _analyse(config, today, files, local, cache, progress, jobs, keep)
    index, unreadable = _index_of(records, frozenset(config.source_prefix + rel for rel in others))
    if unreadable and cache is not None:
        # Cached front matter the index cannot read is never trusted: those files are read again.
        cache.forget(unreadable)
        return _check(config, today, paths, selected, cache, progress, jobs, keep)
    ctx = Context(config=config, today=today, index=index)
    chosen = [r for r in records if wanted is None or r[0] in wanted]
    corpus = [r for r in rules if r.uses_corpus]
    # Cross-article rules see an article and the index; both unchanged, so is what they find.
    state = repr(([e.key() for e in index.entries], sorted(index.files)))
    corpus_key = hashlib.sha256(state.encode("utf-8")).hexdigest() if cache else ""
    findings, damaged, computed = _judge_all(chosen, ctx, corpus, jobs, corpus_key, cache)
    if cache is not None:
        cache.keep_only(r[0] for r in records)
        for rel, digest, payload, source in records:
            if rel in computed:
                found, lookups = computed[rel]
                memo = {**payload, "corpus": [corpus_key, found], "lookups": lookups}
                if not isinstance(source, (str, Article)):  # cached: its views are in a side file
                    memo["views"] = cache.side_of(rel, digest, "views")
                cache.put(rel, digest, _packed(memo), signatures[rel])
        if damaged:
            # An entry that read as JSON but not as an article is never trusted: forgotten, those
            # files are checked again from their source (which cannot be damaged this way).
            cache.forget(damaged)
            return _check(config, today, paths, selected, cache, progress, jobs, keep)
        cache.save()
    findings = [_with_severity(f, config) for f in findings]
    kept = sorted((f for f in findings if f.severity is not Severity.OFF), key=Finding.sort_key)
    count = len(files) if wanted is None else len(wanted)
    return CheckResult(files=count, findings=tuple(kept)), records


def check_article(
    article: Article, ctx: Context, rules: Iterable[Rule], suppress: bool = True
) -> list[Finding]:
    raw: list[Finding] = []
    for rule in _applicable(tuple(rules), article, ctx.config.default_language):
        for hit in rule.check(article, ctx):
            raw.append(Finding(article.path, hit.line, hit.column, rule.code, rule.default, hit.message))
    return apply_suppressions(article, raw) if suppress else raw


_applicable_memo: dict[tuple[Any, ...], tuple[Rule, ...]] = {}


def _applicable(rules: tuple[Rule, ...], article: Article, default_language: str) -> tuple[Rule, ...]:
    """The rules that apply to pages like `article`: worked out once per kind of page, not per
    page (every article asks for the same few combinations)."""
    kind = tuple(str(article.meta.get(k)) for k in ("type", "audience", "lang"))
    key = (tuple(r.code for r in rules), *kind, default_language)
    found = _applicable_memo.get(key)
    if found is None:
        found = tuple(r for r in rules if r.applies_to(article, default_language))
        if len(_applicable_memo) > 256:
            _applicable_memo.clear()
        _applicable_memo[key] = found
    return found


def apply_suppressions(article: Article, findings: list[Finding]) -> list[Finding]:
    return suppressions.apply(article.path, article.suppressions, findings)


# --- phase one: each file alone (in-process, in workers, or from the cache) -----------------------

# A file after phase one: path, content digest, payload (light facts and local findings, or the
# finding that stopped the file; JSON-shaped, as cached) and source: the body when the file was
# just loaded (the whole Article when the renderer wants it); when the payload came from the
# cache, the raw bytes, or None if the file was not read (its signature matched).
Record = tuple[str, str, dict[str, Any], "bytes | str | Article | None"]

# A file whose size, times and inode match its cache entry is not read again, as git trusts its
# index; but a signature is stored only for a file that last changed RACY_NS before the run
# began: a later change within the same tick of the file system's clock could keep the times.
RACY_NS = 2_000_000_000


def _analyse(
    config: SiteConfig,
    today: date,
    files: list[str],
    local: list[Rule],
    cache: CheckCache | None,
    progress: Progress | None,
    jobs: int | None,
    keep: bool = False,
) -> tuple[list[Record], dict[str, list[int] | None]]:
    root = str(config.root) + os.sep
    results: dict[str, Record] = {}
    todo: list[Path] = []
    rels = [_relative(p, root, config.root) for p in files]
    signatures: dict[str, list[int] | None] = {}
    settled = time.time_ns() - RACY_NS
    for path, rel in zip(files, rels, strict=True):
        if cache is None:
            todo.append(Path(path))
            continue
        found = signature(path)
        signatures[rel] = found if found and found[1] < settled and found[2] < settled else None
        restored = _from_cache(cache, path, rel, found)
        if restored is None:
            todo.append(Path(path))
        else:
            results[rel] = restored
            cache.sign(rel, signatures[rel])
    done = len(results)
    if progress:
        progress(done, len(files))
    codes = tuple(r.code for r in local)
    for record in _run(config, today, todo, codes, jobs, keep):
        rel, digest, payload, _ = record
        results[rel] = record
        if cache is not None and digest:
            cache.put(rel, digest, _packed(payload), signatures.get(rel))
        done += 1
        if progress and (done % 50 == 0 or done == len(files)):
            progress(done, len(files))
    return [results[rel] for rel in rels], signatures


def signature(path: str | Path) -> list[int] | None:
    """[size, modified, changed (ns), inode] of a regular file; None for a symbolic link (its
    target may change without it) or a file that cannot be seen."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _relative(path: str, root: str, project_root: Path) -> str:
    if path.startswith(root) and os.sep == "/" and os.path.normpath(path) == path:
        return path[len(root) :]  # what paths.relative returns, without building Path objects
    return relative(Path(path), project_root)


def _from_cache(cache: CheckCache, path: str, rel: str, found: list[int] | None) -> Record | None:
    source: bytes | None = None
    digest = cache.digest_for(rel, found)
    if digest is None:
        source = _regular_bytes(path)
        if source is None:
            return None  # the loader reports why
        digest = hashlib.sha256(source).hexdigest()
    payload = cache.get(rel, digest)
    if not isinstance(payload, dict):
        return None
    if payload.get("kind") == "article":
        if not isinstance(payload.get("meta"), dict) or not isinstance(payload.get("body_line"), int):
            return None  # a miss, and rewritten
    elif payload.get("kind") != "finding":
        return None
    return rel, digest, payload, source


def _index_of(records: list[Record], files: frozenset[str]) -> tuple[CorpusIndex, list[str]]:
    """The corpus index of the records' articles and the other `files`, and the paths of cached
    records whose front matter it cannot read (damaged entries)."""
    entries: list[IndexEntry] = []
    unreadable: list[str] = []
    for rel, _, payload, source in records:
        if payload["kind"] != "article":
            continue
        try:
            if not isinstance(payload["anchors"], list):
                raise TypeError("anchors")
            entries.append(index_entry(rel, payload["meta"], payload["anchors"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            if isinstance(source, (str, Article)):
                raise  # fresh from the loader: a bug, not a damaged cache
            unreadable.append(rel)
    return CorpusIndex(tuple(entries), files), unreadable


def _stub(rel: str, payload: dict[str, Any]) -> Article:
    """Enough of an article for its suppressions to apply."""
    return Article(path=rel, meta=payload["meta"], body="", body_line=0, suppressions=_suppressions(payload))


def _suppressions(payload: dict[str, Any]) -> tuple[Suppression, ...]:
    return tuple(Suppression(str(c), str(r), int(n)) for c, r, n in payload["suppressions"])


def _findings(rel: str, raw: list[list[Any]]) -> list[Finding]:
    return [
        Finding(rel, int(n), int(c), str(code), REGISTRY[str(code)].default, str(m)) for n, c, code, m in raw
    ]


# What rebuilding an article from a damaged cache entry (or a file that went away) raises.
_DAMAGE = (KeyError, IndexError, TypeError, ValueError, AttributeError, UnicodeDecodeError, OSError)


def _rebuild_cached(
    rel: str,
    digest: str,
    payload: dict[str, Any],
    source: bytes | None,
    cache: CheckCache,
    root: Path,
    links: bool = True,
) -> tuple[Article | Finding, list[Finding]]:
    """_rebuild of a record the cache served: the body from its bytes (or its file, when its
    signature spared reading it), the views from the cache's side file."""
    views = cache.side_of(rel, digest, "views")
    return _rebuild(rel, digest, {**payload, "views": views}, _body(source, payload, root / rel), links)


def _body(source: bytes | None, payload: dict[str, Any], path: Path) -> str:
    if payload.get("kind") != "article":
        return ""
    raw = path.read_bytes() if source is None else source
    text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n", int(payload["body_line"]) - 1)[-1]


# --- phase two: cross-article rules over the light views, with the whole corpus indexed ----------


def _judge_all(
    records: list[Record],
    ctx: Context,
    corpus: list[Rule],
    jobs: int | None,
    corpus_key: str,
    cache: CheckCache | None,
) -> tuple[list[Finding], list[str], dict[str, list[Any]]]:
    """Findings of the records; paths of cache entries that proved damaged; and, by path, what the
    cross-article rules found where they ran (to be cached under `corpus_key`)."""
    # Cached findings under another index are usually still good (their lookups still hold), so
    # only files without any are counted as work.
    fresh = sum(
        1 for _, _, payload, source in records if isinstance(source, (str, Article)) or not _memo(payload)
    )
    workers = max(1, min(jobs or cpus(), fresh // PARALLEL_MIN or 1))
    digests = IndexDigests(ctx.index) if cache is not None else None
    step = -(-len(records) // workers) or 1
    shares = [records[i : i + step] for i in range(0, len(records), step)]
    # Forked workers inherit the records and the index instead of receiving them pickled.
    parts = fork_map(lambda share: _judge(share, ctx, corpus, corpus_key, digests, cache), shares, workers)
    findings = [f for found, _, _ in parts for f in found]
    damaged = [d for _, bad, _ in parts for d in bad]
    return findings, damaged, {rel: found for _, _, done in parts for rel, found in done.items()}


def _judge(
    records: list[Record],
    ctx: Context,
    corpus: list[Rule],
    corpus_key: str,
    digests: IndexDigests | None,
    cache: CheckCache | None,
) -> tuple[list[Finding], list[str], dict[str, list[Any]]]:
    findings: list[Finding] = []
    damaged: list[str] = []
    computed: dict[str, list[Any]] = {}
    for rel, digest, payload, source in records:
        cached = not isinstance(source, (str, Article))
        try:
            memo = _memo(payload)
            stale = cached and memo and memo[0] != corpus_key
            lookups = cache.side_of(rel, digest, "lookups") if stale else None
            if memo and cached and (memo[0] == corpus_key or _still_hold(lookups, digests)):
                stub = _stub(rel, payload)
                raw = [*_findings(rel, payload["local"]), *_findings(rel, memo[1])]
                findings.extend(apply_suppressions(stub, raw))
                continue
            if isinstance(source, Article) and source.parsed is not None:
                item, local = source, _findings(rel, payload["local"])
            elif isinstance(source, (str, Article)):
                body = source.body if isinstance(source, Article) else source
                item, local = _rebuild(rel, digest, payload, body)
            else:
                item, local = _rebuild_cached(rel, digest, payload, source, cache, ctx.config.root)
        except _DAMAGE:
            if not cached:
                raise  # fresh from the loader: a bug, not a damaged cache
            damaged.append(rel)
            continue
        if isinstance(item, Finding):
            findings.append(item)
            continue
        tracked = TrackedIndex(ctx.index, digests) if digests else ctx.index
        found = check_article(item, dataclasses.replace(ctx, index=tracked), corpus, suppress=False)
        if isinstance(tracked, TrackedIndex):
            computed[rel] = [[[f.line, f.column, f.rule, f.message] for f in found], tracked.lookups]
        findings.extend(apply_suppressions(item, [*local, *found]))
    return findings, damaged, computed


def _memo(payload: dict[str, Any]) -> list[Any] | None:
    """[digest of the index, cross-article findings], if cached."""
    memo = payload.get("corpus")
    return memo if isinstance(memo, list) and len(memo) == 2 else None


def _still_hold(lookups: Any, digests: IndexDigests | None) -> bool:
    """Whether the lookups stored with cross-article findings get the same answers now."""
    return digests is not None and isinstance(lookups, list) and digests.still_hold(lookups)


def _run(
    config: SiteConfig, today: date, todo: list[Path], codes: tuple[str, ...], jobs: int | None, keep: bool
) -> Iterator[Record]:
    workers = max(1, min(jobs or cpus(), len(todo) // 50 or 1))
    if len(todo) < PARALLEL_MIN or workers == 1:
        _init(config, today, codes, Kept.ARTICLE if keep else Kept.BODY)
        yield from _work(todo)
        return
    # Small chunks, so that no worker is left with a long last one while the other idles.
    size = max(16, min(128, len(todo) // (workers * 16) or 1))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    # From a worker, an article comes without its tokens: they cost more to send than to parse.
    setup = (dict(config.raw), config.root, today, codes, Kept.BARE_ARTICLE if keep else Kept.BODY)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=setup) as pool:
        for chunk in pool.map(_work, chunks):
            yield from chunk


class Kept(enum.Enum):
    """What phase one keeps of an article it loaded, beside its payload."""

    BODY = "body"  # a check alone: cross-article rules need no more
    ARTICLE = "article"  # for the renderer, tokens included
    BARE_ARTICLE = "article without tokens"  # for the renderer, from a worker


_state: dict[str, Any] = {}


def _init_worker(raw: dict[str, Any], root: Path, today: date, codes: tuple[str, ...], kept: Kept) -> None:
    _init(config_from_mapping(raw, root), today, codes, kept)


def _init(config: SiteConfig, today: date, codes: tuple[str, ...], kept: Kept) -> None:
    _state["config"] = config
    _state["kept"] = kept
    _state["categories"] = config.category_ids
    _state["rules"] = [REGISTRY[c] for c in codes]
    # Local rules do not read the index, so an empty one keeps workers independent of each other.
    _state["ctx"] = Context(config=config, today=today, index=CorpusIndex(()))


def _work(paths: list[Path]) -> list[Record]:
    config: SiteConfig = _state["config"]
    out = []
    for path in paths:
        result = load_file(path, config.source_path, config.root, _state["categories"])
        if isinstance(result, Finding):
            out.append((result.path, _digest_of(path), _finding_payload(result), ""))
        else:
            found = check_article(result, _state["ctx"], _state["rules"], suppress=False)
            source: str | Article = result
            if _state["kept"] is Kept.BODY:
                source = result.body
            elif _state["kept"] is Kept.BARE_ARTICLE:
                source = result.without_tokens()
            out.append((result.path, result.digest, _article_payload(result, found), source))
    return out


def _digest_of(path: Path) -> str:
    source = _regular_bytes(path)
    # Unreadable, or not a file (the loader's KB001): not cached, looked at again next time.
    return "" if source is None else hashlib.sha256(source).hexdigest()


def _regular_bytes(path: str | Path) -> bytes | None:
    """The bytes of a regular file (a symbolic link to one included); None for anything else, or
    a file that cannot be read, which the loader reports (KB001). A named pipe is never read: that
    waits for a writer forever. It is left unopened when seen, and opened non-blocking and looked
    at again once open, should it have been put in the file's place in between."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # no effect on reading a regular file
    except OSError:
        return None
    with open(fd, "rb") as file:
        try:
            return file.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None
        except OSError:
            return None


# --- the light view: what crosses process boundaries and sits in the cache ---------------------


def _finding_payload(f: Finding) -> dict[str, Any]:
    return {"kind": "finding", "finding": [f.line, f.column, f.rule, f.message]}


def _article_payload(a: Article, found: list[Finding]) -> dict[str, Any]:
    return {
        "kind": "article",
        "meta": dict(a.meta),
        "body_line": a.body_line,
        "sections": [[s.title, s.line, s.end_line] for s in a.sections],
        "suppressions": [[s.code, s.reason, s.line] for s in a.suppressions],
        "field_lines": dict(a.field_lines),
        "anchors": list(page_anchors(a)),
        "tokens": light_tokens(a.tokens),
        "local": [[f.line, f.column, f.rule, f.message] for f in found],
    }


_VIEWS = ("sections", "field_lines", "tokens")


def _packed(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as cached: what only cross-article rules re-read (sections, field lines, link
    tokens: three quarters of it) as one JSON string, which loading the cache does not unpack."""
    if "tokens" not in payload:
        return payload
    packed = {k: v for k, v in payload.items() if k not in _VIEWS}
    packed["views"] = json.dumps([payload[k] for k in _VIEWS], separators=(",", ":"))
    return packed


def _views(payload: dict[str, Any]) -> tuple[list[Any], dict[str, Any], list[Any]]:
    packed = payload.get("views")
    sections, field_lines, tokens = (
        json.loads(packed) if isinstance(packed, str) else (payload[k] for k in _VIEWS)
    )
    return sections, field_lines, tokens


def _rebuild(
    rel: str, digest: str, payload: dict[str, Any], body: str, links: bool = True
) -> tuple[Article | Finding, list[Finding]]:
    """The article of a light view: its tokens are the view's link tokens (`links`, enough for the
    cross-article rules), or parsed from `body` on first use."""
    if payload["kind"] == "finding":
        line, column, code, message = payload["finding"]
        return Finding(rel, int(line), int(column), str(code), Severity.ERROR, str(message)), []
    body_line = int(payload["body_line"])
    sections, field_lines, tokens = _views(payload)
    starts = [0, *itertools.accumulate(len(line) + 1 for line in body.split("\n"))]
    article = Article(
        path=rel,
        meta=dict(payload["meta"]),
        body=body,
        body_line=body_line,
        sections=tuple(_section(body, starts, body_line, *s) for s in sections),
        suppressions=_suppressions(payload),
        digest=digest,
        parsed=tuple(_decode(t) for t in tokens) if links else None,
        field_lines={str(k): int(v) for k, v in field_lines.items()},
    )
    return article, _findings(rel, payload["local"])


def _section(body: str, starts: list[int], body_line: int, title: str, line: int, end: int) -> Section:
    """The section with its text cut from the body by line offsets (as the loader joins lines)."""
    first, last = line - body_line + 1, end - body_line + 1
    last = min(last, len(starts) - 1)
    text = body[starts[first] : starts[last] - 1] if first < last else ""
    return Section(str(title), int(line), int(end), text)


def light_tokens(tokens: Iterable[Token]) -> list[list[Any]]:
    """The inline tokens that hold links or images, their children cut to the links (with their
    text) and images: what cross-article rules read, at a fraction of the full token stream."""
    return [
        [tok.map, tok.level, tok.content, children]
        for tok in tokens
        if tok.type == "inline" and (children := _link_children(tok.children or []))
    ]


def _link_children(children: list[Token]) -> list[list[Any]]:
    kept: list[list[Any]] = []
    depth = 0
    for child in children:
        if child.type == "link_open":
            depth += 1
        if depth or child.type == "image":
            kept.append([child.type, {k: str(v) for k, v in child.attrs.items()}, child.content])
        if child.type == "link_close":
            depth -= 1
    return kept


_SHAPES = {"link_open": ("a", 1), "link_close": ("a", -1), "image": ("img", 0)}


def _decode(data: list[Any]) -> Token:
    where, level, content, children = data
    return Token(
        type="inline",
        tag="",
        nesting=0,
        map=list(where) if where is not None else None,
        level=int(level),
        content=str(content),
        children=[
            Token(kind, *_SHAPES.get(kind, ("", 0)), attrs=dict(attrs), content=str(text))
            for kind, attrs, text in children
        ],
    )


def _with_severity(finding: Finding, config: SiteConfig) -> Finding:
    severity = severity_of(finding.rule, config)
    if severity is finding.severity:
        return finding
    return Finding(finding.path, finding.line, finding.column, finding.rule, severity, finding.message)


def _selected_paths(config: SiteConfig, paths: Sequence[Path]) -> set[str] | None:
    if not paths:
        return None
    return {relative(p, config.root) for p in discover(config.source_path, paths)}
