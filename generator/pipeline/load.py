"""Files -> Articles: read each file, decode it and split off its front matter, and let the
rules that judge a file (KB001) and its front matter (KB002, KB003) say whether it can be used:
every problem becomes a Finding with path and line (`finding`, the one place a rule's hit becomes
one).

A file whose front matter has problems is no article the site shows. The check still runs the
rules that read its body on it, as far as it can be read (`load_checked`): its right fields, the
others unusable, so that a rule that reads one is skipped there (`PartialFields`).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.mdparse import MARKDOWN_SUFFIXES
from generator.model import Article, Finding, FrontMatter, Hit, LoadResult, SourceFile
from generator.parallel import fork_map_each
from generator.paths import relative
from generator.pipeline.expand import expanded
from generator.pipeline.expand.library import NOT_PAGES, library_for, refresh
from generator.rules.base import Reads, Rule, rules_reading
from generator.rules.frontmatter import usable
from generator.yamlsafe import YamlError, key_lines, load_yaml


class _Unreadable(Exception):
    """Why a file's bytes cannot be read (SourceFile.unread)."""


def discover(source: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """Markdown files under `source` (or the given files and folders), sorted, links not followed."""
    roots = list(paths) or [source]
    found: set[str] = set()
    for root in roots:
        if _library_part(root, source):
            continue  # a snippet or data file is no page (pre-commit passes them like any other)
        if _is_folder(root):
            found.update(walk(root))
        else:
            found.add(str(root))
    return [Path(p) for p in sorted(found, key=_parts)]


def _library_part(path: Path, source: Path) -> bool:
    """Whether `path` is in the source folder's _data/ or _snippets/ (pipeline/expand/)."""
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(source)).parts
    except ValueError:
        return False
    return bool(parts) and parts[0] in NOT_PAGES


def walk(folder: Path) -> list[str]:
    """The Markdown files under `folder` as path strings, in `discover` order: what a check of
    10,000 files needs before it knows which to read (Path objects cost 0.1 s at that size)."""
    return walk_all(folder)[0]


def walk_all(folder: Path) -> tuple[list[str], list[str]]:
    """`walk`, and the other files under `folder` (images, attachments) as paths relative to it,
    in one pass that reads each folder's listing once (file types from the listing, no stat per
    file: a help center may hold tens of thousands of screenshots). A symbolic link is among the
    other files only when it leads to a file inside `folder`. A folder that cannot be listed is
    among the Markdown files, so that the loader reports it (KB001) and the others are still
    checked."""
    found: list[str] = []
    other: list[str] = []
    inside = os.path.realpath(folder) + os.sep
    pending = [(os.fspath(folder), "")]
    while pending:
        path, rel = pending.pop()
        try:
            with os.scandir(path) as listing:
                entries = list(listing)
        except OSError:
            found.append(path)  # the loader says why it cannot be read (KB001): never passed over
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or (not rel and name in NOT_PAGES):
                continue  # hidden, or the variables and snippets pages use (pipeline/expand/)
            try:
                folder = entry.is_dir()
            except OSError:  # a symbolic link whose target cannot be looked at
                found.append(entry.path)
                continue
            if folder:
                if name.endswith(MARKDOWN_SUFFIXES):
                    found.append(entry.path)  # reported (KB001) rather than silently skipped
                if not entry.is_symlink():
                    pending.append((entry.path, f"{rel}{name}/"))
            elif name.endswith(MARKDOWN_SUFFIXES):
                found.append(entry.path)
            elif not entry.is_symlink() or (
                os.path.realpath(entry.path).startswith(inside) and os.path.isfile(entry.path)
            ):
                other.append(rel + name)
    return sorted(found, key=_parts), other


def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split(os.sep) if p)  # Path.parts order, without building Paths


def finding(rule: Rule, path: str, hit: Hit) -> Finding:
    """A rule's hit in the file at `path` as a Finding, at the rule's default severity: the one
    place findings are made (the loader, the check's rules and its suppressions all call it), so
    that every message ends alike, with the rule's alias: the name `kb rules` looks up."""
    return Finding(path, hit.line, hit.column, rule.code, rule.default, f"{hit.message} ({rule.alias})")


class UnusableField(Exception):
    """A rule read a front-matter field that the front-matter rules found wrong, could not read, or
    found missing: the rule cannot judge this article, and the check skips it there."""


class PartialFields(Mapping[str, Any]):
    """The front matter of an article whose fields have problems, as the rules that read its body
    may read it: the fields found right read as usual, and so does an optional field not written
    (absent); reading one of the `unusable` raises UnusableField."""

    def __init__(self, fields: Mapping[str, Any], unusable: frozenset[str]) -> None:
        self.fields = dict(fields)
        self.unusable = unusable

    def __getitem__(self, key: str) -> Any:
        if key in self.unusable:
            raise UnusableField(key)
        return self.fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


@dataclass(frozen=True)
class Loaded:
    """A file as the check reads it: what the file and front-matter rules found in it, every one,
    and its article: the file's Article when they found nothing; else, when only its fields are
    wrong, the article as far as they can be read (its meta PartialFields), which the site never
    shows but the rules that read the body judge; else None."""

    article: Article | None
    findings: tuple[Finding, ...]


def load_file(
    path: Path, source: Path, project_root: Path, categories: frozenset[str] | None = None
) -> Article | Finding:
    """One file -> an Article, or the first Finding that says why it cannot be used (load_checked
    gives every one).

    `categories`, when given, are the category ids a valid article may name."""
    loaded = load_checked(path, source, project_root, categories)
    if loaded.findings or loaded.article is None:
        return loaded.findings[0]
    return loaded.article


def load_checked(
    path: Path, source: Path, project_root: Path, categories: frozenset[str] | None = None
) -> Loaded:
    """One file as the check reads it: the findings of the file rules, else of every front-matter
    rule; and its article, or what can be read of it (Loaded)."""
    rel = relative(path, project_root)
    file = _read(path, source, rel)
    stop = _findings(rel, rules_reading(Reads.FILE), file)
    if stop:
        return Loaded(None, stop)
    text = file.text
    lines = text.split("\n")
    head = front_matter(text, categories, lines)
    found = _findings(rel, rules_reading(Reads.FRONT_MATTER), head)
    # Variables and snippets are expanded here, before Markdown is read: the same in check and build.
    library = library_for(source, project_root)
    if found:
        partial = _partial(rel, head, text, lines, file.raw)
        return Loaded(expanded(partial, library) if partial else None, found)
    if head.close is None or not isinstance(head.fields, dict):
        raise RuntimeError(f"{rel}: the front-matter rules let through a block that is not a mapping")
    return Loaded(expanded(_article(rel, head.fields, text, lines, head.close, file.raw), library), ())


def _partial(rel: str, head: FrontMatter, text: str, lines: list[str], raw: bytes) -> Article | None:
    """The article of a file whose front matter has problems, its meta the fields that can be
    used; None when there are none to read, or when its `type`, which decides what rules apply to
    it at all, cannot be used."""
    found = usable(head)
    if found is None or head.close is None or "type" in found[1]:
        return None
    return _article(rel, PartialFields(*found), text, lines, head.close, raw)


def _article(
    rel: str, meta: Mapping[str, Any], text: str, lines: list[str], close: int, raw: bytes
) -> Article:
    return Article(
        path=rel,
        meta=meta,
        body=body_of(text, close + 2),
        body_line=close + 2,
        field_lines=key_lines(lines[: close + 1]),
        digest=hashlib.sha256(raw).hexdigest(),
    )


def body_of(text: str, body_line: int) -> str:
    """The body of a file's text (model.decoded) whose body starts on line `body_line` ('' when
    the text ends before it)."""
    parts = text.split("\n", body_line - 1)
    return parts[-1] if len(parts) == body_line else ""


def _findings(rel: str, rules: tuple[Rule, ...], subject: SourceFile | FrontMatter) -> tuple[Finding, ...]:
    return tuple(finding(rule, rel, hit) for rule in rules for hit in rule.check(subject))


def front_matter(
    text: str, categories: frozenset[str] | None = None, lines: list[str] | None = None
) -> FrontMatter:
    """The block between a first line `---` and the next `---` or `...` line of a file's text,
    read as YAML; `lines`: the text's lines, when split already."""
    lines = text.split("\n") if lines is None else lines
    if lines[0].rstrip() != "---":
        return FrontMatter(text, None, opened=False, categories=categories)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        return FrontMatter(text, None, opened=True, categories=categories)
    try:
        fields = load_yaml("\n".join(lines[1:close]))
    except YamlError as exc:
        return FrontMatter(text, close, opened=True, error=exc, categories=categories)
    return FrontMatter(text, close, opened=True, fields=fields, categories=categories)


def load_all(
    source: Path,
    project_root: Path,
    paths: Iterable[Path] = (),
    categories: frozenset[str] | None = None,
) -> LoadResult:
    """Every file loaded, in `discover` order; large trees in worker processes (reading the YAML and
    checking it against the schema is most of the time, and each core does its share). Articles
    are parsed where their tokens are first needed."""
    files = discover(source, paths)
    refresh(source, project_root)  # the variables and snippets as they are now
    articles: list[Article] = []
    findings: list[Finding] = []
    for result in load_files(files, source, project_root, categories):
        (findings if isinstance(result, Finding) else articles).append(result)
    return LoadResult(tuple(articles), tuple(findings), len(files))


def load_site(config: SiteConfig) -> tuple[Article, ...]:
    """Every article of the site on disk that loads, its category checked against the config."""
    return load_all(config.source_path, config.root, categories=config.category_ids).articles


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off: it would rescan the growing heap of tokens, outlines
    and cache entries again and again (half the time of loading 2,000 articles), and loading and
    checking create no reference cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_files(
    files: list[Path], source: Path, project_root: Path, categories: frozenset[str] | None = None
) -> list[Article | Finding]:
    """load_file of each file, in order; many files in worker processes."""

    def load(path: Path) -> Article | Finding:
        return load_file(path, source, project_root, categories)

    with collector_paused():
        return fork_map_each(load, files, PARALLEL_CHUNK)


# Below this many files a chunk is not worth a process.
PARALLEL_CHUNK = 100


def _read(path: Path, source: Path, rel: str) -> SourceFile:
    """The file's bytes, or why they cannot be read. A symbolic link that leads out of the source
    folder is not followed."""
    try:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(Path(os.path.realpath(source))):
                raise _Unreadable(f"symbolic link points outside the source tree ({target})")
        return SourceFile(rel, _read_file(path))
    except _Unreadable as exc:
        return SourceFile(rel, unread=str(exc))
    except FileNotFoundError:
        return SourceFile(rel, unread="file not found (or a broken symbolic link)")
    except OSError as exc:
        return SourceFile(rel, unread=_cannot_read(path, exc))


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file. Non-blocking, so that a named pipe is reported at once
    instead of waiting for a writer forever (reads of a regular file are not affected)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            if path.name.endswith(MARKDOWN_SUFFIXES):
                raise _Unreadable("is a folder, not a Markdown file")
            # walk_all lists a folder it could not list; it may be readable by now.
            with os.scandir(path):
                raise _Unreadable("folder could not be listed, so no file in it was checked")
        if not stat.S_ISREG(mode):
            raise _Unreadable(f"is {_special(mode)}, not a Markdown file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _cannot_read(path: Path, error: OSError) -> str:
    why = error.strerror or str(error)
    if error.errno == errno.ENAMETOOLONG:
        size = len(os.fsencode(path))
        return f"cannot be read: {why} (its path is {size:,} bytes long; shorten the folder names)"
    if _is_folder(path):
        return f"folder cannot be read: {why}; no file in it was checked"
    return f"cannot read file: {why}"


def _is_folder(path: Path | str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
