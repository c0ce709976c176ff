"""Anchors of a built site: every `href` with a `#fragment` that points into the site must name an
`id` (or an `<a name>`) on its target page.

LinkChecker's AnchorCheck plugin parses a page again for every link to an anchor on it (Material's
table of contents and heading permalinks give each article a dozen), which was four fifths of a
link check; here each page is parsed once. Links whose target page is missing are LinkChecker's
to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree, html

from generator.pipeline.verify.links import BrokenLink
from generator.pipeline.verify.record import Memo, kept

_BASE = "http://site.invalid/"


@kept
@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]  # ids, and names of <a name>
    links: tuple[str, ...]  # hrefs of <a> and <area> with a fragment


def _read(data: bytes) -> _Page:
    """A built page's anchors and fragment links, read with lxml (libxml2's HTML parser, in C:
    Python's own html.parser took minutes over the pages of a 4,000-article site)."""
    try:
        root = html.fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):  # an empty page: nothing to link to or from
        return _Page(frozenset(), ())
    ids = frozenset(str(v) for v in root.xpath("//@id | //a/@name"))
    links = tuple(str(v) for v in root.xpath("//a/@href[contains(., '#')] | //area/@href[contains(., '#')]"))
    return _Page(ids, links)


_PARSER = html.HTMLParser(encoding="utf-8", recover=True)


def check_anchors(
    site: Path, memo: Memo | None = None, listing: Mapping[str, str] | None = None
) -> list[BrokenLink]:
    """Links to an anchor that is not on their (existing) target page, by page. With `memo` and
    `listing` (record.files_of: the site's files by digest), a page with the same bytes as one
    read before is not read again."""
    if memo is None or listing is None:  # no digests to know pages by: every page is read
        memo = Memo(remember=False)
        listing = listing or {p.relative_to(site).as_posix(): "" for p in site.rglob("*") if p.is_file()}
    parsed: dict[str, _Page] = {}

    def page(rel: str) -> _Page:
        if rel not in parsed:
            parsed[rel] = memo.get(("anchors", listing[rel]), _read_file, site / rel)
        return parsed[rel]

    broken: list[BrokenLink] = []
    for rel in sorted(r for r in listing if r.endswith(".html")):
        for href in page(rel).links:
            target_url = urlparse(urljoin(_BASE + rel, href))
            fragment = unquote(target_url.fragment)
            if not fragment or f"{target_url.scheme}://{target_url.netloc}/" != _BASE:
                continue
            target = _file(listing, unquote(target_url.path).lstrip("/"))
            if target is not None and fragment not in page(target).ids:
                broken.append(BrokenLink(rel, f"broken link {href!r}: Anchor `{fragment}' not found"))
    return broken


def _read_file(path: Path) -> _Page:
    return _read(path.read_bytes())


def _file(listing: Mapping[str, str], path: str) -> str | None:
    """The HTML file a site path serves (`id/` is `id/index.html`), or None."""
    for candidate in (path, f"{path.rstrip('/')}/index.html" if path.strip("/") else "index.html"):
        if candidate in listing and candidate.endswith(".html"):
            return candidate
    return None
