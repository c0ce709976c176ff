"""What the last verification of a project passed, so that the next one reads only what changed.

`kb build` keeps it in `.kb-cache/verify/`: each verified site's files by their digest (sha256),
and, by the bytes they were computed from, what each content check found in a file. A file with
the same bytes (and path) as one the last verification read gets the same findings without being
parsed again; LinkChecker checks only the pages that changed (links.py), unless a file a page
could link to is gone (verify/__init__.py decides).

A record is written only after a verification found nothing, and it is keyed by kb's own code:
a change to any of generator/'s files starts from no record, as does a record that cannot be
read. `kb build --no-incremental` and `kb verify` use none.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from generator.pipeline.check.cache import code_digest

T = TypeVar("T")
RECORD = "record.json.gz"


@dataclass
class Memo:
    """Results by key (what they were computed from): those of the last verification, and those
    this one used, which become the next record's (so the record holds only live files)."""

    old: Mapping[Hashable, Any] = field(default_factory=dict)
    used: dict[Hashable, Any] = field(default_factory=dict)
    remember: bool = True  # False: compute everything, remember nothing (no record)

    def get(self, key: Hashable, compute: Callable[..., T], *args: Any) -> T:
        """`compute(*args)`, or what it gave for `key` before."""
        if not self.remember:
            return compute(*args)
        if key in self.used:
            return self.used[key]
        value = self.old[key] if key in self.old else compute(*args)
        self.used[key] = value
        return value

    def last(self, key: Hashable, default: Any = None) -> Any:
        """What the last verification kept for `key` (`default` when nothing)."""
        return self.old.get(key, default)

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep `value` for the next verification."""
        if self.remember:
            self.used[key] = value


@dataclass
class Record:
    """A passed verification: `sites` maps a site's name (`public`, `internal`) to its files'
    digests, for the sites whose links were checked; `memo` holds the checks' results."""

    sites: dict[str, dict[str, str]] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)

    def verified(self, name: str) -> dict[str, str] | None:
        """The files of the last verified site `name`, or None when there is none."""
        return self.sites.get(name)


def load(folder: Path | None) -> Record:
    """The record kept in `folder`; an empty one (everything is read) when there is none, it was
    written by other code, or it cannot be read. `folder` None: a record that keeps nothing."""
    if folder is None:
        return Record(memo=Memo(remember=False))
    try:
        with gzip.open(folder / RECORD, "rt", encoding="utf-8") as handle:
            data = json.load(handle, object_hook=_decode)
        version, sites, memo = data["version"], data["sites"], data["memo"]
        old = {tuple(key): value for key, value in memo}
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return Record()
    if version != code_version() or not isinstance(sites, dict):
        return Record()
    return Record(sites=sites, memo=Memo(old=old))


def save(folder: Path | None, sites: Mapping[str, dict[str, str]], memo: Memo) -> None:
    """Keep what this verification passed, for the next one (written whole, then renamed in; a
    record that cannot be written is none, not a failed build)."""
    if folder is None or not memo.remember:
        return
    part = folder / f".{RECORD}.{os.getpid()}"
    data = {
        "version": code_version(),
        "sites": dict(sites),
        "memo": [[list(k), v] for k, v in memo.used.items()],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(part, "wt", encoding="utf-8", compresslevel=1) as handle:
            json.dump(data, handle, default=_encode, separators=(",", ":"))
        os.replace(part, folder / RECORD)
    except OSError:  # a full disk: the next build verifies everything, this one still publishes
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


# JSON, not pickle: a cache in a working tree is not trusted input (as the check's cache). The
# results' own types are written with their name and made again only if they are listed here.
KINDS: dict[str, type] = {}


def kept(cls: type[T]) -> type[T]:
    """Register a dataclass whose instances a record may hold."""
    KINDS[cls.__name__] = cls
    return cls


def _encode(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return {"kb:set": list(value)}
    if is_dataclass(value) and type(value).__name__ in KINDS:
        return {"kb:kind": type(value).__name__, **{f.name: getattr(value, f.name) for f in fields(value)}}
    raise TypeError(f"a verification record cannot hold {type(value).__name__}")


def _decode(value: dict[str, Any]) -> Any:
    if "kb:set" in value:
        return set(value["kb:set"])
    name = value.pop("kb:kind", None)
    if name is None:
        return value
    return KINDS[name](**value)  # KeyError for a kind not listed: the record is not used


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_of(site: Path) -> dict[str, str]:
    """Every file of `site` (text or binary) by its digest."""
    return {
        path.relative_to(site).as_posix(): digest(path.read_bytes())
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


_VERSION: list[str] = []


def code_version() -> str:
    """kb's own code and data (the check cache's key) and LinkChecker's and lxml's versions: a
    record made by other code is not trusted."""
    if not _VERSION:
        versions = " ".join(metadata.version(name) for name in ("linkchecker", "lxml", "nh3"))
        _VERSION.append(f"{code_digest()} {versions}")
    return _VERSION[0]
