"""Anchors of a built site: every `href` with a `#fragment` that points into the site must name an
`id` (or an `<a name>`) on its target page.

LinkChecker's AnchorCheck plugin parses a page again for every link to an anchor on it (Material's
table of contents and heading permalinks give each article a dozen), which was four fifths of a
link check; here each page is parsed once. Links whose target page is missing are LinkChecker's
to report.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from generator.pipeline.verify.links import BrokenLink

_BASE = "http://site.invalid/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # hrefs with a fragment

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name == "href" and tag in ("a", "area") and "#" in value:
                self.links.append(value)


def check_anchors(site: Path) -> list[BrokenLink]:
    """Links to an anchor that is not on their (existing) target page, by page."""
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parser = _Page()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            parsed[path] = parser
        return parsed[path]

    broken: list[BrokenLink] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        for href in page(path).links:
            target_url = urlparse(urljoin(_BASE + rel, href))
            fragment = unquote(target_url.fragment)
            if not fragment or f"{target_url.scheme}://{target_url.netloc}/" != _BASE:
                continue
            target = _file(site, unquote(target_url.path).lstrip("/"))
            if target is not None and fragment not in page(target).ids:
                broken.append(BrokenLink(rel, f"broken link {href!r}: Anchor `{fragment}' not found"))
    return broken


def _file(site: Path, path: str) -> Path | None:
    """The HTML file a site path serves (`id/` is `id/index.html`), or None."""
    candidate = site / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() and candidate.suffix == ".html" else None
