"""The mkdocs.yml generated for one staged site. MkDocs (or Zensical, which reads the same file)
renders it; nothing else configures the renderer."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import material
import yaml

from generator.config import SiteConfig
from generator.model import Audience
from generator.pipeline.stage import StageError, Target
from generator.pipeline.stage.context import contact
from generator.pipeline.stage.languages import site_description, site_name, strings
from generator.pymd import extensions
from generator.pymd.contacts import EMAIL, PHONE


def mkdocs_config(
    target: Target,
    nav: Sequence[tuple[str, str]],
    theme_dir: Path,
    docs_dir: str = "docs",
    site_dir: str = "site",
    featured: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The mkdocs.yml mapping. `docs_dir` and `site_dir` are relative to where it is written;
    `featured` (title, URL below the site root) is the popular articles of the 404 page."""
    config, lang = target.config, target.language
    _check_icons(config)
    words = strings(lang, config.site.name)
    # Material prints site_name, site_description and nav titles as HTML: kb hands it them escaped
    # (the contract is in theme/main.html).
    return {
        "site_name": html.escape(site_name(target)),
        "site_description": html.escape(site_description(target)),
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
        "markdown_extensions": extensions(target.audience) + _contacts(target),
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
                # Every interface string in this language (stage/strings.yml and `strings:`), text.
                "strings": words,
                "footer": [
                    {"label": link.get("labels", {}).get(lang.code) or link["label"], "url": link["url"]}
                    for link in config.site.links
                ],
                "copyright": config.site.copyright,
                # The 404 page has no page context: its popular articles and contact block.
                "featured": [{"title": title, "url": url} for title, url in featured],
                "contact": [
                    {"channel": c.channel, "label": c.label, "value": c.value, "plans": list(c.plans or ())}
                    for c in contact(target)
                ],
                # "Was this article helpful?": public site only, and only when `feedback:` says where.
                "feedback": _feedback(target),
            },
        },
    }


def _check_icons(config: SiteConfig) -> None:
    """A category icon the theme does not have would leave its card without one, silently."""
    icons = Path(material.__file__).parent / "templates" / ".icons"
    for category in config.categories:
        if category.icon and not (icons / f"{category.icon}.svg").is_file():
            raise StageError(
                f"site_config.yml: categories ({category.id}): icon '{category.icon}' is not an icon of "
                "the theme (https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/)"
            )


def _contacts(target: Target) -> list[dict[str, Any]]:
    """The support addresses and numbers the site shows, linked where article text holds them
    (generator.pymd.contacts); nothing when there are none."""
    shown = contact(target)
    emails = [c.value for c in shown if EMAIL.fullmatch(c.value)]
    phones = [c.value for c in shown if c.channel == "phone" and PHONE.fullmatch(c.value)]
    if not emails and not phones:
        return []
    return [{"generator.pymd.contacts": {"emails": emails, "phones": phones}}]


def _feedback(target: Target) -> dict[str, Any] | None:
    feedback = target.config.feedback
    if target.audience is not Audience.PUBLIC or not feedback.enabled:
        return None
    return {"endpoint": feedback.endpoint, "analytics": feedback.analytics}


def search_enabled(config: SiteConfig) -> bool:
    """Whether the site has a search index (`search.enabled`): the theme shows the search box and
    the build runs Pagefind only then."""
    return config.search.enabled


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=10_000)
