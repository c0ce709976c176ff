"""The audience boundary: nothing written for agents may reach any file of the public site.

What counts as agent-only is read from the SOURCE, not from markers in the output: internal pages'
ids, titles and sentences, the text of `!!! internal` blocks, the internal site's address and its
report pages. Strings that are too short to be telling, or that public articles also contain, are
left out so a shared phrase is not called a leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

from generator.mdparse import INTERNAL_OPENER, only_internal, parse, without_internal
from generator.model import INTERNAL_REPORTS, Article
from generator.text import sentences, words
from generator.verify_files import SiteFile, squash

MIN_WORDS = 6  # a sentence shorter than this is too common to prove a leak
MIN_TITLE_WORDS = 3
MIN_CJK_CHARS = 8  # scripts without spaces: count characters instead of words
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# The class Python-Markdown gives an `!!! internal` admonition.
_INTERNAL_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\badmonition\b[^"']*\binternal\b""")


@dataclass(frozen=True)
class Needle:
    what: str  # e.g. "internal block text"
    text: str  # as written in the source, for the message
    origin: str  # source file it comes from
    squashed: str = ""  # matched against squashed readable text, when set


@dataclass(frozen=True)
class Leak:
    file: str
    cause: str


@dataclass(frozen=True)
class Needles:
    texts: tuple[Needle, ...]
    ids: tuple[Needle, ...]  # matched as URL path segments or quoted slugs in the raw file
    internal_url: str

    @cached_property
    def _matchers(self) -> tuple[_GramIndex, re.Pattern[str], re.Pattern[str] | None]:
        host = re.compile(re.escape(self.internal_url), re.IGNORECASE) if self.internal_url else None
        return _GramIndex(self.texts), _id_pattern(self.ids), host

    def scan(self, files: Iterable[SiteFile]) -> Iterator[Leak]:
        """Leaks in `files`; the matchers are built on the first call, so a file at a time is cheap."""
        grams, id_pattern, host = self._matchers
        for file in files:
            if file.problem:
                yield Leak(file.rel, file.problem)
                continue
            if host and host.search(file.raw):
                yield Leak(file.rel, f"links to the internal site ({self.internal_url})")
            if file.rel.endswith((".html", ".htm")) and _INTERNAL_CLASS.search(file.raw):
                yield Leak(file.rel, "contains an `internal` admonition block")
            if self.ids:
                # The file's own path counts: an internal page copied into the public site.
                text = f"/{file.rel}\n{file.raw}"
                found = {m.group(1) or m.group(2) for m in id_pattern.finditer(text)}
                for needle in self.ids:
                    if needle.text in found:
                        yield Leak(file.rel, f"{needle.what} '{needle.text}' ({needle.origin})")
            for needle in grams.find(squash(file.text)):
                yield Leak(file.rel, f'{needle.what} from {needle.origin}: "{_short(needle.text)}"')


class _GramIndex:
    """Finds which needles occur in a text without searching for each one.

    With L the shortest needle, every occurrence of a needle covers a text position that is a
    multiple of `step` = L - K + 1, where the text's K characters equal one of the needle's first
    `step` K-grams. Sampling the text every `step` characters is then enough to find candidates."""

    def __init__(self, needles: Sequence[Needle]) -> None:
        shortest = min((len(n.squashed) for n in needles), default=0)
        self.k = max(1, min(12, shortest // 2))
        self.step = max(1, shortest - self.k + 1)
        self.index: dict[str, set[Needle]] = {}
        for needle in needles:
            for j in range(self.step):
                self.index.setdefault(needle.squashed[j : j + self.k], set()).add(needle)

    def find(self, text: str) -> list[Needle]:
        if not self.index:
            return []
        k, index = self.k, self.index
        grams = {text[i : i + k] for i in range(0, len(text) - k + 1, self.step)}
        hits = {n for gram in grams & index.keys() for n in index[gram] if n.squashed in text}
        return sorted(hits, key=lambda n: (n.origin, n.text))


def needles(articles: Sequence[Article], internal_url: str = "", public_url: str = "") -> Needles:
    public = [a for a in articles if a.is_public]
    internal = [a for a in articles if not a.is_public]
    public_text = "|".join(
        squash(t) for a in public for t in (a.title, str(a.meta.get("summary", "")), without_internal(a.body))
    )
    public_titles = {squash(a.title) for a in public}
    public_ids = {a.id for a in public}

    texts: dict[str, Needle] = {}

    def add(what: str, text: str, origin: str, title: bool = False) -> None:
        squashed = squash(text)
        if not _telling(text, title) or squashed in texts or squashed in public_text:
            return
        if title and squashed in public_titles:
            return
        texts[squashed] = Needle(what, text, origin, squashed)

    for a in internal:
        add("internal page title", a.title, a.path, title=True)
        for chunk in (str(a.meta.get("summary", "")), *_prose(a.body)):
            for sentence in _pieces(chunk):
                add("internal page text", sentence, a.path)
    for a in articles:
        for chunk in _prose(_without_openers(only_internal(a.body))):
            for sentence in _pieces(chunk):
                add("internal block text", sentence, a.path)

    ids = {a.id: Needle("internal page id", a.id, a.path) for a in internal if a.id not in public_ids}
    for page in INTERNAL_REPORTS:
        ids.setdefault(page, Needle("internal-only page", page, "the internal site"))
    return Needles(tuple(texts.values()), tuple(ids.values()), _internal_address(internal_url, public_url))


def _internal_address(internal_url: str, public_url: str) -> str:
    """The internal site's host, or its whole base URL when both sites share a host."""
    internal, public = urlparse(internal_url), urlparse(public_url)
    if not internal.netloc:
        return ""
    if internal.netloc != public.netloc:
        return internal.netloc
    return internal_url.rstrip("/") + "/"


def _id_pattern(ids: Sequence[Needle]) -> re.Pattern[str]:
    ordered = sorted((n.text for n in ids), key=lambda t: (-len(t), t))
    pages = [re.escape(t) for t in ordered if t not in INTERNAL_REPORTS] or ["(?!)"]
    reports = [re.escape(t) for t in ordered if t in INTERNAL_REPORTS] or ["(?!)"]
    # `/id/`, `href="id/"`, `"id"` in JSON, `/id.html`, `/id#anchor`: a path segment or a slug.
    # Report pages have plain-word names, so only a path segment with its slash counts.
    return re.compile(
        rf"""(?<=[/"'])(?:({"|".join(pages)})(?=[/"'#?]|\.html?\b)|({"|".join(reports)})(?=/))"""
    )


def _prose(markdown: str) -> Iterator[str]:
    """The text of each paragraph, list item and heading, code spans included."""
    for tok in parse(markdown):
        if tok.type == "inline" and tok.children:
            parts = []
            for child in tok.children:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            text = "".join(parts).strip()
            if text:
                yield text


def _pieces(text: str) -> Iterator[str]:
    yield text
    yield from sentences(text)


def _without_openers(text: str) -> str:
    return "\n".join("" if INTERNAL_OPENER.match(line) else line for line in text.split("\n"))


def _telling(text: str, title: bool) -> bool:
    if _CJK.search(text):
        return len(_CJK.findall(text)) >= MIN_CJK_CHARS - (2 if title else 0)
    return len(words(text)) >= (MIN_TITLE_WORDS if title else MIN_WORDS)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
