"""Per configured language: the pages not translated yet, and the translations older than their
source's last change (the comparison KB205 makes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.config import SiteConfig
from generator.model import Article
from generator.rules.freshness import translation_lag


@dataclass(frozen=True)
class Untranslated:
    id: str
    title: str
    path: str  # the default-language source


@dataclass(frozen=True)
class StaleTranslation:
    id: str
    path: str  # the translation
    source_path: str
    made: date  # the source date the translation was made from
    changed: date  # the source's last change


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    name: str
    translated: int
    missing: tuple[Untranslated, ...]
    stale: tuple[StaleTranslation, ...]
    orphans: tuple[str, ...]  # translations whose id has no source


@dataclass(frozen=True)
class TranslationsReport:
    default_language: str
    languages: tuple[LanguageStatus, ...]


def translations(
    config: SiteConfig, articles: Sequence[Article], audience: str | None = None
) -> TranslationsReport:
    """Per configured language: which source pages lack a translation, and which translations trail
    their source's last change (the same comparison as KB205)."""
    loaded = [a for a in articles if audience is None or a.audience.value == audience]
    sources = {a.id: a for a in loaded if config.language_of(a).default}
    statuses = []
    for lang in config.languages[1:]:  # the default comes first
        own = {a.id: a for a in loaded if config.language_of(a).code == lang.code}
        stale = []
        for article_id, translation in sorted(own.items()):
            source = sources.get(article_id)
            if source is None:
                continue
            changed = str(source.meta.get("last_changed") or source.meta.get("last_reviewed", ""))
            lag = translation_lag(translation.meta, changed)
            if lag is not None:
                stale.append(
                    StaleTranslation(article_id, translation.path, source.path, lag.made, lag.changed)
                )
        missing = tuple(
            Untranslated(s.id, s.title, s.path)
            for s in sorted(sources.values(), key=lambda a: a.path)
            if s.id not in own
        )
        statuses.append(
            LanguageStatus(
                code=lang.code,
                name=lang.name,
                translated=sum(1 for i in own if i in sources),
                missing=missing,
                stale=tuple(stale),
                orphans=tuple(sorted(own[i].path for i in own if i not in sources)),
            )
        )
    return TranslationsReport(config.default_language, tuple(statuses))
