"""Every file of a built site as searchable text: gzip and Pagefind files opened, HTML reduced to
its text and attribute values, JSON to its strings. Leak checks compare against this text."""

from __future__ import annotations

import gzip
import html
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.pipeline.verify.record import files_of

# Pagefind writes fragments, index chunks and metadata gzip-compressed, each starting with this
# signature once decompressed.
PAGEFIND_SIGNATURE = b"pagefind_dcd"
_BINARY = frozenset(
    (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".woff", ".woff2", ".ttf", ".otf",
     ".eot", ".wasm", ".pagefind", ".pdf", ".zip")
)  # fmt: skip
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")
_ATTRIBUTE = re.compile(r"""\s[\w:-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class SiteFile:
    path: Path
    rel: str  # POSIX path below the site folder
    digest: str  # sha256 of the bytes: the same bytes give the same findings (verify/record.py)

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @property
    def raw(self) -> str:
        """The decoded (and decompressed) content; empty when it cannot be opened."""
        return self._opened[0]

    @property
    def text(self) -> str:
        """What a reader or a search engine sees: see `readable`."""
        return self._opened[1]

    @property
    def problem(self) -> str:
        """Why the file could not be opened, if it could not."""
        return self._opened[2]

    @cached_property
    def _opened(self) -> tuple[str, str, str]:
        try:
            data = _open(self.path, self.data)
        except (OSError, EOFError, zlib.error) as exc:
            return "", "", f"cannot decompress: {exc}"
        raw = data.decode("utf-8", errors="replace")
        return raw, readable(self.rel, raw), ""


def site_files(site: Path, listing: Mapping[str, str] | None = None) -> Iterator[SiteFile]:
    """Each distinct text file of the site once (copies of the same bytes are read once). A file
    is read and opened (decompressed, decoded, reduced to text) only when its content is asked
    for; `listing` (record.files_of) gives the digests without reading the files again."""
    listing = listing if listing is not None else files_of(site)
    seen: set[str] = set()
    for rel, digest in sorted(listing.items()):
        if Path(rel).suffix.lower() in _BINARY or digest in seen:
            continue
        seen.add(digest)
        yield SiteFile(site / rel, rel, digest)


def _open(path: Path, data: bytes) -> bytes:
    if path.suffix == ".gz" or path.suffix.startswith(".pf_"):
        data = gzip.decompress(data)
    return data.removeprefix(PAGEFIND_SIGNATURE)


def readable(rel: str, raw: str) -> str:
    """HTML: the text between tags plus attribute values (alt, title, meta description) and inline
    scripts; JSON: its strings; anything else as it is. Entities are decoded."""
    if rel.endswith((".html", ".htm", ".xml", ".svg")):
        attributes = " ".join(a or b for a, b in _ATTRIBUTE.findall(raw))
        scripts = " ".join(m.group(0) for m in _HIDDEN.finditer(raw))
        body = _TAG.sub(" ", _HIDDEN.sub(" ", raw))
        return html.unescape(f"{body} {attributes} {_TAG.sub(' ', scripts)}")
    stripped = raw.lstrip()
    if stripped[:1] in "{[" and stripped:
        try:
            return html.unescape(" ".join(_strings(json.loads(raw))))
        except ValueError:
            pass
    return html.unescape(raw)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def squash(text: str) -> str:
    """Letters and digits only, case-folded: the same sentence matches whatever markup, entities,
    typography or line breaks the renderer put around and inside it."""
    return _NOT_ALNUM.sub("", text.casefold())
