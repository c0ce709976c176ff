"""Prove what is about to be published: a built public + internal site pair, checked against the
source articles.

    verify_sites(Path("site/public"), Path("site/internal"), config, today) -> VerifyResult

- boundary: no internal page id, URL, title or sentence, and no `!!! internal` text, in any file
  of the public site (HTML, search index, Pagefind files, sitemaps, scripts, JSON);
- completeness: every public article has its page, its search entry and its sitemap entry; every
  article is in the internal site;
- links: LinkChecker over both sites (pages, images; never the network), and every anchor;
- compliance: personal data, credentials and unsafe HTML in the rendered public pages.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from generator.config import SiteConfig
from generator.model import Article, Audience
from generator.pipeline.load import load_site
from generator.pipeline.verify import record as records
from generator.pipeline.verify.anchors import check_anchors
from generator.pipeline.verify.boundary import Leak, Needles, needles
from generator.pipeline.verify.compliance import compliance_check
from generator.pipeline.verify.files import SiteFile, site_files
from generator.pipeline.verify.links import check_links
from generator.pipeline.verify.record import Memo, Record, digest, files_of


class Kind(enum.StrEnum):
    LEAK = "leak"
    MISSING = "missing"
    LINK = "link"
    COMPLIANCE = "compliance"


@dataclass(frozen=True)
class Problem:
    file: str  # path of the built file (or the missing one)
    cause: str
    kind: Kind


@dataclass(frozen=True)
class VerifyResult:
    problems: tuple[Problem, ...]
    files: int = 0  # public files read
    digests: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # linked site -> rel -> sha256

    @property
    def ok(self) -> bool:
        return not self.problems


_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


def verify_sites(
    public_dir: Path,
    internal_dir: Path,
    config: SiteConfig,
    today: date,
    articles: Sequence[Article] | None = None,
    links: bool = True,
    only_public_links: bool = False,
    record: Record | None = None,
) -> VerifyResult:
    """Every problem found in the pair; an empty `problems` means the pair may be published.
    `only_public_links`: the internal site is there to verify against, not to be published.
    `record`: what the last verification passed (record.py): files with the same bytes are not
    read again, and LinkChecker checks only the pages that changed since."""
    if articles is None:
        articles = load_site(config)
    record = record or Record(memo=Memo(remember=False))
    pair = (public_dir, internal_dir)
    sites = [site for site in pair if (site / "index.html").is_file()]
    problems = [
        Problem(str(site / "index.html"), "site has no home page", Kind.MISSING)
        for site in pair
        if site not in sites
    ]
    linked = [site for site in sites if site == public_dir or not only_public_links] if links else []
    # Every file's digest, once: what the record knows by its bytes is not read again.
    listings = {site: files_of(site) for site in pair if site.is_dir()} if record.memo.remember else {}
    digests = {site.name: listings[site] for site in linked if site in listings}
    # LinkChecker runs as one process per site (each bound to one core); they start first, and the
    # checks below run in this process meanwhile.
    with ThreadPoolExecutor(max_workers=len(sites) or 1) as pool:
        checking = {
            site: pool.submit(
                check_links, site, pages=_changed(record.verified(site.name), digests.get(site.name))
            )
            for site in linked
        }
        found, files = _content_problems(
            public_dir, internal_dir, config, today, articles, record.memo, listings
        )
        problems += found
        for site, future in checking.items():
            broken = [*future.result(), *check_anchors(site, record.memo, listings.get(site))]
            problems += [Problem((site / b.page).as_posix(), b.cause, Kind.LINK) for b in broken]
    unique = dict.fromkeys(problems)
    return VerifyResult(tuple(sorted(unique, key=lambda p: (p.file, p.kind, p.cause))), files, digests)


def _changed(before: dict[str, str] | None, now: dict[str, str] | None) -> list[str] | None:
    """The pages (and style sheets) whose links LinkChecker must check: those that are new or
    changed since the last verified site, when every page of that site is still there; None (every
    page) when there is no such site or a file a page could link to is gone. Unchanged pages keep
    their links, whose targets are all still there. The search index's files are named by their
    content and fetched by its script, never linked, so they may go."""
    if before is None or now is None:
        return None
    if any(rel not in now and "/pagefind/" not in f"/{rel}" for rel in before):
        return None
    return [rel for rel, d in now.items() if before.get(rel) != d and rel.endswith((".html", ".htm", ".css"))]


def _content_problems(
    public_dir: Path,
    internal_dir: Path,
    config: SiteConfig,
    today: date,
    articles: Sequence[Article],
    memo: Memo,
    listings: Mapping[Path, Mapping[str, str]],
) -> tuple[list[Problem], int]:
    """Leaks, missing pages and compliance problems of the pair; and the number of public files
    read. One pass, a file at a time: a large site's text does not fit in memory at once. A file
    whose path and bytes were read by the last verification, against the same needles and rules,
    gets that verification's findings (`memo`)."""

    def at(site: Path, rel: str) -> str:
        return (site / rel).as_posix()

    leaks = needles(internal_dir, config.internal_url, config.public_url, memo, listings.get(internal_dir))
    compliance = compliance_check(config, today)
    rules = digest(f"{today.isoformat()}\n{json.dumps(config.raw, sort_keys=True, default=str)}".encode())
    published = _Published()
    problems: list[Problem] = []
    for file in site_files(public_dir, listings.get(public_dir)) if public_dir.is_dir() else ():
        published.note(file)
        key = ("public", file.rel, file.digest, leaks.key, rules)
        leaked, flagged = memo.get(key, _file_problems, file, leaks, compliance)
        problems += [Problem(at(public_dir, leak.file), leak.cause, Kind.LEAK) for leak in leaked]
        problems += [Problem(at(public_dir, rel), cause, Kind.COMPLIANCE) for rel, cause in flagged]
    problems += [
        Problem(at(public_dir, leak.file), leak.cause, Kind.LEAK) for leak in leaks.present(public_dir)
    ]
    problems += [
        Problem(at(site, rel), cause, Kind.MISSING)
        for site, rel, cause in _missing(public_dir, internal_dir, published, articles, config)
    ]
    return problems, published.files


def _file_problems(
    file: SiteFile, leaks: Needles, compliance: Callable[[SiteFile], Iterable[tuple[str, str]]]
) -> tuple[tuple[Leak, ...], tuple[tuple[str, str], ...]]:
    return tuple(leaks.scan([file])), tuple(compliance(file))


def page_path(article: Article, config: SiteConfig) -> str:
    """The article's page below its site root: `<id>/index.html` or `<lang>/<id>/index.html`."""
    return f"{config.language_of(article).prefix}{article.id}/index.html"


def _missing(
    public: Path, internal: Path, published: _Published, articles: Sequence[Article], config: SiteConfig
) -> Iterator[tuple[Path, str, str]]:
    for article in articles:
        rel = page_path(article, config)
        if not (internal / rel).is_file():
            yield internal, rel, f"internal site has no page for {article.path}"
        if not article.is_public:
            continue
        if not (public / rel).is_file():
            yield public, rel, f"public site has no page for {article.path}"
        url = "/" + rel.removesuffix("index.html")
        if published.searchable and url not in published.indexed:
            yield public, rel, f"{article.path} is not in the search index (no entry for {url})"
        if url not in published.mapped:
            yield public, "sitemap.xml", f"{article.path} is not in the sitemap (no <loc> ending in {url})"
    if not published.searchable:
        yield (
            public,
            "pagefind/",
            "public site has no search index (no Pagefind fragments, no search_index.json)",
        )


class _Published:
    """What the missing-page check needs from the public files, noted as they go by: the page
    URLs in the search index (Pagefind fragments or Material's index) and in the sitemap."""

    def __init__(self) -> None:
        self.files = 0
        self.indexed: set[str] = set()  # root-relative, `/zh/id/`
        self.searchable = False
        self.mapped: set[str] = set()  # every tail of each sitemap path that starts with "/"

    def note(self, file: SiteFile) -> None:
        self.files += 1
        if "/pagefind/fragment/" in f"/{file.rel}" and file.rel.endswith(".pf_fragment"):
            self.searchable = True
            # A language site indexed on its own (site/public/zh/) has URLs relative to its folder.
            prefix = "/" + file.rel.split("pagefind/fragment/")[0]
            url = _json(file.raw).get("url", "")
            self.indexed.update({url, prefix.rstrip("/") + url})
        elif file.rel.endswith("search/search_index.json"):
            self.searchable = True
            prefix = "/" + file.rel.removesuffix("search/search_index.json")
            for doc in _json(file.raw).get("docs", ()):
                self.indexed.add(prefix + str(doc.get("location", "")).split("#")[0])
        elif file.rel.endswith(("sitemap.xml", "sitemap.xml.gz")):
            for loc in _LOC.findall(file.raw):
                path = urlparse(loc).path
                # `url in mapped` asks what `path.endswith(url)` asked of every path, at once:
                # a site under a folder (https://host/help/) has `/help/id/` for `/id/`.
                self.mapped.update(path[i:] for i in range(len(path)) if path[i] == "/")


def _json(raw: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def structure_problems(work: Path, names: Iterable[str], prefixes: Iterable[str]) -> list[str]:
    """What makes a build unpublishable before anything is read: a site with no home page in
    some language (an internal-only build gets this check alone)."""
    prefixes = list(prefixes)
    return [
        f"{name}/{prefix}index.html is missing"
        for name in names
        for prefix in prefixes
        if not (work / name / prefix / "index.html").is_file()
    ]


def before_publishing(
    work: Path,
    names: Sequence[str],
    config: SiteConfig,
    today: date,
    articles: Sequence[Article],
    evidence: Path | None = None,
    record: Path | None = None,
) -> list[str]:
    """The full audit (boundary, completeness, links, compliance) of what a build is about to
    publish from `work`: "file: cause" lines, none when it may go out. A public-only build is
    checked against the internal site it rendered in `evidence`; an internal-only build publishes
    nothing customers see, and gets the structural check. `record`: the folder where what the
    last verification passed is kept (record.py), and where this one's is kept if it passes."""
    problems = structure_problems(work, names, [lang.prefix for lang in config.languages])
    if problems or Audience.PUBLIC.value not in names:
        return problems
    internal = evidence or work / Audience.INTERNAL.value
    kept = records.load(record)
    result = verify_sites(
        work / Audience.PUBLIC.value,
        internal,
        config,
        today,
        articles,
        only_public_links=evidence is not None,
        record=kept,
    )
    if result.ok:
        records.save(record, result.digests, kept.memo)
    return [f"{p.file}: {p.cause}" for p in result.problems]
