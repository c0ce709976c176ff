"""One site: an audience (public or internal) in every configured language, staged, rendered and
indexed into `work/<audience>/`, the default language at its root and the others beside it
(`zh/`). The build makes one per audience; `kb serve` makes the internal one on every change."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.config import Language, SiteConfig
from generator.model import Article, Audience, CheckResult
from generator.parallel import fork_map
from generator.pipeline import incremental
from generator.pipeline import index as search
from generator.pipeline.render import csp
from generator.pipeline.render.mkdocs_config import dump, mkdocs_config, search_enabled
from generator.pipeline.render.renderer import render_pages, renderer_env, run_renderer
from generator.pipeline.stage import Staged, Target, prepare_all, select, stage
from generator.pipeline.stage.reports import internal_reports
from generator.resources import theme_dir


@dataclass(frozen=True)
class Site:
    pages: int  # staged pages over every language
    configs: tuple[tuple[str, str], ...]  # (label, the generated mkdocs.yml)
    notes: tuple[str, ...]  # what was left out and why


def build_site(
    config: SiteConfig,
    today: date,
    articles: Sequence[Article],
    result: CheckResult,
    audience: Audience,
    work: Path,
    tick: Callable[[str], None] = lambda message: None,
    render: bool = True,
    index: bool = True,
    state: Path | None = None,
    first: bool = False,
) -> Site:
    """Stage, render (unless `render` is false: the mkdocs.yml files are still written) and index
    (unless `index` is false) one audience into `work/<audience>/`. No check and no publish.
    With `state` (a folder kept between builds), only the pages whose inputs changed since the
    last build kept there are rendered (incremental.py); with `first` too, a site with no last
    build gets only the navigation's pages (`kb serve`'s first build: the next build renders the
    rest). Raises StageError or RenderError."""
    langs = config.languages
    targets = {lang.code: Target(config, audience, lang, langs) for lang in langs}
    selections = {lang.code: select(articles, targets[lang.code], lang) for lang in langs}
    folders = {lang.code: work / ".work" / f"{audience.value}-{lang.code}" for lang in langs}
    # Each article is parsed once, whichever languages show it (a stand-in shows the default
    # language's text in the others), in processes of their own, before the languages are staged.
    shown = {c.article.path: c.article for chosen in selections.values() for c in chosen.values()}
    # An incremental build parses again only the articles that changed (kept beside the render state).
    parses = None if state is None else state / f"prepared-{audience.value}.json"
    prepared = prepare_all(list(shown.values()), targets[langs[0].code], parses)

    def stage_one(lang: Language) -> Staged:
        # The reports read every article's tokens, which are parsed where they are used: here, in
        # the default language's process, beside the other languages' (parallel.fork_map).
        internal = audience is Audience.INTERNAL and lang.default
        reports = internal_reports(config, today, articles, result) if internal else ()
        return stage(targets[lang.code], articles, selections, folders[lang.code] / "docs", reports, prepared)

    for lang in langs:
        tick(f"staging {audience.value}/{lang.prefix}")
    pages, configs = 0, []
    jobs: list[_Job] = []
    # Languages are staged side by side, each in its own process (one per core).
    for lang, staged in zip(langs, fork_map(stage_one, langs), strict=True):
        label = f"{audience.value}/{lang.prefix}"
        pages += staged.pages
        text = dump(
            mkdocs_config(targets[lang.code], staged.nav, theme_dir(), "docs", "site", staged.featured)
        )
        (folders[lang.code] / "mkdocs.yml").write_text(text, encoding="utf-8")
        configs.append((label, text))
        # Each language renders into its own folder: the default language's site holds the others
        # (/zh/), and MkDocs empties its site_dir, so nesting them while rendering would race.
        name = f"{audience.value}-{lang.code}" + ("" if index else "-evidence")
        kept = None if state is None else state / name
        jobs.append(_Job(folders[lang.code], lang, label, kept))
    notes = [] if search_enabled(config) else ["search is off (search.enabled)"]
    if render:
        visible = [a for a in articles if audience is Audience.INTERNAL or a.is_public]
        how = _How(renderer_env(visible, today), search_enabled(config) and index, first)
        # Each language is its own renderer process: on two cores, two languages build at once.
        with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            for label in pool.map(lambda job: _render_one(job, how), jobs):
                tick(f"rendered {label}")
        for job in jobs:  # default language first: it becomes the folder
            (job.folder / "site").rename(work / audience.value / job.lang.prefix)
    return Site(pages, tuple(configs), tuple(notes))


@dataclass(frozen=True)
class _Job:
    """One language's staged folder to render, and its render state (None: render everything)."""

    folder: Path
    lang: Language
    label: str
    state: Path | None


@dataclass(frozen=True)
class _How:
    """What every language of a site renders with."""

    env: dict[str, str]  # the renderer's environment
    index: bool  # make the search index
    first: bool  # kb serve's first build: the navigation's pages only


def _render_one(job: _Job, how: _How) -> str:
    """render -> content security policy -> index, for one language; with a state, render only
    what changed since the build kept there, and keep this one."""
    with incremental.claimed(job.state) as kept:
        _render_kept(replace(job, state=kept), how)
    return job.label


def _render_kept(job: _Job, how: _How) -> None:
    folder, lang, label, state = job.folder, job.lang, job.label, job.state
    env, index, first = how.env, how.index, how.first
    config_file, site = folder / "mkdocs.yml", folder / "site"
    plan = None if state is None else incremental.plan(state, config_file, folder / "docs", env, index)
    if plan is not None and plan.full and first:
        assert state is not None
        incremental.forget(state)
        now = incremental.first_files(config_file, plan)
        render_pages(config_file, site, now, env, assets=True)
        csp.protect_site(site, config_file, wasm=index)
        plan = incremental.only(plan, now)
    elif plan is None or plan.full:
        if state is not None:
            incremental.forget(state)
        run_renderer(config_file, env)
        # Before indexing, so Pagefind reads the pages as they are published (CspError is a RenderError).
        csp.protect_site(site, config_file, wasm=index)
    else:
        assert state is not None
        fresh = folder / "pages"
        render_pages(config_file, fresh, plan.changed, env)
        csp.protect_site(fresh, config_file, wasm=index)
        incremental.assemble(state, fresh, site, plan)
    if index:
        search.index_language(site, lang.code, label)
    if state is not None and plan is not None:
        incremental.save(state, plan, site)
