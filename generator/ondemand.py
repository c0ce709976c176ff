"""`kb serve` renders a page when it is asked for, if the build it serves has not rendered it yet:
its first build renders only the navigation's pages (site.build_site, `first`), so the preview
answers in seconds on a large help center, and the next build renders every page.

Each build says where its staged sites are (`sites.json`: the language's URL prefix, its staged
folder, the renderer's environment, whether pages get the search's CSP); `render` finds the staged
page for a path and renders it alone with the incremental build's renderer, policy included, into
the build being served. It is not indexed for search until the next build."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.model import Audience
from generator.pipeline.incremental import dest_of
from generator.pipeline.index.terms import add_terms, read_terms
from generator.pipeline.render import csp
from generator.pipeline.render.mkdocs_config import search_enabled
from generator.pipeline.render.renderer import RenderError, Warm, render_pages

SITES = "sites.json"


def describe(work: Path, config: SiteConfig, audience: Audience, env: Mapping[str, str]) -> None:
    """Write where the staged sites of the build in `work` are (site.build_site's layout)."""
    sites = [
        {
            "prefix": lang.prefix,
            "folder": str(work / ".work" / f"{audience.value}-{lang.code}"),
            "site": str(work / audience.value / lang.prefix),
            "env": dict(env),
            "wasm": search_enabled(config),
        }
        for lang in config.languages
    ]
    (work / SITES).write_text(json.dumps(sites), encoding="utf-8")


def sites_of(build: Path) -> list[dict[str, Any]]:
    """The staged sites of the build at `build` (describe), or none when it says nothing."""
    try:
        sites = json.loads((build / SITES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return sites if isinstance(sites, list) else []


def render(build: Path, url_path: str) -> bool:
    """Render the page at `url_path` into the build at `build`, if a staged page is there for it;
    whether it did. A failure is no page: the server then says why it has none."""
    path = url_path.split("?", 1)[0].split("#", 1)[0].removesuffix("index.html")
    for site in sorted(sites_of(build), key=lambda s: -len(s["prefix"])):
        prefix = "/" + site["prefix"]
        slug = path[len(prefix) :].strip("/") if path.startswith(prefix) else ""
        if any(part in ("", ".", "..") for part in slug.split("/")):
            continue  # not a page's path (and never a way out of the staged folder)
        folder = Path(site["folder"])
        rel = next(
            (r for r in (f"{slug}.md", f"{slug}/index.md") if slug and (folder / "docs" / r).is_file()), None
        )
        if rel is not None:
            return render_staged(site, [rel])
    return False


# Renderers started ahead for the staged sites of the build being served (warm_up), by folder.
_warm: dict[str, Warm] = {}


def warm_up(build: Path) -> None:
    """Start a renderer for each staged site of `build`, so the next edit's pages render without
    waiting for Python, MkDocs and the theme to load; end those started for other builds."""
    sites = {s["folder"]: s for s in sites_of(build)}
    for folder in [f for f in _warm if f not in sites]:
        _warm.pop(folder).close()
    for folder, site in sites.items():
        if folder not in _warm:
            _warm[folder] = Warm(Path(folder) / "mkdocs.yml", site["env"])


def cool_down() -> None:
    """End every renderer started ahead."""
    for folder in list(_warm):
        _warm.pop(folder).close()


def render_staged(site: Mapping[str, Any], rels: Sequence[str], assets: bool = False) -> bool:
    """Render the staged pages and copy the staged files `rels` (docs-relative) of `site` (an
    entry of sites_of) into the site being served, each replacing its file at once; whether it
    did (a failure leaves the served files as they were). A renderer started ahead for the site
    renders them, and another is started for the next time. With `assets`, the theme's files
    too, where the site has none yet (a build served before any page of it was rendered)."""
    folder = Path(site["folder"])
    warm = _warm.pop(site["folder"], None)
    try:
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            out = Path(tmp) / "site"
            # The served build has its sitemap and 404 page: this page changes neither.
            if warm is not None and warm.env == site["env"]:
                warm.render(out, list(rels), templates=False, assets=assets)
            else:
                render_pages(folder / "mkdocs.yml", out, list(rels), site["env"], assets, templates=False)
            csp.protect_site(out, folder / "mkdocs.yml", wasm=site["wasm"])
            if site["wasm"]:  # what the index step adds to a page of an indexed site
                add_terms(out, read_terms(folder / "docs"))
            for rel in rels:
                target = Path(site["site"]) / dest_of(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(out / dest_of(rel), target)
            for path in sorted(out.rglob("*")) if assets else ():
                target = Path(site["site"]) / path.relative_to(out)
                if path.is_file() and not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, target)
    except (OSError, RenderError):
        return False
    finally:
        if warm is not None:
            warm.close()
            _warm[site["folder"]] = Warm(folder / "mkdocs.yml", site["env"])
    return True
