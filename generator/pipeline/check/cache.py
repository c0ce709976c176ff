"""The per-file check cache in `.kb-cache/`: each file's payload (wire.py), what its rules found.

An entry is reused only when the file's content digest matches and the whole cache was written
under the same key: configuration, rule set (codes, versions, severities), the code of the tool
and its parsers, the package version, the rule selection and today's date (date rules). Anything
unreadable, truncated, of another format or another key is ignored and later rewritten. Results
of cross-article rules are stored with the digest of the corpus index they saw and the lookups
they made in it (lookups.py), and reused under that digest or while those lookups get the
same answers. The files are JSON, not pickle, because a cache in a working tree is not trusted
input.
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
FORMAT = 3  # 3: an article's links and images as its outline has them, not link tokens


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


# After an edit only the shards holding the files judged again are written: a title edit also
# rewrites the entries of the pages that looked it up (64 shards: 0.87-0.92 s for that re-check at
# 10,000 articles, against 0.92-0.94 s with 16, paired runs).
SHARDS = 64


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


SIDE = ("views", "lookups")  # payload keys kept in side files, each read only when needed


@dataclass
class CheckCache:
    """Entries by project-relative path: [content digest, payload, file signature or null], kept
    in SHARDS JSON files. The signature (size, modification and change times, inode) lets an
    unchanged file go unread; see parallel.signature for when one is stored.

    The payload keys in SIDE (three quarters of the bytes, needed only when cross-article rules
    run again) live in side files `NN.<key>.json`, as [content digest, value] per path, each read
    the first time one of its values is asked for: a re-check that changes nothing reads none of
    them. A side value whose digest is not the entry's is never returned."""

    folder: Path
    key: str
    entries: dict[str, list[Any]] = field(default_factory=dict)
    dirty: set[int] = field(default_factory=set)  # shards to write
    side: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # key -> path -> [digest, value]
    side_read: set[tuple[str, int]] = field(default_factory=set)  # (key, shard) read or unreadable
    side_dirty: set[tuple[str, int]] = field(default_factory=set)  # (key, shard) with new values

    @classmethod
    def open(cls, root: Path, key: str, name: str = "check") -> CheckCache:
        cache = cls(root / CACHE_DIR / name, key)
        for n in range(SHARDS):
            entries = cache._read(f"{n:02d}.json", n)
            if entries is None:
                cache.dirty.add(n)
            else:
                cache.entries.update(entries)
        return cache

    def _read(self, name: str, n: int) -> dict[str, list[Any]] | None:
        try:
            data = json.loads((self.folder / name).read_bytes())
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

    def side_of(self, rel: str, digest: str, key: str) -> Any:
        """The SIDE value `key` stored with `rel` at `digest`, or None."""
        self._read_side(key, shard_of(rel))
        found = self.side.get(key, {}).get(rel)
        ok = isinstance(found, list) and len(found) == 2 and found[0] == digest
        return found[1] if ok else None

    def _read_side(self, key: str, n: int) -> None:
        if (key, n) not in self.side_read:
            self.side_read.add((key, n))
            values = self.side.setdefault(key, {})
            for path, value in (self._read(f"{n:02d}.{key}.json", n) or {}).items():
                values.setdefault(path, value)  # what this run put stays

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
        if isinstance(payload, dict):
            for key in SIDE:
                if key in payload and self.side.get(key, {}).get(rel) != [digest, payload[key]]:
                    self.side.setdefault(key, {})[rel] = [digest, payload[key]]
                    self.side_dirty.add((key, shard_of(rel)))
            payload = {k: v for k, v in payload.items() if k not in SIDE}
        self.entries[rel] = [digest, payload, signature]
        self.dirty.add(shard_of(rel))

    def forget(self, rels: Iterable[str]) -> None:
        for rel in rels:
            self.entries.pop(rel, None)
            for values in self.side.values():
                values.pop(rel, None)
            self.dirty.add(shard_of(rel))

    def keep_only(self, rels: Iterable[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        wanted = set(rels)
        self.forget([r for r in self.entries if r not in wanted])

    def save(self) -> None:
        """Write the changed shards atomically (temp file + rename); if the cache cannot be
        written the check is still correct, only not faster next time."""
        if not self.dirty and not self.side_dirty:
            return
        # Side files only where they gained values (a value belongs to content, not to a run),
        # and before the main files: a main entry never names a value that was not written, and a
        # value left from other content is never returned.
        files: dict[str, dict[str, list[Any]]] = {}
        for key, n in sorted(self.side_dirty):
            self._read_side(key, n)  # its values for files this run did not touch are kept
            files[f"{n:02d}.{key}.json"] = {}
        files.update({f"{n:02d}.json": {} for n in sorted(self.dirty)})
        for rel, entry in self.entries.items():
            n = shard_of(rel)
            if n in self.dirty:
                files[f"{n:02d}.json"][rel] = entry
            for key in SIDE:
                side = self.side.get(key, {}).get(rel)
                if (key, n) in self.side_dirty and isinstance(side, list) and side and side[0] == entry[0]:
                    files[f"{n:02d}.{key}.json"][rel] = side
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.folder.parent)
            for name, data in files.items():
                text = json.dumps({"format": FORMAT, "key": self.key, "entries": data}, separators=(",", ":"))
                _write_atomically(self.folder / name, text)
        except (OSError, TypeError, ValueError):
            return  # a read-only checkout, or front matter JSON cannot hold (the schema rejects it)
        self.dirty.clear()
        self.side_dirty.clear()


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
