"""No published URL dropped silently: what the live release published (its `kb-manifest.json`
files, stage/redirects.py) against what the new build publishes.

A URL of an article page or a redirect that the live site has and the new build has neither as a
page nor as a redirect is a problem: customers' bookmarks, old tickets, macros and search results
lead there. The message names the URL and the live page most like it, and says how to keep it:
`redirect_from: [old-id]` in that article (for a retired page, in its best replacement).

This is a verify problem rather than a check finding because only the build knows what was
published: `kb check` reads sources, and the sources before a rename are gone. A site published by
a kb that wrote no manifest gives nothing to compare: the first build with manifests starts the
record.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from generator.pipeline.stage.redirects import MANIFEST


def dropped_urls(live: Path | None, built: Path, names: list[str]) -> list[str]:
    """One line per URL that the live release (`live`: its folder, holding one folder per audience)
    published and the new build (`built`: the same layout) drops, for the audiences `names`."""
    if live is None:
        return []
    problems: list[str] = []
    for name in names:
        old_root, new_root = live / name, built / name
        if not old_root.is_dir():
            continue
        for old_file in sorted(old_root.rglob(MANIFEST)):
            rel = old_file.parent.relative_to(old_root).as_posix()
            prefix = "" if rel == "." else f"{rel}/"
            old = _urls(old_file)
            new = _urls(new_root / prefix / MANIFEST)
            pages = _read(new_root / prefix / MANIFEST).get("pages", {})
            for url in sorted(old - new):
                problems.append(f"{name}: /{prefix}{url} was published and is gone{_hint(url, pages)}")
    return problems


def redirect_urls(site: Path) -> list[str]:
    """The URLs of a built site's redirect pages, below its root, from its manifests."""
    found: list[str] = []
    for manifest in sorted(site.rglob(MANIFEST)):
        rel = manifest.parent.relative_to(site).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        redirects = _read(manifest).get("redirects")
        if isinstance(redirects, dict):
            found.extend(prefix + str(url) for url in redirects)
    return found


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _urls(path: Path) -> set[str]:
    data = _read(path)
    found: set[str] = set()
    for key in ("pages", "redirects"):
        part = data.get(key)
        if isinstance(part, dict):
            found.update(str(k) for k in part)
    return found


def _hint(url: str, pages: dict[str, Any]) -> str:
    old_id = url.strip("/")
    by_id = difflib.get_close_matches(url, list(pages), n=1, cutoff=0.3)
    if not by_id:
        return f": add `redirect_from: [{old_id}]` to the article that replaces it"
    new_id = by_id[0].strip("/")
    title = pages[by_id[0]]
    return f": add `redirect_from: [{old_id}]` to the article that replaces it (closest: {new_id}, {title!r})"
