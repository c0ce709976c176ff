"""The site's Markdown: Python-Markdown with the extensions the generated mkdocs.yml loads.

The renderer reads each page with exactly this list, and whatever in kb must know how the site
will read a page (the audience boundary's rule, the tests) builds its converter from it too:

    extensions(Audience.PUBLIC) -> the `markdown_extensions` of the public mkdocs.yml
    converter(Audience.PUBLIC)  -> a markdown.Markdown that renders as the public site does

Two of the extensions are ours: `generator.pymd.internal` removes agent-only blocks from the
public site on the renderer's own tree, and `generator.pymd.sanitize` passes every page's HTML
through an allowlist sanitizer on both sites. Both are plain Python-Markdown extensions named by
module in mkdocs.yml, so a renderer that reads the same file loads them the same way.
"""

from __future__ import annotations

from typing import Any

import markdown

from generator.model import Audience

# Heading ids are toc's default slugs: KB113 (generator.anchors) makes them with the same function.
BASE_EXTENSIONS: tuple[str | dict[str, Any], ...] = (
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.superfences",
)
INTERNAL_EXTENSION = "generator.pymd.internal"
SANITIZE_EXTENSION = "generator.pymd.sanitize"


def extensions(audience: Audience) -> list[str | dict[str, Any]]:
    """The `markdown_extensions` of the site for `audience`, in mkdocs.yml form."""
    ours: list[str | dict[str, Any]] = [SANITIZE_EXTENSION]
    if audience is Audience.PUBLIC:
        ours.insert(0, INTERNAL_EXTENSION)
    return [*BASE_EXTENSIONS, *ours]


def converter(audience: Audience | None, **configs: dict[str, Any]) -> markdown.Markdown:
    """A converter that reads Markdown as the site for `audience` does; None: the base
    extensions alone (no removal, no sanitizing), as the renderer parses before our steps.
    `configs` override extension settings by name."""
    listed = list(BASE_EXTENSIONS) if audience is None else extensions(audience)
    names = [e if isinstance(e, str) else next(iter(e)) for e in listed]
    settings = {k: dict(v) for e in listed if isinstance(e, dict) for k, v in e.items()}
    for name, extra in configs.items():
        settings.setdefault(name, {}).update(extra)
    return markdown.Markdown(extensions=names, extension_configs=settings)
