"""Render some pages of a staged site with MkDocs' own build steps: the incremental build's
renderer (generator/pipeline/incremental.py), run in a subprocess like `mkdocs build`.

    python -P generator/pipeline/render/mkdocs_pages.py -f mkdocs.yml --site DIR --pages LIST

(run as a file: it imports MkDocs alone, not the package around it)

`LIST` names docs-relative files, one a line: each Markdown page there is rendered into DIR and
each other file copied (with `--assets`, every file that is not a page, the theme's too); the
sitemap and 404 page are made unless `--no-templates` (the caller keeps its own). Everything
else MkDocs' build does is done the same way (mkdocs/commands/build.py, MkDocs 1.6): the files,
the navigation and a Page for every Markdown file, so links, the sitemap and the navigation see
the whole site. Only the pages rendered are read and converted; those in the navigation are read
for their titles and metadata (what every page's navigation shows of them), not converted: the
internal site's report pages in the navigation are long, and converting them took most of the
time of rendering one page at 4,000 articles. Theme assets are not copied (the caller keeps them
from the last full build, which the theme is part of the key of). Anchor links into pages that
were not read are not validated (`kb check` reports them: KB113).

It is the one module that uses MkDocs' Python API; a renderer without one (Zensical) gets full
builds from incremental.py instead."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

RENDERER = "mkdocs"  # the renderer this module renders pages with


def render_pages(
    config_file: Path, site_dir: Path, wanted: set[str], assets: bool = False, templates: bool = True
) -> None:
    """Render the pages and copy the files of `wanted` (docs-relative) into `site_dir`; with
    `assets`, copy every file that is not a page (the theme's too) as a full build does; with
    `templates`, make the sitemap and the 404 page. Raises mkdocs.exceptions.Abort on a warning
    (strict) or an error."""
    from mkdocs.commands import build as steps
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils import CountHandler

    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        in_nav = {page.file.src_uri for page in nav.pages}
        doc_files = files.documentation_pages()
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
            assert file.page is not None
            if file.src_uri in wanted:
                steps._populate_page(file.page, config, files)
            elif file.src_uri in in_nav:
                file.page.read_source(config)
        env = config.plugins.on_env(env, config=config, files=files)
        if assets:
            files.copy_static_files()
        for file in files if not assets else ():
            if file.src_uri in wanted and not file.is_documentation_page() and not file.generated_by:
                file.copy_file()
        for template in config.theme.static_templates if templates else ():
            steps._build_theme_template(template, env, files, config, nav)
        built = [f for f in doc_files if f.src_uri in wanted]
        for file in built:
            assert file.page is not None
            steps._build_page(file.page, config, doc_files, nav, env)
        for file in built:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            what = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {what} in strict mode!")
    except BuildError as exc:
        raise Abort(f"Aborted with a BuildError: {exc}") from exc
    finally:
        config.plugins.on_shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mkdocs_pages.py")
    parser.add_argument("-f", dest="config", type=Path, required=True)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--pages", type=Path)
    parser.add_argument("--assets", action="store_true", help="copy every file that is not a page")
    parser.add_argument("--no-templates", action="store_true", help="make no sitemap and no 404 page")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="load the configuration (importing the theme and extensions), then read the job as one "
        'JSON line on stdin: {"site": DIR, "pages": [...], "templates": true|false, "assets": true|false}',
    )
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))  # as `mkdocs build`
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    from mkdocs.exceptions import Abort

    try:
        if args.wait:
            return _job(args.config)
        if args.site is None or args.pages is None:
            parser.error("--site and --pages are required (or --wait)")
        wanted = {line for line in args.pages.read_text(encoding="utf-8").splitlines() if line}
        render_pages(args.config, args.site, wanted, args.assets, not args.no_templates)
    except Abort as exc:
        print(f"ERROR   -  {exc}", file=sys.stderr)
        return 1
    return 0


def _job(config_file: Path) -> int:
    """Started ahead of the edit it renders (render.renderer.Warm): the modules the configuration
    names are imported while the writer types, then the job arrives."""
    import json

    from mkdocs.config import load_config

    load_config(config_file=str(config_file))
    line = sys.stdin.readline()
    if not line.strip():
        return 0  # not needed after all
    job = json.loads(line)
    site, pages = Path(job["site"]), set(job["pages"])
    render_pages(config_file, site, pages, bool(job.get("assets")), bool(job["templates"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
