"""`kb serve` answers before it has checked anything: the build it serves first (`stage_early`)
holds the navigation and no page, made from the articles as loaded (seconds at 4,000 articles,
where the check takes a quarter of a minute and staging every page as long). A page asked for is
staged alone and rendered when asked (`Early.render`): an article page, or a generated page that
needs no check (home, a category, error codes, search; only the articles whose summaries it
shows are prepared). It is the page the full build renders, byte for byte, as the staged page,
the generated mkdocs.yml and the renderer's environment are the full build's. The reports wait
for the preview's first build, which the preview starts at once and which replaces this one; the
findings panel then shows the check's findings. Until then it shows what loading found: the
files whose front matter cannot be read, each a missing page that says why."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator import ondemand
from generator.config import SiteConfig
from generator.model import Article, Audience, CheckResult
from generator.panel import findings_data, page_key, write_findings
from generator.pipeline.check.run import configured
from generator.pipeline.load import collector_paused, load_all
from generator.pipeline.render.mkdocs_config import dump, mkdocs_config
from generator.pipeline.render.renderer import renderer_env
from generator.pipeline.stage.alone import stage_alone, stage_generated, stage_navigation
from generator.pipeline.stage.selection import Selection, select
from generator.pipeline.stage.target import StageError, Target
from generator.resources import theme_dir


@dataclass(frozen=True)
class Early:
    """The build served before the check (`build`), and the articles as loaded for it."""

    build: Path
    by_path: Mapping[str, Article]
    targets: Mapping[str, Target]  # by language prefix
    selections: Mapping[str, Selection]  # by language code
    unread: frozenset[str]  # the names (stems) of the files that could not be loaded
    # One page is staged and rendered at a time: a page staged for one request must not be
    # overwritten by the stand-in of a link that another request writes (render).
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def render(self, url_path: str) -> bool:
        """Stage and render the page at `url_path` into the build, an article's or a generated
        page that needs no check; whether it did (not for another path, nor when the page
        cannot be staged or rendered: the first build says why)."""
        path = url_path.split("?", 1)[0].split("#", 1)[0].removesuffix("index.html")
        site_of = {s["prefix"]: s for s in ondemand.sites_of(self.build)}
        prefix = max(
            (p for p in self.targets if path.startswith("/" + p) and p in site_of), key=len, default=None
        )
        if prefix is None:
            return False
        target, site = self.targets[prefix], site_of[prefix]
        slug = path[len(prefix) + 1 :].strip("/")
        choice = self.selections[target.language.code].get(slug)
        docs = Path(site["folder"]) / "docs"
        with self.lock:
            try:
                if choice is not None:
                    alone = stage_alone(target, self.selections, self.by_path, [choice.article.path], docs)
                else:  # a generated page (home, a category), unless it needs the check
                    alone = stage_generated(target, self.selections, slug, docs)
            except StageError:  # the first build says why (a missing image: KB112)
                return False
            if alone is None:
                return False
            # What its Markdown links to must be a page of the site for the renderer (strict); a
            # stand-in is enough, never rendered: a page is staged before it is rendered.
            for rel in alone.linked:
                if not (docs / rel).exists():
                    (docs / rel).write_text("", encoding="utf-8")
            return ondemand.render_staged(site, alone.rels, assets=self._fresh(site))

    @staticmethod
    def _fresh(site: Mapping[str, Any]) -> bool:
        """Whether the site has no page yet: the theme's files come with its first."""
        return not (Path(site["site"]) / "assets").is_dir()

    def unloaded(self, url_path: str) -> bool:
        """Whether a file named like the page at `url_path` could not be loaded (the panel's
        missing page names it)."""
        return page_key(url_path).strip("/").rsplit("/", 1)[-1] in self.unread


def stage_early(config: SiteConfig, today: date, work: Path) -> Early:
    """Load the articles and stage the navigation of the internal site into `work` (laid out as
    serve.build_preview's builds are), with the findings loading found."""
    with collector_paused():
        loaded = load_all(config.source_path, config.root, categories=config.category_ids)
    articles = loaded.articles
    langs = config.languages
    targets = {lang.code: Target(config, Audience.INTERNAL, lang, langs) for lang in langs}
    selections = {lang.code: select(articles, targets[lang.code], lang) for lang in langs}
    for lang in langs:
        folder = work / ".work" / f"{Audience.INTERNAL.value}-{lang.code}"
        staged = stage_navigation(targets[lang.code], selections, folder / "docs")
        text = dump(
            mkdocs_config(targets[lang.code], staged.nav, theme_dir(), "docs", "site", staged.featured)
        )
        (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    (work / Audience.INTERNAL.value).mkdir(parents=True, exist_ok=True)
    ondemand.describe(work, config, Audience.INTERNAL, renderer_env(articles, today))
    found = CheckResult(loaded.files, tuple(configured(loaded.findings, config)))
    write_findings(work, findings_data(config, articles, found))
    return Early(
        work,
        {a.path: a for a in articles},
        {lang.prefix: targets[lang.code] for lang in langs},
        selections,
        frozenset(Path(f.path).stem for f in loaded.findings),
    )
