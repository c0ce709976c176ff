"""Incremental rendering: re-render only the pages whose inputs changed since the last build of
the same site (an audience in a language), and give the same bytes a clean build would.

What a rendered page depends on is tracked explicitly, in two layers:

- The staged docs folder holds everything of the sources a page shows: staging writes into an
  article's page the titles and summaries of what it links to (links to pages the site does not
  show become text), into category and home pages the articles they list, into the reports the
  check's findings. So a page depends on its own staged file; that file's digest is its key.
- Everything else a page depends on is the site's key: the generated mkdocs.yml (navigation,
  theme options, the audience, the site's URLs), every file of the theme, the renderer's
  environment (SOURCE_DATE_EPOCH), kb's own code and the renderer's version. A change there
  renders the whole site again.

So a build stages the whole site as always (staging is cheap next to rendering), compares each
staged file's digest with the last build's, renders the pages that differ with MkDocs' own steps
(render/mkdocs_pages.py: the sitemap and the 404 page are always made again), copies the rest
from the last build, removes what was deleted and indexes the whole site again (Pagefind's index
is not incremental; the search index is never left stale). The last build is kept in a state
folder, `.kb-cache/render/<audience>-<lang>/` for `kb build` and the preview's folder for
`kb serve`: its digests (manifest.json) and its output (`site/`, hard links to the files the
build produced, which nothing writes in place: each build's output is a fresh copy)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

from generator.pipeline.check.cache import code_digest

STATE_VERSION = 1
MANIFEST = "manifest.json"
SITE = "site"
INDEX_DIR = "pagefind"  # made again by every indexed build


@dataclass(frozen=True)
class Plan:
    """What a build of one site must render. `full`: everything (no usable last build, or the
    site's key changed); else `changed` (docs-relative files that are new or differ) and `removed`
    (files of the last build's docs folder that are gone)."""

    key: str
    digests: Mapping[str, str]
    full: bool
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def plan(state: Path, config_file: Path, docs: Path, env: Mapping[str, str], indexed: bool) -> Plan:
    key = site_key(config_file, env, indexed)
    digests = {
        path.relative_to(docs).as_posix(): _digest(path.read_bytes())
        for path in sorted(docs.rglob("*"))
        if path.is_file()
    }
    last = _manifest(state)
    if last is None or last.get("key") != key or not (state / SITE).is_dir():
        return Plan(key, digests, full=True)
    before: dict[str, str] = last.get("files") or {}
    changed = tuple(rel for rel, digest in digests.items() if before.get(rel) != digest)
    removed = tuple(sorted(set(before) - set(digests)))
    return Plan(key, digests, full=False, changed=changed, removed=removed)


def site_key(config_file: Path, env: Mapping[str, str], indexed: bool) -> str:
    digest = hashlib.sha256()
    digest.update(f"{STATE_VERSION} indexed={indexed}\n".encode())
    digest.update(config_file.read_bytes())
    digest.update(json.dumps(sorted(env.items())).encode("utf-8"))
    digest.update(_code_key().encode("utf-8"))
    # The theme folder the generated mkdocs.yml names (custom_dir): the file names what is rendered.
    mkdocs = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    custom = (mkdocs.get("theme") or {}).get("custom_dir")
    theme = config_file.parent / custom if custom else config_file.parent
    for path in sorted(theme.rglob("*")) if custom else ():
        if path.is_file():
            digest.update(path.relative_to(theme).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


_CODE: list[str] = []


def _code_key() -> str:
    # kb's code (its Markdown extensions, the CSP, the index) and the renderer's packages: read
    # once a process, like the check cache's key.
    if not _CODE:
        versions = [_version(name) for name in ("mkdocs", "mkdocs-material", "pagefind", "nh3", "Markdown")]
        _CODE.append(code_digest() + " " + " ".join(versions))
    return _CODE[0]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def first_files(config_file: Path, current: Plan) -> tuple[str, ...]:
    """What a first preview renders before it serves: the navigation's pages (home, categories,
    reports) and every file that is not a page; `kb serve` renders other pages when they are
    asked for, and all of them on its next build."""
    mkdocs = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    nav: set[str] = set()
    items = list(mkdocs.get("nav") or [])
    while items:
        item = items.pop()
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            (items.extend(value) if isinstance(value, list) else nav.add(str(value)))
    return tuple(rel for rel in current.digests if not rel.endswith(".md") or rel in nav)


def only(current: Plan, files: tuple[str, ...]) -> Plan:
    """`current` as if the site held only `files`: the next build renders the others."""
    kept = set(files)
    return Plan(current.key, {rel: d for rel, d in current.digests.items() if rel in kept}, full=True)


def dest_of(rel: str) -> str:
    """Where the renderer writes a docs file (directory URLs, as kb's mkdocs.yml asks for)."""
    if not rel.endswith(".md"):
        return rel
    stem = rel[: -len(".md")]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{folder}/index.html" if folder else "index.html"
    return f"{stem}/index.html"


def assemble(state: Path, fresh: Path, site: Path, current: Plan) -> None:
    """`site` (new) = the last build's output less what changed, was removed or is re-indexed,
    then the freshly rendered files of `fresh` on top. The last build's files are hard links
    (copies on a disk that has none): nothing after this writes into a page in place (the index's
    synonyms replace the page), so the last build stays as it was."""
    old = state / SITE
    stale = {dest_of(rel) for rel in (*current.changed, *current.removed)}
    for path in sorted(old.rglob("*")):
        rel = path.relative_to(old).as_posix()
        if path.is_dir() or rel in stale or rel.split("/", 1)[0] == INDEX_DIR:
            continue
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(path), str(target))
    for path in sorted(fresh.rglob("*")):
        if path.is_file():
            target = site / path.relative_to(fresh)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    _prune_empty(site)


def save(state: Path, current: Plan, site: Path) -> None:
    """Keep `site` (the finished output) and its digests as the last build of this site."""
    state.mkdir(parents=True, exist_ok=True)
    (state / MANIFEST).unlink(missing_ok=True)  # no manifest while the copy is half made
    _mirror(site, state / SITE)
    data = {"version": STATE_VERSION, "key": current.key, "files": dict(current.digests)}
    tmp = state / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, state / MANIFEST)


@contextmanager
def claimed(state: Path | None) -> Iterator[Path | None]:
    """`state`, held for this build alone; None (render everything, keep nothing) when there is
    none or another build of the same project holds it (two test workers, two terminals)."""
    if state is None:
        yield None
        return
    state.mkdir(parents=True, exist_ok=True)
    with open(state.parent / f".{state.name}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield None
            return
        try:
            yield state
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def forget(state: Path) -> None:
    """A build that failed after rendering leaves no last build to trust."""
    (state / MANIFEST).unlink(missing_ok=True)


def _manifest(state: Path) -> dict | None:
    try:
        data = json.loads((state / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else None


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another disk, or links not allowed there
        shutil.copy2(src, dst)


def _mirror(site: Path, copy: Path) -> None:
    """Make `copy` hold `site`'s files as hard links (copies where there are none), touching only
    what differs: after an incremental build most files already are the same file (assemble). A
    file where a folder must go (or the reverse) makes the copy again from nothing."""
    try:
        _sync(site, copy)
    except (NotADirectoryError, IsADirectoryError, FileExistsError):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy, copy_function=_link_or_copy)


def _sync(site: Path, copy: Path) -> None:
    wanted = set()
    for path in sorted(site.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(site).as_posix()
        wanted.add(rel)
        target = copy / rel
        try:
            if os.path.samefile(path, target):
                continue
            target.unlink()
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(path), str(target))
    gone = [p for p in copy.rglob("*") if not p.is_dir() and p.relative_to(copy).as_posix() not in wanted]
    for path in gone:
        path.unlink()
    if gone:
        _prune_empty(copy)


def _prune_empty(site: Path) -> None:
    for folder in sorted((p for p in site.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
