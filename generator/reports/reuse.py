"""Variables and snippets (pipeline/expand/) with the articles that use them, and the ones no
article uses: what a writer checks before changing or removing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.config import SiteConfig
from generator.model import Article
from generator.pipeline.expand.library import Library, library_for


@dataclass(frozen=True)
class Variable:
    name: str  # dotted: plans.enterprise.p1_first_response
    value: str
    used_in: tuple[str, ...]  # article paths


@dataclass(frozen=True)
class SnippetUse:
    name: str  # file name in _snippets/
    path: str
    audience: str
    used_in: tuple[str, ...]


@dataclass(frozen=True)
class ReuseReport:
    variables: tuple[Variable, ...]
    snippets: tuple[SnippetUse, ...]
    broken: tuple[str, ...]  # data files that cannot be read, and why


def reuse(config: SiteConfig, articles: Sequence[Article]) -> ReuseReport:
    library = library_for(config.source_path, config.root)
    variables: dict[str, list[str]] = {name: [] for name in _leaves(library)}
    snippets: dict[str, list[str]] = {name: [] for name in library.snippets}
    for article in sorted(articles, key=lambda a: a.path):
        done = article.expansion
        if done is None:
            continue
        for name in done.variables:
            for leaf in variables:
                if leaf == name or leaf.startswith(name + "."):
                    variables[leaf].append(article.path)
        for name in dict.fromkeys(done.snippets):
            snippets.setdefault(name, []).append(article.path)
    return ReuseReport(
        variables=tuple(
            Variable(name, str(_value(library, name)), tuple(dict.fromkeys(paths)))
            for name, paths in sorted(variables.items())
        ),
        snippets=tuple(
            SnippetUse(
                name,
                library.snippets[name].path,
                library.snippets[name].audience,
                tuple(dict.fromkeys(paths)),
            )
            for name, paths in sorted(snippets.items())
            if name in library.snippets
        ),
        broken=tuple(why for _, why in sorted(library.broken.items())),
    )


def _leaves(library: Library) -> list[str]:
    return [name for name in library.names() if not isinstance(_value(library, name), dict)]


def _value(library: Library, name: str) -> Any:
    value: Any = library.data
    for part in name.split("."):
        value = value[part]
    return value
