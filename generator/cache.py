"""The per-file check cache in `.kb-cache/`: what a file's local rules found, and its light facts.

An entry is reused only when the file's content digest matches and the whole cache was written
under the same key: configuration, rule set (codes, versions, severities), the code of the tool
and its parsers, the package version, the rule selection and today's date (date rules). Anything
unreadable, truncated, of another format or another key is ignored and later rewritten. Results
of cross-article rules are never stored here. The file is JSON, not pickle, because a cache in a
working tree is not trusted input.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.resources import PACKAGE, schemas_dir

CACHE_DIR = ".kb-cache"
FORMAT = 1


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


@dataclass
class CheckCache:
    """Entries by project-relative path: [content digest, payload]."""

    path: Path
    key: str
    entries: dict[str, list[Any]] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, root: Path, key: str, name: str = "check") -> CheckCache:
        path = root / CACHE_DIR / f"{name}.json"
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return cls(path, key, dirty=True)
        valid = isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key
        entries = data.get("entries") if valid else None
        if not isinstance(entries, dict):
            return cls(path, key, dirty=True)
        return cls(path, key, entries)

    def get(self, rel: str, digest: str) -> Any:
        entry = self.entries.get(rel)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == digest:
            return entry[1]
        return None

    def put(self, rel: str, digest: str, payload: Any) -> None:
        self.entries[rel] = [digest, payload]
        self.dirty = True

    def keep_only(self, rels: Iterable[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        wanted = set(rels)
        gone = [r for r in self.entries if r not in wanted]
        for rel in gone:
            del self.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically (temp file + rename); a cache that cannot be written is skipped."""
        if not self.dirty:
            return
        try:
            text = json.dumps(
                {"format": FORMAT, "key": self.key, "entries": self.entries}, separators=(",", ":")
            )
        except (TypeError, ValueError):
            return  # front matter JSON cannot hold (the schema rejects such files anyway)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(self.path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".check-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            return  # a read-only checkout still gets a correct (uncached) check
        self.dirty = False


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
