"""Build the public and internal sites: check, stage per audience and language, render with
MkDocs, index with Pagefind, verify, publish atomically.

    build_sites(config, today, Path("site"), (Audience.PUBLIC, Audience.INTERNAL)) -> BuildResult
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator import checker
from generator.config import Language, SiteConfig
from generator.loader import collector_paused, load_site
from generator.model import Article, Audience, CheckResult
from generator.parallel import fork_map
from generator.pipeline import publish
from generator.pipeline.verify import structure_problems, verify_sites
from generator.render import csp, pagefind
from generator.render.build import (
    RenderError,
    RenderSystemError,
    os_error_in,
    run_renderer,
    system_error_line,
)
from generator.render.internal_pages import internal_reports
from generator.render.mkdocs_config import dump, mkdocs_config, search_enabled
from generator.render.stage import Staged, StageError, Target, prepare_all, select, stage
from generator.resources import theme_dir

# progress(step, total, message): called before each step; the CLI decides whether to show it.
Progress = Callable[[int, int, str], None]


class BuildError(Exception):
    """The sites could not be built or published. Nothing was published."""


class BuildSystemError(BuildError):
    """The operating system refused the build (a full disk, a folder kb may not write), not the
    content: the message is one line, the error and its path. Nothing was published."""


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    published: bool = False
    sites: tuple[Path, ...] = ()  # published site folders
    pages: int = 0  # staged pages over all sites
    configs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, mkdocs.yml)
    notes: tuple[str, ...] = ()  # what was skipped and why


def build_sites(
    config: SiteConfig,
    today: date,
    out: Path,
    audiences: Sequence[Audience] = (Audience.PUBLIC, Audience.INTERNAL),
    progress: Progress | None = None,
    emit_only: bool = False,
) -> BuildResult:
    """Check, then build and publish `audiences` under `out` (`out/public`, `out/internal`).

    With error findings nothing is built and the published sites stay as they were. With
    `emit_only` the generated mkdocs.yml files are returned and nothing is built or checked.
    An unsafe or busy `out` raises publish.OutputRefused before anything is checked or written."""
    try:
        with collector_paused(), _claimed(out, config, emit_only):
            return _build_sites(config, today, out, audiences, progress, emit_only)
    except OSError as exc:  # from any step, here or in a worker: a full disk is not a traceback
        where = exc.filename or f"while building into {out}"  # a failed write names no file
        raise BuildSystemError(system_error_line(exc.errno, exc.strerror or str(exc), where)) from exc


def _build_sites(
    config: SiteConfig,
    today: date,
    out: Path,
    audiences: Sequence[Audience],
    progress: Progress | None,
    emit_only: bool,
) -> BuildResult:
    langs = config.languages
    total = 1 + 2 * len(audiences) * len(langs) + 2 + (Audience.INTERNAL not in audiences)
    tick = _Ticker(progress, total)
    if emit_only:
        result = CheckResult(files=0)
        articles = load_site(config)
    else:
        tick("checking articles")
        result, articles = checker.check_and_load(config, today)
        if result.errors:
            return BuildResult(check=result)
    rendered: list[Rendered] = []
    try:
        with _workspace(out, emit_only) as work:
            for audience in audiences:
                rendered.append(
                    render_audience(config, today, articles, result, audience, work, tick, not emit_only)
                )
            configs = tuple(c for r in rendered for c in r.configs)
            notes = tuple(dict.fromkeys(n for r in rendered for n in r.notes))
            if emit_only:
                return BuildResult(check=result, configs=configs, notes=notes)
            if Audience.INTERNAL not in audiences:
                # What is agent-only is read from the internal site as built: a public-only build
                # renders it too, to verify against, and never publishes it.
                tick("rendering the internal site to verify against")
                evidence = work / ".evidence"
                render_audience(config, today, articles, result, Audience.INTERNAL, evidence, index=False)
            tick("verifying")
            names = [a.value for a in audiences]
            problems = _verify(work, names, langs, config, today, articles)
            if problems:
                raise BuildError("the new build did not pass verification:\n" + "\n".join(problems))
            tick("publishing")
            publish.swap(work, out, names)
    except RenderSystemError as exc:
        raise BuildSystemError(str(exc)) from exc
    except (StageError, RenderError, publish.PublishError) as exc:
        raise BuildError(str(exc)) from exc
    return BuildResult(
        check=result,
        published=True,
        sites=tuple(out / a.value for a in audiences),
        pages=sum(r.pages for r in rendered),
        configs=configs,
        notes=notes,
    )


@dataclass(frozen=True)
class Rendered:
    pages: int
    configs: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def render_audience(
    config: SiteConfig,
    today: date,
    articles: Sequence[Article],
    result: CheckResult,
    audience: Audience,
    work: Path,
    tick: Callable[[str], None] = lambda message: None,
    render: bool = True,
    index: bool = True,
) -> Rendered:
    """Stage and render one audience in every language into `work/<audience>/` (no check, no
    publish: `kb serve` uses this directly); `index: False` leaves search out. Raises StageError
    or RenderError."""
    langs = config.languages
    visible = [a for a in articles if audience is Audience.INTERNAL or a.is_public]
    env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or _epoch(visible, today)}
    targets = {lang.code: Target(config, audience, lang, langs) for lang in langs}
    selections = {lang.code: select(articles, targets[lang.code], lang) for lang in langs}
    folders = {lang.code: work / ".work" / f"{audience.value}-{lang.code}" for lang in langs}
    pages, configs, jobs = 0, [], []
    # Each article is parsed once, whichever languages show it (a stand-in shows the default
    # language's text in the others), in processes of their own, before the languages are staged.
    shown = {c.article.path: c.article for chosen in selections.values() for c in chosen.values()}
    prepared = prepare_all(list(shown.values()), targets[langs[0].code])

    def stage_one(lang: Language) -> Staged:
        docs = folders[lang.code] / "docs"
        # The reports read every article's tokens, which are parsed where they are used: here, in
        # the default language's process, beside the other languages' (parallel.fork_map).
        internal = audience is Audience.INTERNAL and lang.default
        reports = internal_reports(config, today, articles, result) if internal else ()
        return stage(targets[lang.code], articles, selections, docs, reports, prepared)

    for lang in langs:
        tick(f"staging {audience.value}/{lang.prefix}")
    # Languages are staged side by side, each in its own process (one per core).
    for lang, staged in zip(langs, fork_map(stage_one, langs), strict=True):
        label = f"{audience.value}/{lang.prefix}"
        job = folders[lang.code]
        pages += staged.pages
        text = dump(mkdocs_config(targets[lang.code], staged.nav, theme_dir(), "docs", "site"))
        (job / "mkdocs.yml").write_text(text, encoding="utf-8")
        configs.append((label, text))
        # Each language renders into its own folder: the default language's site holds the others
        # (/zh/), and MkDocs empties its site_dir, so nesting them while rendering would race.
        jobs.append((job / "mkdocs.yml", job / "site", lang, label))
    notes: list[str] = []
    if render:
        indexing = search_enabled(config) and index
        if not search_enabled(config):
            notes.append("search is off (search.enabled)")
        # Each language is its own renderer process: on two cores, two languages build at once.
        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            for label in pool.map(lambda j: _render_one(*j, env, indexing), jobs):
                tick(f"rendered {label}")
        for _, site_dir, lang, _ in jobs:  # default language first: it becomes the folder
            site_dir.rename(work / audience.value / lang.prefix)
    return Rendered(pages, tuple(configs), tuple(notes))


def _render_one(
    config_file: Path, site_dir: Path, lang: Language, label: str, env: dict[str, str], index: bool
) -> str:
    run_renderer(config_file, env)
    # Before indexing, so Pagefind reads the pages as they are published (CspError is a RenderError).
    csp.protect_site(site_dir, config_file, wasm=index)
    if index:
        _index(site_dir, lang, label)
    return label


def _claimed(out: Path, config: SiteConfig, emit_only: bool) -> contextlib.AbstractContextManager[object]:
    """The lock on `out` for the whole build, check included (a second build refuses at once)."""
    if emit_only:
        return contextlib.nullcontext()
    return publish.claim(out, project=config.root, source=config.source_path)


@contextlib.contextmanager
def _workspace(out: Path, emit_only: bool) -> Iterator[Path]:
    if emit_only:
        with tempfile.TemporaryDirectory(prefix="kb-emit-") as tmp:
            yield Path(tmp)
    else:
        with publish.scratch(out) as work:
            yield work


class _Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.step = progress, total, 0

    def __call__(self, message: str) -> None:
        self.step += 1
        if self.progress is not None:
            self.progress(self.step, self.total, message)


def _epoch(articles: Sequence[Article], today: date) -> str:
    """The newest review date, so two builds of the same source carry the same dates."""
    dates = [str(a.meta.get("last_reviewed", "")) for a in articles]
    newest = max((d for d in dates if d), default=today.isoformat())
    try:
        day = date.fromisoformat(newest)
    except ValueError:
        day = today
    return str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))


# Free bytes below which a failed step is put down to the full disk it ran out of.
DISK_FULL = 1 << 20


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


def _index(site_dir: Path, lang: Language, label: str) -> None:
    try:
        pagefind.index_site(site_dir, lang.code)
    except (RuntimeError, ValueError) as exc:  # an OSError goes on up: build_sites says it in a line
        system = os_error_in(str(exc)) or _disk_full(site_dir)
        if system is not None:
            raise RenderSystemError(f"search indexing failed for {label}: {system}") from exc
        raise RenderError(f"search indexing failed for {label}: {exc}") from exc


def _verify(
    work: Path,
    names: Sequence[str],
    langs: Sequence[Language],
    config: SiteConfig,
    today: date,
    articles: Sequence[Article],
) -> list[str]:
    """The full audit (boundary, completeness, links, compliance) of what is about to be published.
    A public-only build is checked against the internal site it rendered in `.evidence/`; an
    internal-only build publishes nothing customers see, and gets the structural check."""
    problems = structure_problems(work, names, [lang.prefix for lang in langs])
    if problems or Audience.PUBLIC.value not in names:
        return problems
    internal = work / Audience.INTERNAL.value
    if Audience.INTERNAL.value not in names:
        internal = work / ".evidence" / Audience.INTERNAL.value
    evidence_only = Audience.INTERNAL.value not in names
    result = verify_sites(work / "public", internal, config, today, articles, only_public_links=evidence_only)
    return [f"{p.file}: {p.cause}" for p in result.problems]


__all__ = [
    "BuildError",
    "BuildResult",
    "BuildSystemError",
    "Progress",
    "Rendered",
    "build_sites",
    "render_audience",
]
