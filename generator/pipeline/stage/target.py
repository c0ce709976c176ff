"""What staging builds (a Target: an audience in a language), what it hands back (Staged), and
what it refuses (StageError)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Language, SiteConfig
from generator.model import Audience


class StageError(Exception):
    """The source cannot be staged (e.g. an id that collides with a generated page)."""


@dataclass(frozen=True)
class Target:
    """What is being built: an audience in a language."""

    config: SiteConfig
    audience: Audience
    language: Language
    languages: tuple[Language, ...]

    @property
    def base_url(self) -> str:
        return self.config.public_url if self.audience is Audience.PUBLIC else self.config.internal_url

    @property
    def site_url(self) -> str:
        return self.base_url + self.language.prefix

    @property
    def default(self) -> Language:
        return next(lang for lang in self.languages if lang.default)


@dataclass(frozen=True)
class Report:
    """A generated page of the internal site (review queue, health, rules)."""

    slug: str
    title: str
    body: str


@dataclass(frozen=True)
class Staged:
    docs: Path
    nav: tuple[tuple[str, str], ...]  # (title, docs-relative file)
    pages: int
    files: tuple[str, ...] = field(default_factory=tuple)  # images and attachments, as staged
    featured: tuple[tuple[str, str], ...] = ()  # popular articles (title, URL below the root)
