"""The audience boundary: nothing written for agents may reach any file of the public site.

What counts as agent-only is read from the INTERNAL SITE AS BUILT, with a parser of its own
(lxml), never from the Markdown and never with the code that removes it from the public site:

- every element whose class list holds `internal` (any case), on any page: its text, and the
  files (images, attachments) only such elements show;
- every page the internal site declares agent-only (`<meta name="kb:audience" content="internal">`):
  its id (the last folder of its URL), title and text.

Each of those is then looked for in every public file (HTML, Pagefind index, sitemaps, JSON,
scripts) as squashed text, an id as a path segment or quoted slug (or, when it has a hyphen, as a
word), a file by its path. Strings too short to be telling, or that public articles also hold
(read from the same internal site with their agent notes taken out), are left out so a shared
phrase is not called a leak. Any element marked `internal` in a public page is a leak too.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree, html

from generator.model import INTERNAL_REPORTS
from generator.pipeline.verify.files import SiteFile, squash
from generator.pipeline.verify.record import Memo, digest, kept
from generator.text import sentences, words

MIN_WORDS = 6  # a sentence shorter than this is too common to prove a leak
MIN_TITLE_WORDS = 3
MIN_CJK_CHARS = 8  # scripts without spaces: count characters instead of words
INTERNAL_CLASS = "internal"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_BLOCKS = frozenset(
    ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "summary", "pre", "blockquote",
     "figcaption", "caption")
)  # fmt: skip
_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_LOCAL_REF = re.compile(r"^(?![a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


@kept
@dataclass(frozen=True)
class Needle:
    what: str  # e.g. "internal block text"
    text: str  # as read on the internal site, for the message
    origin: str  # the internal site's page it comes from
    squashed: str = ""  # matched against squashed readable text, when set


@kept
@dataclass(frozen=True)
class Leak:
    file: str
    cause: str


@dataclass(frozen=True)
class Needles:
    texts: tuple[Needle, ...]
    ids: tuple[Needle, ...]  # matched as URL path segments or quoted slugs in the raw file
    internal_url: str
    files: tuple[Needle, ...] = field(default_factory=tuple)  # site-relative paths of agent-only files
    common_ids: frozenset[str] = frozenset()  # ids public articles use as words: not matched as words

    @cached_property
    def key(self) -> str:
        """A digest of what is looked for: the same needles find the same leaks in the same file."""
        parts = [
            [(n.what, n.text, n.origin, n.squashed) for n in group]
            for group in (self.texts, self.ids, self.files)
        ]
        return digest(json.dumps([parts, self.internal_url, sorted(self.common_ids)]).encode())

    @cached_property
    def _matchers(self) -> tuple[_GramIndex, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]]:
        host = re.compile(re.escape(self.internal_url), re.IGNORECASE) if self.internal_url else None
        worded = [n for n in self.ids if n.text not in self.common_ids]
        return _GramIndex(self.texts), _id_pattern(self.ids), host, _word_pattern(worded)

    def scan(self, files: Iterable[SiteFile]) -> Iterator[Leak]:
        """Leaks in `files`; the matchers are built on the first call, so a file at a time is cheap."""
        grams, id_pattern, host, id_words = self._matchers
        for file in files:
            if file.problem:
                yield Leak(file.rel, file.problem)
                continue
            if host and host.search(file.raw):
                yield Leak(file.rel, f"links to the internal site ({self.internal_url})")
            # The class may be spelt with character references (`&#105;nternal`).
            if file.rel.endswith((".html", ".htm")) and (
                "nternal" in file.raw.casefold() or "&#" in file.raw
            ):
                yield from (Leak(file.rel, cause) for cause in _marked_internal(file.raw))
            if self.ids:
                # The file's own path counts: an internal page copied into the public site.
                text = f"/{file.rel}\n{file.raw}"
                found = {m.group(1) or m.group(2) for m in id_pattern.finditer(text)}
                found.update(id_words.findall(file.text))
                for needle in self.ids:
                    if needle.text in found:
                        yield Leak(file.rel, f"{needle.what} '{needle.text}' ({needle.origin})")
            for needle in grams.find(squash(file.text)):
                yield Leak(file.rel, f'{needle.what} from {needle.origin}: "{_short(needle.text)}"')

    def present(self, site: Path) -> Iterator[Leak]:
        """The agent-only files (images, attachments) that are in `site` (binary files are not
        among the scanned ones, so they are looked up by path)."""
        for needle in self.files:
            if (site / needle.text).is_file():
                yield Leak(needle.text, f"{needle.what} ({needle.origin})")


def _marked_internal(raw: str) -> Iterator[str]:
    try:
        doc = html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        yield "cannot be read as HTML"
        return
    for element in doc.iter():
        if isinstance(element.tag, str) and _is_internal(element):
            text = " ".join(element.text_content().split())
            yield f'an element marked `internal` (<{element.tag}>): "{_short(text)}"'


def _is_internal(element: etree._Element) -> bool:
    return INTERNAL_CLASS in str(element.get("class") or "").casefold().split()


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


class _Shared:
    """Whether public articles also say a text (then it proves nothing): is it part of one of
    their blocks or sentences (`chunks`, squashed)? Searching all of them for each text is what
    took the time on a large site, so the answer is remembered with the chunk that holds it
    (`memo`): the next verification searches again only the chunks that are new, or everything
    for a text whose chunk is gone."""

    def __init__(self, chunks: Sequence[str], memo: Memo) -> None:
        self.chunks, self.memo = set(chunks), memo
        self.text = "|".join(chunks)
        last = memo.last(("public chunks",))
        self.added = None if last is None else "|".join(self.chunks - last)

    def holds(self, squashed: str) -> bool:
        if squashed in self.chunks:
            where: str | None = squashed
        else:
            known = self.memo.last(("shared", squashed), _UNKNOWN) if self.added is not None else _UNKNOWN
            if known is None:  # in none of the last chunks: in a new one?
                where = _chunk_holding(squashed, self.added or "")
            elif known is not _UNKNOWN and known in self.chunks:
                where = known
            else:
                where = _chunk_holding(squashed, self.text)
        self.memo.keep(("shared", squashed), where)
        return where is not None

    def keep(self) -> None:
        self.memo.keep(("public chunks",), self.chunks)


_UNKNOWN = object()


def _chunk_holding(squashed: str, text: str) -> str | None:
    """The chunk of `text` ("|"-separated) that holds `squashed`, or None."""
    at = text.find(squashed)
    if at < 0:
        return None
    return text[text.rfind("|", 0, at) + 1 : (text.find("|", at) + 1 or len(text) + 1) - 1]


@kept
@dataclass
class _Reading:
    """What the internal site's pages say, gathered page by page."""

    public_text: list[str] = field(default_factory=list)  # squashed, agent notes taken out
    public_words: set[str] = field(default_factory=set)  # hyphenated words of public articles
    public_ids: set[str] = field(default_factory=set)
    public_files: set[str] = field(default_factory=set)
    internal_files: dict[str, str] = field(default_factory=dict)  # path -> page showing it
    candidates: list[tuple[str, str, str, bool]] = field(default_factory=list)  # what, text, origin, title
    ids: dict[str, Needle] = field(default_factory=dict)

    def add(self, page: _Reading) -> None:
        """Take in what one page says (pages are added in path order: the first page to show a
        file or an id names it)."""
        self.public_text += page.public_text
        self.public_words |= page.public_words
        self.public_ids |= page.public_ids
        self.public_files |= page.public_files
        self.candidates += page.candidates
        for path, origin in page.internal_files.items():
            self.internal_files.setdefault(path, origin)
        for page_id, needle in page.ids.items():
            self.ids.setdefault(page_id, needle)


def needles(
    internal_dir: Path,
    internal_url: str = "",
    public_url: str = "",
    memo: Memo | None = None,
    listing: Mapping[str, str] | None = None,
) -> Needles:
    """What the internal site built in `internal_dir` shows only to agents. With `memo` and
    `listing` (record.files_of), a page with the same path and bytes as one read before is not
    read again."""
    if memo is None or listing is None:  # no digests to know pages by: every page is read
        memo = Memo(remember=False)
        pages = sorted(internal_dir.rglob("*.html")) if internal_dir.is_dir() else []
        listing = listing or {p.relative_to(internal_dir).as_posix(): "" for p in pages}
    reading = _Reading()
    for rel in sorted(r for r in listing if r.endswith(".html")):
        reading.add(memo.get(("reading", rel, listing[rel]), _read_path, internal_dir / rel, rel))
    texts: dict[str, Needle] = {}
    for what, text, origin, title in reading.candidates:
        squashed = squash(text)
        if squashed not in texts and _telling(text, title):
            texts[squashed] = Needle(what, text, origin, squashed)
    shared = _Shared(reading.public_text, memo)
    texts = {k: v for k, v in texts.items() if not shared.holds(k)}
    shared.keep()
    # An id that public articles use as a word (`follow-up`) proves nothing found as a word; as a
    # path segment it still does, but that would be a public page's own id, left out as well.
    ids = {k: v for k, v in reading.ids.items() if k not in reading.public_ids}
    words_ok = {k for k in ids if k in reading.public_words}
    for page in INTERNAL_REPORTS:
        ids.setdefault(page, Needle("internal-only page", page, "the internal site"))
    files = tuple(
        Needle("a file only agent-only content shows", path, origin)
        for path, origin in sorted(reading.internal_files.items())
        if path not in reading.public_files
    )
    return Needles(
        tuple(texts.values()),
        tuple(ids.values()),
        _internal_address(internal_url, public_url),
        files,
        frozenset(words_ok),
    )


def _read_path(path: Path, rel: str) -> _Reading:
    try:
        return _read_page(path.read_bytes(), rel)
    except OSError:
        return _Reading()  # LinkChecker and the completeness check report a page that cannot be read


def _read_page(data: bytes, rel: str) -> _Reading:
    """What one page of the internal site says (`rel`: its path below the site)."""
    reading = _Reading()
    try:
        doc = html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return reading  # LinkChecker and the completeness check report a page that cannot be read
    audience = _meta(doc, "kb:audience")
    kind = _meta(doc, "kb:kind")
    region = next(iter(doc.xpath("//article")), None)
    if region is None:
        region = doc.find("body")
    if region is None:
        return reading
    page_id = rel.rsplit("/", 2)[-2] if rel.count("/") else ""
    origin = f"internal site {rel}"
    marked = [el for el in region.iter() if isinstance(el.tag, str) and _is_internal(el)]
    for element in marked:
        for text in _chunks(element):
            reading.candidates.append(("internal block text", text, origin, False))
        for ref in _refs(element, rel):
            reading.internal_files.setdefault(ref, origin)
        element.drop_tree()
    if audience == "internal":
        title = _title(doc)
        if title:
            reading.candidates.append(("internal page title", title, origin, True))
        for text in _chunks(region):
            reading.candidates.append(("internal page text", text, origin, False))
        for ref in _refs(region, rel):
            reading.internal_files.setdefault(ref, origin)
        if page_id:
            reading.ids.setdefault(page_id, Needle("internal page id", page_id, origin))
    elif kind in ("article", "page"):
        for text in _chunks(region):
            reading.public_text.append(squash(text))
            reading.public_words.update(_HYPHENATED.findall(text.lower()))
        reading.public_files.update(_refs(region, rel))
        if page_id:
            reading.public_ids.add(page_id)
    else:
        reading.public_files.update(_refs(region, rel))
    return reading


def _meta(doc: html.HtmlElement, name: str) -> str:
    found = doc.xpath(f'//meta[@name="{name}"]/@content')
    return str(found[0]).strip() if found else ""


def _title(doc: html.HtmlElement) -> str:
    heading = doc.xpath("//article//h1")
    text = heading[0].text_content() if heading else ""
    return " ".join(text.split())


def _chunks(region: html.HtmlElement) -> Iterator[str]:
    """The text of each block with no block inside it (paragraph, list item, heading...), and of
    each sentence in it."""
    for element in region.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in element.iterdescendants()):
            continue
        text = " ".join(element.text_content().split())
        if text:
            yield text
            yield from sentences(text)


def _refs(region: html.HtmlElement, rel: str) -> set[str]:
    """Site-relative paths of the local files (not pages) that `region` shows or links to."""
    base = posixpath.dirname(rel)
    out = set()
    for element in region.iter("img", "a", "source"):
        for attr in ("src", "href"):
            value = str(element.get(attr) or "").split("#", 1)[0].split("?", 1)[0]
            if not value or not _LOCAL_REF.match(value) or value.endswith("/"):
                continue
            path = posixpath.normpath(posixpath.join(base, unquote(value)))
            if not path.endswith((".html", ".htm")) and not path.startswith(".."):
                out.add(path)
    return out


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


def _word_pattern(ids: Sequence[Needle]) -> re.Pattern[str]:
    """A hyphenated page id as a word of the readable text (`refund-authorization` in the search
    terms); an id of one word is too common a word to count."""
    hyphenated = sorted((n.text for n in ids if "-" in n.text), key=lambda t: (-len(t), t))
    if not hyphenated:
        return re.compile("(?!)")
    return re.compile(rf"(?<![\w-])({'|'.join(re.escape(t) for t in hyphenated)})(?![\w-])")


def _telling(text: str, title: bool) -> bool:
    if _CJK.search(text):
        return len(_CJK.findall(text)) >= MIN_CJK_CHARS - (2 if title else 0)
    return len(words(text)) >= (MIN_TITLE_WORDS if title else MIN_WORDS)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
