"""`site_config.yml` -> a frozen SiteConfig, validated by schemas/site_config.schema.json."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema

from generator.model import Severity
from generator.paths import relative
from generator.resources import schema
from generator.yamlsafe import YamlError, load_yaml

CONFIG_NAME = "site_config.yml"


class ConfigError(Exception):
    """The configuration cannot be used. The message names the file and the problem."""


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str
    review_interval_days: int | None = None
    icon: str | None = None


# The seven-part structure's section headings where a language names none of its own.
ENGLISH_SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "prerequisites": "Prerequisites",
        "steps": "Steps",
        "tips": "Tips",
        "troubleshooting": "Troubleshooting",
        "related": "Related articles",
    }
)


@dataclass(frozen=True)
class Language:
    """One entry of `languages:` with its defaults filled in; rules, reports and renderers all
    read languages from here."""

    code: str
    name: str
    sections: Mapping[str, str] = field(default_factory=lambda: ENGLISH_SECTIONS)  # "steps" -> "操作步骤"
    question_marks: tuple[str, ...] = ("?",)  # what a title in this language may end with
    # Words of generated pages as configured; the renderer has the rest (render.languages).
    strings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    default: bool = False

    @property
    def prefix(self) -> str:
        """URL path of this language's home below the site root: "" or "zh/"."""
        return "" if self.default else f"{self.code}/"


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # the folder holding site_config.yml
    name: str
    public_url: str
    internal_url: str
    categories: tuple[Category, ...]
    severities: Mapping[str, Severity]
    source_dir: str = "kb_source"
    default_language: str = "en"
    featured: tuple[str, ...] = ()
    languages: tuple[Language, ...] = ()  # the default first, then as configured
    # The whole validated mapping: rule families and renderers read their own blocks from it.
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source_path(self) -> Path:
        return self.root / self.source_dir

    @property
    def source_prefix(self) -> str:
        """The source folder as the paths of its files begin (`kb_source/`): relative to the
        project, as the loader writes an article's path."""
        return relative(self.source_path, self.root) + "/"

    @property
    def category_ids(self) -> frozenset[str]:
        """The ids a valid article may name in `category:` (what the loader checks against)."""
        return frozenset(c.id for c in self.categories)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def language(self, code: str) -> Language:
        """The configured language `code`; English headings and `?` when it is not configured."""
        return next((lang for lang in self.languages if lang.code == code), Language(code, code))

    def block(self, name: str) -> Mapping[str, Any]:
        """A top-level block such as `review:` or `compliance:`; empty when absent."""
        value = self.raw.get(name) or {}
        return value if isinstance(value, Mapping) else {}


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path) -> SiteConfig:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from exc
    return config_from_mapping(data, path.resolve().parent, str(path))


def config_from_mapping(data: Any, root: Path, label: str = CONFIG_NAME) -> SiteConfig:
    validator = jsonschema.Draft202012Validator(
        schema("site_config.schema.json"), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        problems = "; ".join(_describe(e) for e in errors[:5])
        raise ConfigError(f"{label}: {problems}")
    site = data["site"]
    categories = tuple(
        Category(
            id=c["id"],
            title=c["title"],
            description=c["description"],
            review_interval_days=c.get("review_interval_days"),
            icon=c.get("icon"),
        )
        for c in data["categories"]
    )
    ids = [c.id for c in categories]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{label}: categories: duplicate id {', '.join(duplicates)}")
    return SiteConfig(
        root=root,
        name=site["name"],
        public_url=site["public_url"],
        internal_url=site["internal_url"],
        source_dir=site.get("source_dir", "kb_source"),
        default_language=site.get("default_language", "en"),
        categories=categories,
        severities=MappingProxyType(
            {code: Severity(value) for code, value in (data.get("rules") or {}).items()}
        ),
        featured=tuple(data.get("featured") or ()),
        languages=_languages(data.get("languages") or (), site.get("default_language", "en")),
        raw=MappingProxyType(dict(data)),
    )


def _languages(entries: list[Mapping[str, Any]], default: str) -> tuple[Language, ...]:
    """Every configured language, the default first (added when not configured)."""
    if not any(entry["code"] == default for entry in entries):
        entries = [{"code": default, "name": default}, *entries]
    found = [
        Language(
            code=entry["code"],
            name=entry["name"] or entry["code"],
            sections=MappingProxyType({**ENGLISH_SECTIONS, **(entry.get("sections") or {})}),
            question_marks=tuple(entry.get("question_marks") or ("?",)),
            strings=MappingProxyType(dict(entry.get("strings") or {})),
            default=entry["code"] == default,
        )
        for entry in entries
    ]
    return tuple(sorted(found, key=lambda lang: not lang.default))  # stable: configured order otherwise


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"


__all__ = ["CONFIG_NAME", "Category", "ConfigError", "SiteConfig", "find_config", "load_config"]
