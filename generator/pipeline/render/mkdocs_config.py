"""The mkdocs.yml generated for one staged site. MkDocs (or Zensical, which reads the same file)
renders it; nothing else configures the renderer."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.config import SiteConfig
from generator.model import Audience
from generator.pipeline.stage import Target
from generator.pymd import extensions


def mkdocs_config(
    target: Target,
    nav: Sequence[tuple[str, str]],
    theme_dir: Path,
    docs_dir: str = "docs",
    site_dir: str = "site",
) -> dict[str, Any]:
    """The mkdocs.yml mapping. `docs_dir` and `site_dir` are relative to where it is written."""
    config, lang = target.config, target.language
    # Material prints site_name, site_description and nav titles as HTML: kb hands it them escaped
    # (the contract is in theme/main.html).
    return {
        "site_name": html.escape(config.site.name),
        "site_description": html.escape(config.site.description),
        "site_url": target.site_url,
        "docs_dir": docs_dir,
        "site_dir": site_dir,
        "use_directory_urls": True,
        "strict": True,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir),
            "language": lang.code,
            "features": list(config.build.features),
        },
        # Material's search plugin is left out on purpose: Pagefind indexes the built HTML instead.
        "plugins": [],
        "markdown_extensions": extensions(target.audience),
        "nav": [{html.escape(title): path} for title, path in nav],
        "extra": {
            "generator": False,
            "kb_audience": target.audience.value,
            # Material's language switcher; empty (hidden) for a single-language site. Links are relative
            # to this build's root (a /zh/ build climbs one level), so a preview build never jumps to
            # the live host; hreflang links in <head> use the absolute kb.alternates instead.
            "alternate": [
                {
                    "name": other.name,
                    "link": "../" * lang.prefix.count("/") + other.prefix,
                    "lang": other.code,
                }
                for other in target.languages
            ]
            if len(target.languages) > 1
            else [],
            "kb": {
                "site_audience": target.audience.value,
                "noindex": target.audience is Audience.INTERNAL,
                "lang": lang.code,
                "default_lang": target.default.code,
                "home": target.site_url,
                "languages": [
                    {
                        "code": other.code,
                        "name": other.name,
                        "url": target.base_url + other.prefix,
                        "prefix": other.prefix,
                    }
                    for other in target.languages
                ],
                "search": search_enabled(config),
            },
        },
    }


def search_enabled(config: SiteConfig) -> bool:
    """Whether the site has a search index (`search.enabled`): the theme shows the search box and
    the build runs Pagefind only then."""
    return config.search.enabled


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=10_000)
