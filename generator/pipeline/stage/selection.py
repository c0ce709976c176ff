"""Which articles a language's site shows: its own, and default-language pages standing in for
missing translations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.config import Language
from generator.model import Article, Audience
from generator.pipeline.stage.target import Target


@dataclass(frozen=True)
class Choice:
    article: Article
    translated: bool  # False: the default-language page stands in for a missing translation


Selection = Mapping[str, Choice]  # id -> the article staged under that id


def select(articles: Iterable[Article], target: Target, language: Language) -> dict[str, Choice]:
    """The articles staged for `language`: its own, then default-language stand-ins."""
    visible = sorted(
        (a for a in articles if target.audience is Audience.INTERNAL or a.is_public), key=lambda a: a.path
    )
    written_in = {a.path: target.config.language_of(a) for a in visible}
    chosen: dict[str, Choice] = {}
    for a in visible:
        if written_in[a.path].code == language.code:
            chosen.setdefault(a.id, Choice(a, True))
    if not language.default:
        for a in visible:
            if written_in[a.path].default:
                chosen.setdefault(a.id, Choice(a, False))
    return dict(sorted(chosen.items()))
