"""The compliance rules (KB301 personal data, KB302 credentials, KB306 unsafe HTML) run again on
the rendered public pages, so text a template, an include or a plugin added is checked too.

Personal data and credentials are looked for in everything a reader sees (the page text) and in
inline scripts; unsafe HTML in the page's main region and in scripts. The theme's own scripts
(Material's bundles, Pagefind, the theme's assets) are allowed by where they load from, and
Material's small inline scripts by how they start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from generator.config import SiteConfig
from generator.model import Article
from generator.pipeline.verify.files import SiteFile

# Scripts the theme loads from its own folders (relative or root-relative URLs).
ALLOWED_SCRIPT_PATHS = re.compile(r"^(?:\.\./|\./|/)*(?:[a-z]{2}(?:-[A-Za-z]+)?/)?(?:assets|pagefind)/")
# Inline scripts Material writes into every page, by their opening code.
ALLOWED_INLINE = (
    "__md_scope=",
    'var palette=__md_get("__palette")',
    "var media,input,key,value,palette=__md_get(",
    "var target=document.getElementById(location.hash.slice(1))",
    'document.body.setAttribute("data-md-color',
)
# The rules run again on a rendered page's text: personal data and credentials.
RENDERED_TEXT_RULES = ("KB301", "KB302")
# Inline JSON the theme writes: Material's config, and structured data (checked as page text).
JSON_TYPES = ("application/json", "application/ld+json")


@dataclass(frozen=True)
class PageParts:
    text: str  # visible text, one line per block
    main: str  # raw HTML of <main> (the content region; the header is the theme's)
    scripts: tuple[str, ...]  # problems with <script> elements
    inline_json: str  # text of inline JSON scripts


class _Splitter(HTMLParser):
    _BLOCKS = frozenset(
        ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "main", "aside",
         "tr", "td", "th", "dt", "dd", "pre", "br", "header", "footer", "nav", "ul", "ol", "table")
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.json: list[str] = []
        self.scripts: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._script, self._script_text = dict(attrs), []
        elif tag in ("style", "template"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self._close_script("".join(self._script_text).strip())
            self._script = None
        elif tag in ("style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif not self._skip:
            self.text.append(data)

    def _close_script(self, body: str) -> None:
        attrs = self._script or {}
        src, kind = attrs.get("src") or "", (attrs.get("type") or "").lower()
        if src:
            if not ALLOWED_SCRIPT_PATHS.match(src):
                self.scripts.append(f"script loaded from {src!r}, not from the theme's assets")
        elif kind in JSON_TYPES:
            self.json.append(body)
        elif body and not body.startswith(ALLOWED_INLINE):
            self.scripts.append(f"inline script not on the allow-list: {body[:60]!r}")


_MAIN = re.compile(r"<main\b.*?</main\s*>", re.DOTALL | re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.DOTALL | re.IGNORECASE)


def split_page(raw: str) -> PageParts:
    splitter = _Splitter()
    splitter.feed(raw)
    splitter.close()
    text = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", "".join(splitter.text)).strip()
    main = _MAIN.search(raw)
    # Scripts are judged by the allow-list above; the rest of <main> by the unsafe-HTML rule.
    region = _SCRIPT.sub(lambda m: "\n" * m.group(0).count("\n"), main.group(0)) if main else ""
    return PageParts(text, region, tuple(splitter.scripts), "\n".join(splitter.json))


def compliance_check(config: SiteConfig, today: date) -> Callable[[SiteFile], Iterator[tuple[str, str]]]:
    """A check of one public file: (file, cause) for each KB301/KB302/KB306 hit in its rendered
    HTML. A file at a time, so a site's files need not all be in memory."""
    # The rules are imported here: KB302 pulls in detect-secrets, which only this step needs.
    from generator.rules import REGISTRY
    from generator.rules.base import Context, CorpusIndex
    from generator.rules.html import unsafe_markup

    ctx = Context(config=config, today=today, index=CorpusIndex.build(()))

    def check(file: SiteFile) -> Iterator[tuple[str, str]]:
        if not file.rel.endswith((".html", ".htm")) or file.problem:
            return
        parts = split_page(file.raw)
        for cause in parts.scripts:
            yield file.rel, f"KB306 {cause}"
        readable = _as_article(file.rel, f"{parts.text}\n{parts.inline_json}")
        for code in RENDERED_TEXT_RULES:
            for hit in REGISTRY[code].check(readable, ctx):
                yield file.rel, f"{code} {hit.message} (rendered text line {hit.line})"
        for found in unsafe_markup(parts.main):
            yield file.rel, f"KB306 unsafe HTML: {found.message} in a page (line {found.line} of <main>)"

    return check


def _as_article(rel: str, text: str) -> Article:
    return Article(path=rel, meta={"audience": "public"}, body=text, body_line=1)
