"""What an article's cross-article rules read from the corpus index, so their findings can be
reused after an edit elsewhere.

Cross-article rules see one article and the index, and read the index only through `by_id`,
`by_path` and `has_file`. TrackedIndex notes each lookup with a digest of its answer; findings
stored with those notes still hold under a new index whose answers to the same lookups have the
same digests. Any other use of the index is noted as a read of everything, which no new index
satisfies.
"""

from __future__ import annotations

import hashlib
from typing import Any

from generator.rules import CorpusIndex, IndexEntry

# [kind ("i": by id, "p": by path, "f": has file, "*": anything else), key, digest of the answer]
Lookup = list[str]


class IndexDigests:
    """A digest of the answer to every possible lookup in one index, worked out on first use (a
    re-check with nothing changed never needs them)."""

    def __init__(self, index: CorpusIndex) -> None:
        self._index = index
        self._paths: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._answers: set[tuple[str, str, str]] = set()  # every (kind, key, digest) that holds

    def answer(self, kind: str, key: str) -> str:
        self._digest_all()
        if kind == "p":
            return self._paths.get(key, "none")
        if kind == "i":
            return self._ids.get(key, "none")
        if kind == "f":
            return "1" if key in self._index.files else "0"
        return ""

    def _digest_all(self) -> None:
        if self._paths or not self._index.entries:
            return  # done already, or nothing to digest
        self._paths = {e.path: _digest(e) for e in self._index.entries}
        ids: dict[str, list[str]] = {}
        for e in self._index.entries:
            ids.setdefault(e.id, []).append(self._paths[e.path])
        self._ids = {key: _combined(found) for key, found in ids.items()}
        self._answers = (
            {("p", k, v) for k, v in self._paths.items()}
            | {("i", k, v) for k, v in self._ids.items()}
            | {("f", k, "1") for k in self._index.files}
        )

    def still_hold(self, lookups: list[Any]) -> bool:
        """Whether every noted lookup gets the same answer here (never for a read of everything)."""
        self._digest_all()
        try:
            if self._answers.issuperset(map(tuple, lookups)):  # the usual case, in one C loop
                return True
        except TypeError:
            return False  # not a list of lists
        return all(
            isinstance(lookup, list)
            and len(lookup) == 3
            and lookup[0] in ("i", "p", "f")
            and self.answer(str(lookup[0]), str(lookup[1])) == lookup[2]
            for lookup in lookups
        )


class TrackedIndex:
    """The corpus index as one article's rules read it, each lookup noted in `lookups`."""

    def __init__(self, index: CorpusIndex, digests: IndexDigests) -> None:
        self._index = index
        self._digests = digests
        self.lookups: list[Lookup] = []

    def by_id(self, article_id: str) -> list[IndexEntry]:
        self.lookups.append(["i", article_id, self._digests.answer("i", article_id)])
        return self._index.by_id(article_id)

    def by_path(self, path: str) -> IndexEntry | None:
        self.lookups.append(["p", path, self._digests.answer("p", path)])
        return self._index.by_path(path)

    def has_file(self, path: str) -> bool:
        self.lookups.append(["f", path, self._digests.answer("f", path)])
        return self._index.has_file(path)

    def __getattr__(self, name: str) -> Any:
        self.lookups.append(["*", name, ""])
        return getattr(self._index, name)


def _digest(entry: IndexEntry) -> str:
    return hashlib.blake2b(repr(entry.key()).encode("utf-8"), digest_size=8).hexdigest()


def _combined(digests: list[str]) -> str:
    return hashlib.blake2b("|".join(digests).encode("ascii"), digest_size=8).hexdigest()
