"""Phase one: each file alone, in this process, in a pool of workers, or from the cache.

Each file is loaded and parsed once, by whoever runs its local rules: this process for small
corpora, a pool of worker processes (chunks of files) for large ones. Workers send back a
Record per file (wire.py): its payload and its body, never its tokens, which cost more to send
than to parse. A file whose bytes are unchanged since the last run is not parsed at all: its
payload comes from the cache; a file whose size, times and inode match the cache is not even
read.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from generator.config import SiteConfig, config_from_mapping
from generator.parallel import cpus
from generator.paths import relative
from generator.pipeline.check import wire
from generator.pipeline.check.cache import CheckCache
from generator.pipeline.check.run import check_article
from generator.pipeline.check.wire import Record
from generator.pipeline.load import load_checked
from generator.rules import REGISTRY, Context, CorpusIndex, Rule

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN = 200

Progress = Callable[[int, int], None]  # (files done, files in all)

# A file whose size, times and inode match its cache entry is not read again, as git trusts its
# index; but a signature is stored only for a file that last changed RACY_NS before the run
# began: a later change within the same tick of the file system's clock could keep the times.
RACY_NS = 2_000_000_000


def analyse(
    config: SiteConfig,
    today: date,
    files: list[str],
    local: list[Rule],
    cache: CheckCache | None,
    progress: Progress | None,
    jobs: int | None,
    keep: bool = False,
) -> tuple[list[Record], dict[str, list[int] | None]]:
    """A Record of each file, in order (the loaded Article as its source when `keep`), the new
    payloads put in the cache; and the signature to store with each file's entry."""
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
        results[record.path] = record
        if cache is not None and record.digest:
            cache.put(record.path, record.digest, wire.packed(record.payload), signatures.get(record.path))
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
    return Record(rel, digest, payload, source)


def _run(
    config: SiteConfig, today: date, todo: list[Path], codes: tuple[str, ...], jobs: int | None, keep: bool
) -> Iterator[Record]:
    workers = max(1, min(jobs or cpus(), len(todo) // 50 or 1))
    if len(todo) < PARALLEL_MIN or workers == 1:
        init(config, today, codes, keep)
        yield from work(todo)
        return
    # Small chunks, so that no worker is left with a long last one while the other idles.
    size = max(16, min(128, len(todo) // (workers * 16) or 1))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    # A worker sends each article's body, never the Article: its tokens cost more to send than to
    # parse, and the payload holds the rest.
    setup = (dict(config.raw), config.root, today, codes)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=setup) as pool:
        for chunk in pool.map(work, chunks):
            yield from chunk


_state: dict[str, Any] = {}


def _init_worker(raw: dict[str, Any], root: Path, today: date, codes: tuple[str, ...]) -> None:
    init(config_from_mapping(raw, root), today, codes, keep=False)


def init(config: SiteConfig, today: date, codes: tuple[str, ...], keep: bool) -> None:
    """Set up this process to `work`: the rules `codes`; `keep`: a Record's source is the
    Article, its parse kept, rather than the body."""
    _state["config"] = config
    _state["keep"] = keep
    _state["categories"] = config.category_ids
    _state["rules"] = [REGISTRY[c] for c in codes]
    # Local rules do not read the index, so an empty one keeps workers independent of each other.
    _state["ctx"] = Context(config=config, today=today, index=CorpusIndex(()))


def work(paths: list[Path]) -> list[Record]:
    config: SiteConfig = _state["config"]
    out = []
    for path in paths:
        loaded = load_checked(path, config.source_path, config.root, _state["categories"])
        article = loaded.article
        if article is None:
            rel = loaded.findings[0].path
            out.append(Record(rel, _digest_of(path), wire.stopped_payload(loaded.findings), ""))
            continue
        # An article whose front matter has problems is checked too, for what its body holds.
        found = check_article(article, _state["ctx"], _state["rules"])
        payload = wire.article_payload(article, found, loaded.findings)
        source = article if _state["keep"] else article.body
        out.append(Record(article.path, article.digest, payload, source))
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
