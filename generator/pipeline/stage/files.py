"""The files beside the pages: the images and attachments staged pages use (found while their
links are rewritten, copied once all pages are written), and robots.txt."""

from __future__ import annotations

import shutil
from collections.abc import Container, Mapping
from pathlib import Path

from generator.config import SiteConfig
from generator.filesafe import file_problems
from generator.mdparse import MARKDOWN_SUFFIXES, is_attachment
from generator.model import Audience
from generator.pipeline.stage import markdown as md
from generator.pipeline.stage.target import StageError, Target


class Files:
    """The images and attachments a site's pages link to: under `images/` and `files/` of the
    docs folder, keeping their path below the source folder."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.used: set[tuple[str, str]] = set()  # (project-relative source, docs-relative copy)

    def resolver(self, page_ids: Mapping[str, str], staged: Container[str]) -> md.Resolver:
        """Where a link of a staged page leads: the staged page of the article at that path
        (`page_ids`: path -> id; None when the id is not in `staged`), or the copy of an image or
        attachment, which is then copied."""
        source_dir = self.config.source_prefix

        def resolve(path: str, image: bool) -> str | None:
            if image or is_attachment(path):
                # A page's source is never copied as a file: it may be an agent-only article.
                if not path.startswith(source_dir) or path.endswith(MARKDOWN_SUFFIXES):
                    return None
                rel = path[len(source_dir) :]
                folder = "images/" if image else "files/"
                copy = rel if rel.startswith(folder) else f"{folder}{rel}"
                self.used.add((path, copy))
                return copy
            page_id = page_ids.get(path)
            return f"{page_id}.md" if page_id in staged else None

        return resolve

    def copy_to(self, docs: Path) -> tuple[str, ...]:
        """Copy every file used into `docs`; their docs-relative paths, sorted."""
        for source, copy in sorted(self.used):
            dest = docs / copy
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._copy(source, dest)
        return tuple(sorted(copy for _, copy in self.used))

    def _copy(self, source: str, dest: Path) -> None:
        """KB112 reports a missing file and KB309 an unsafe one, so this fails only when those
        rules are turned off or the file changed since the check."""
        config = self.config
        path = config.root / source
        if not path.resolve().is_relative_to(config.source_path.resolve()) or not path.is_file():
            raise StageError(
                f"{source}: a file a page shows or links to is not in {config.source_dir}/ (KB112)"
            )
        if problems := file_problems(path):
            raise StageError(f"{source}: unsafe to publish (KB309): {problems[0]}")
        try:
            shutil.copyfile(path, dest)
        except OSError as exc:
            raise StageError(f"{source}: cannot copy it: {exc.strerror or exc}") from exc


def robots(target: Target) -> str:
    """robots.txt: the public site points crawlers at its sitemap; the internal site is closed."""
    if target.audience is Audience.PUBLIC:
        return f"User-agent: *\nAllow: /\n\nSitemap: {target.base_url}sitemap.xml\n"
    return "User-agent: *\nDisallow: /\n"
