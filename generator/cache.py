"""The per-file check cache in `.kb-cache/`: what a file's local rules found, and its light facts.

An entry is reused only when the file's content digest matches and the whole cache was written
under the same key: configuration, rule set (codes, versions, severities), the code of the tool
and its parsers, the package version, the rule selection and today's date (date rules). Anything
unreadable, truncated, of another format or another key is ignored and later rewritten. Results
of cross-article rules are stored with the digest of the corpus index they saw, and reused only
under that same digest. The files are JSON, not pickle, because a cache in a working tree is not
trusted input.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.resources import PACKAGE, schemas_dir

CACHE_DIR = ".kb-cache"
FORMAT = 2


def cache_key(config_raw: Mapping[str, Any], rules: Iterable[Any], today: date, extra: str = "") -> str:
    """Digest of everything besides a file's own bytes that a cached per-file result depends on."""
    parts = {
        "format": FORMAT,
        "package": _package_version(),
        "code": code_digest(rule.check for rule in rules),
        "rules": sorted((r.code, r.version, str(r.default), r.uses_corpus) for r in rules),
        "config": config_raw,
        "today": today.isoformat(),
        "extra": extra,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_digest(functions: Iterable[Any] = ()) -> str:
    """The tool's own source and schemas, rule modules that live elsewhere, and parser versions."""
    files = {p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".json", ".txt", ".yml") and p.is_file()}
    files.update(p for p in schemas_dir().glob("*.json"))
    for fn in functions:
        source = getattr(getattr(fn, "__code__", None), "co_filename", None)
        if source and os.path.isfile(source):
            files.add(Path(source))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    for dist in ("markdown-it-py", "PyYAML", "jsonschema"):
        digest.update(_dist_version(dist).encode("utf-8"))
    return digest.hexdigest()


SHARDS = 16  # after one edit only the shard holding that file is written again


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


@dataclass
class CheckCache:
    """Entries by project-relative path: [content digest, payload, file signature or null], kept
    in SHARDS JSON files. The signature (size, modification and change times, inode) lets an
    unchanged file go unread; see checker.signature for when one is stored."""

    folder: Path
    key: str
    entries: dict[str, list[Any]] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)  # shards to write

    @classmethod
    def open(cls, root: Path, key: str, name: str = "check") -> CheckCache:
        cache = cls(root / CACHE_DIR / name, key)
        for n in range(SHARDS):
            entries = cache._read(n)
            if entries is None:
                cache.dirty.add(n)
            else:
                cache.entries.update(entries)
        return cache

    def _read(self, n: int) -> dict[str, list[Any]] | None:
        try:
            data = json.loads((self.folder / f"{n:02d}.json").read_bytes())
        except (OSError, ValueError):
            return None
        valid = isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key
        entries = data.get("entries") if valid else None
        if not isinstance(entries, dict) or any(shard_of(rel) != n for rel in entries):
            return None
        return entries

    def get(self, rel: str, digest: str) -> Any:
        entry = self.entries.get(rel)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == digest:
            return entry[1]
        return None

    def digest_for(self, rel: str, signature: list[int] | None) -> str | None:
        """The cached content digest of `rel` if the file still has the signature stored with it."""
        entry = self.entries.get(rel)
        if signature is None or not (isinstance(entry, list) and len(entry) == 3):
            return None
        return entry[0] if entry[2] == signature and isinstance(entry[0], str) else None

    def sign(self, rel: str, signature: list[int] | None) -> None:
        """Store a new signature for an entry whose content was found unchanged (a file touched
        but not edited, as by a git checkout), so it is not read again next time."""
        entry = self.entries.get(rel)
        if signature is not None and isinstance(entry, list) and len(entry) == 3 and entry[2] != signature:
            entry[2] = signature
            self.dirty.add(shard_of(rel))

    def put(self, rel: str, digest: str, payload: Any, signature: list[int] | None = None) -> None:
        self.entries[rel] = [digest, payload, signature]
        self.dirty.add(shard_of(rel))

    def forget(self, rels: Iterable[str]) -> None:
        for rel in rels:
            self.entries.pop(rel, None)
            self.dirty.add(shard_of(rel))

    def keep_only(self, rels: Iterable[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        wanted = set(rels)
        self.forget([r for r in self.entries if r not in wanted])

    def save(self) -> None:
        """Write the changed shards atomically (temp file + rename); if the cache cannot be
        written the check is still correct, only not faster next time."""
        if not self.dirty:
            return
        shards: dict[int, dict[str, list[Any]]] = {n: {} for n in self.dirty}
        for rel, entry in self.entries.items():
            n = shard_of(rel)
            if n in shards:
                shards[n][rel] = entry
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.folder.parent)
            for n, entries in shards.items():
                text = json.dumps(
                    {"format": FORMAT, "key": self.key, "entries": entries}, separators=(",", ":")
                )
                _write_atomically(self.folder / f"{n:02d}.json", text)
        except (OSError, TypeError, ValueError):
            return  # a read-only checkout, or front matter JSON cannot hold (the schema rejects it)
        self.dirty.clear()


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".shard-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _ignore_in_git(folder: Path) -> None:
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")


def _package_version() -> str:
    return _dist_version("kb-generator")


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"
