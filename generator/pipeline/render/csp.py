"""A Content-Security-Policy on every page of a built site: only the site's own scripts run.

Right after the renderer wrote a language's site, and before Pagefind indexes it, each page gets

    <meta http-equiv="Content-Security-Policy"
          content="script-src 'self' 'wasm-unsafe-eval' 'sha256-…' …; object-src 'none'; base-uri 'self'">

as the first element of its <head>, before any script:

- `'self'`: script files from the site's own origin (Material's bundle, kb-search.js, Pagefind's
  pagefind.js and its worker).
- `'wasm-unsafe-eval'`: Pagefind searches with WebAssembly (only on a site that is indexed).
- one `'sha256-…'` for each inline script the theme wrote on that page (Material writes a few; the
  one in <head> holds the page's path to the site root, so hashes differ between pages). Inline
  JSON (`application/json`, `application/ld+json`) never runs and gets none.
- no `'unsafe-inline'`: an event handler attribute, a `javascript:` URL or an inline script that
  the theme did not write is blocked (and reported as a violation).

Which inline scripts are the theme's: the theme prints `page.content`, the article's HTML and the
only part of a page that a writer's markup reaches (every other value is escaped, see
theme/main.html), between `<!--kb-content N-->` and `<!--/kb-content-->`, N being its length. The
page with those regions cut out is the theme's own markup; only the scripts a parser finds there
are hashed, so no script from an article is, whatever elements its markup closes or leaves open.
As a second guard nothing inside `<article class="md-content__inner">` is hashed either. The
markers are removed from the written page.

An HTML file the renderer did not make from a page (an attachment under files/) gets the policy
with no hash at all: on the site's origin it must not run anything.

`kb serve` adds a reload script to the preview's pages (generator/serve.py); the internal site's
policy allows that one script by its hash, so the preview keeps reloading itself."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.pipeline.render.renderer import RenderError

CONTENT_END = "<!--/kb-content-->"
_CONTENT_START = re.compile(r"<!--kb-content (\d+)-->")
# Script types that hold data, not code: the browser never runs them.
DATA_TYPES = frozenset(("application/json", "application/ld+json"))
_SCRIPT_TAG = re.compile(r"<script", re.IGNORECASE)
_HEAD_END = "</head>"
_ARTICLE = '<article class="md-content__inner'
_DOCTYPE = re.compile(r"\A\ufeff?\s*<!doctype[^>]*>", re.IGNORECASE)


class CspError(RenderError):
    """A page cannot be given its policy (the theme's markers are missing or do not match)."""


def policy(hashes: Iterable[str], wasm: bool) -> str:
    """The policy's text; `hashes` are base64 SHA-256 digests of inline scripts."""
    sources = ["'self'", *(["'wasm-unsafe-eval'"] if wasm else []), *(f"'sha256-{h}'" for h in hashes)]
    return f"script-src {' '.join(sources)}; object-src 'none'; base-uri 'self'"


def meta_tag(hashes: Iterable[str], wasm: bool) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes, wasm)}">'


def script_hash(text: str) -> str:
    """The hash a browser computes for an inline script with this text: it reads line ends as LF
    before it hashes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def protect_site(site_dir: Path, config_file: Path, wasm: bool) -> int:
    """Give every HTML file under `site_dir`, rendered from `config_file`, its policy; returns the
    number of pages. Raises CspError."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    docs = (config_file.parent / str(config.get("docs_dir") or "docs")).resolve()
    extra = preview_hashes() if (config.get("extra") or {}).get("kb_audience") == "internal" else ()
    count = 0
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        try:
            # Bytes, not text mode: the page is written back exactly as it was, line ends included.
            text = path.read_bytes().decode("utf-8")
            if _is_page(docs, rel):
                done = protect_page(text, wasm, extra, marked=rel != "404.html")
            else:
                done = protect_file(text, wasm)
        except (CspError, UnicodeDecodeError) as exc:
            raise CspError(f"{path}: {exc}") from None
        path.write_bytes(done.encode("utf-8"))
        count += 1
    return count


def _is_page(docs: Path, rel: str) -> bool:
    """Whether the site file `rel` is HTML the renderer made from the theme: the page of a
    Markdown file (directory URLs, as kb's mkdocs.yml asks for) or the 404 page. Looked up per
    file, not by listing the docs: `kb serve` protects one page of thousands."""
    if rel == "404.html":
        return True
    if rel != "index.html" and not rel.endswith("/index.html"):
        return False
    folder = rel.removesuffix("index.html").rstrip("/")
    if not folder:
        sources = ["index.md", "README.md"]
    else:
        sources = [f"{folder}.md", f"{folder}/index.md", f"{folder}/README.md"]
    return any((docs / source).is_file() for source in sources)


def preview_hashes() -> tuple[str, ...]:
    # Imported here: generator.serve imports the renderer, which imports this module.
    from generator.serve import _RELOAD

    return tuple(script_hash(text) for text in _Scripts.read(_RELOAD).scripts)


def protect_page(html: str, wasm: bool, extra: Sequence[str] = (), marked: bool = True) -> str:
    """A page the theme rendered, with its policy first in <head> and kb's markers removed.
    `marked`: the page shows a Markdown page's content, so it must carry the markers."""
    regions = content_regions(html)
    if marked and not regions:
        raise CspError("no kb-content markers: print page.content through partials/kb-page-content.html")
    theme = "".join(html[start:end] for start, end in _gaps(regions, len(html)))
    found = _Scripts.read(_fast_path(theme))
    if found.head_end is None:
        raise CspError("no <head> element")
    if regions and found.head_end > regions[0][0]:
        raise CspError("the article's content comes before <head>")
    hashes = dict.fromkeys([*(script_hash(s) for s in found.scripts), *extra])
    parts, pos = [], 0
    for start, begin, end, stop in regions:
        parts += [html[pos:start], html[begin:end]]
        pos = stop
    parts.append(html[pos:])
    page = "".join(parts)
    return page[: found.head_end] + meta_tag(hashes, wasm) + page[found.head_end :]


def protect_file(html: str, wasm: bool) -> str:
    """An HTML file that is not a theme page: the policy without hashes, before anything else."""
    doctype = _DOCTYPE.match(html)
    at = doctype.end() if doctype else 0
    return html[:at] + meta_tag((), wasm) + html[at:]


def content_regions(html: str) -> list[tuple[int, int, int, int]]:
    """(start marker, content start, content end, end marker end) of each region the theme marked.
    The length in the start marker decides where the content ends; the end marker must be there."""
    regions = []
    pos = 0
    while (marker := _CONTENT_START.search(html, pos)) is not None:
        begin = marker.end()
        end = begin + int(marker.group(1))
        if not html.startswith(CONTENT_END, end):
            raise CspError(f"the content marked at offset {marker.start()} is not as long as marked")
        regions.append((marker.start(), begin, end, end + len(CONTENT_END)))
        pos = end + len(CONTENT_END)
    return regions


def _gaps(regions: Sequence[tuple[int, int, int, int]], size: int) -> list[tuple[int, int]]:
    """The spans outside the marked regions (markers included in the regions)."""
    spans, pos = [], 0
    for start, _, _, stop in regions:
        spans.append((pos, start))
        pos = stop
    spans.append((pos, size))
    return spans


def _fast_path(theme: str) -> str:
    """The theme's markup the parser needs to read. Parsing a whole page costs about 3 ms, most of
    it in the header's icons, the navigation and the article's frame, between </head> and the end
    of the content article; when that stretch of the theme's markup holds no `<script` at all, no
    script element can start in it, and it is left out (both ends are tag boundaries)."""
    head = theme.find(_HEAD_END)
    article = theme.find(_ARTICLE)
    end = theme.find("</article>", article) if article >= 0 else -1
    if 0 <= head < article < end and not _SCRIPT_TAG.search(theme, head, end):
        return theme[: head + len(_HEAD_END)] + theme[end:]
    return theme


class _Scripts(HTMLParser):
    """Inline scripts that run (not JSON, not loaded from a file) outside the content article, as
    their exact text, and the offset just after the <head> start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.head_end: int | None = None
        self.scripts: list[str] = []
        self._text: list[str] | None = None  # the running inline script being read
        self._article = 0  # depth inside <article class="md-content__inner">
        self._source = ""

    @classmethod
    def read(cls, html: str) -> _Scripts:
        parser = cls()
        parser._source = html
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "head" and self.head_end is None:
            self.head_end = self._offset() + len(self.get_starttag_text() or "")
        elif tag == "article" and (self._article or "md-content__inner" in named.get("class", "").split()):
            self._article += 1
        elif tag == "script":
            runs = "src" not in named and named.get("type", "").strip().lower() not in DATA_TYPES
            self._text = [] if runs and not self._article else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article -= 1
        elif tag == "script" and self._text is not None:
            self.scripts.append("".join(self._text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def _offset(self) -> int:
        line, column = self.getpos()
        at = 0
        for _ in range(line - 1):
            at = self._source.index("\n", at) + 1
        return at + column
