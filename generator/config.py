"""`site_config.yml` -> a frozen SiteConfig: one frozen dataclass per block, with every default here.

schemas/site_config.schema.json decides what shapes are allowed; this module then fills in the
defaults and checks what a schema cannot: duplicate category ids, and rule names under `rules:`
against the rule registry. Rule families and renderers read their typed block
(`config.style.max_grade`), never the mapping.

The registry is imported from here, so the rule modules import this module for their type hints
only: `generator.rules` never imports `generator.config` while it loads (tests/test_config.py
holds it to that), and there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

import jsonschema

from generator.model import Audience, Severity
from generator.paths import relative
from generator.resources import schema
from generator.rules import ALIASES, REGISTRY, select, unknown
from generator.yamlsafe import YamlError, load_yaml

CONFIG_NAME = "site_config.yml"


class ConfigError(Exception):
    """The configuration cannot be used. The message names the file and the problem."""


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _none() -> Mapping[str, Any]:
    return _EMPTY


@dataclass(frozen=True)
class Site:
    """`site:`: what the site is called, where each audience's site lives, where the articles are."""

    name: str
    public_url: str  # ends in "/"
    internal_url: str  # ends in "/"
    # The site's meta description (mkdocs.yml `site_description`); the home page's description
    # falls back to the name when this is empty.
    description: str = ""
    source_dir: str = "kb_source"  # relative to the folder holding site_config.yml
    default_language: str = "en"
    logo_text: str = ""  # accepted by the schema; nothing shows it yet
    copyright: str = ""  # the footer's line, as text
    # The footer's links: {label, url, labels: {lang: label}}; http(s) and mailto URLs only.
    links: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Category:
    """One entry of `categories:`. A translation's title and description come from `titles` and
    `descriptions` (by language code), else the default-language ones."""

    id: str
    title: str
    description: str
    review_interval_days: int | None = None  # overrides review.default_interval_days
    icon: str | None = None  # Material icon on the home page's card ("material/account")
    titles: Mapping[str, str] = field(default_factory=_none)
    descriptions: Mapping[str, str] = field(default_factory=_none)

    def title_in(self, language: Language) -> str:
        return self.titles.get(language.code) or self.title

    def description_in(self, language: Language) -> str:
        return self.descriptions.get(language.code) or self.description


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
    # Words of generated pages as configured; the renderer has the rest (stage.languages).
    strings: Mapping[str, str] = field(default_factory=_none)
    default: bool = False

    @property
    def prefix(self) -> str:
        """URL path of this language's home below the site root: "" or "zh/"."""
        return "" if self.default else f"{self.code}/"

    @property
    def base(self) -> str:
        """The code without its region (`es` for `es-MX`): what word lists, built-in strings and a
        rule's `languages=` are keyed by."""
        return self.code.split("-")[0]


@dataclass(frozen=True)
class Review:
    """`review:`: when a page is due for review (KB201, KB202, the review queue)."""

    default_interval_days: int = 180  # a category's or a page's own interval overrides it
    due_soon_days: int = 14  # how far ahead "due soon" warns


@dataclass(frozen=True)
class Compliance:
    """`compliance:`: what must not reach public pages (KB301-KB308)."""

    allowed_contacts: tuple[str, ...] = ()  # published on purpose, besides contact.channels[].value
    # E-mail domains of examples, subdomains included, besides the built-in ones (KB301).
    example_domains: tuple[str, ...] = ()
    # Name -> regex (KB301), besides the built-in ones in rules/data/privacy.yml (same name: replaced).
    identifier_patterns: Mapping[str, str] = field(default_factory=_none)
    agent_only_terms: tuple[str, ...] = ()  # KB304
    sensitive_categories: tuple[str, ...] = ("security",)  # need a compliance review (KB305)
    sensitive_tags: tuple[str, ...] = ("security", "privacy", "legal", "refunds")
    promises: tuple[str, ...] = ()  # extra KB308 phrases


@dataclass(frozen=True)
class Style:
    """`style:`: plain-language limits and extra word lists (KB308, KB401-KB405)."""

    max_grade: float = 8  # Flesch-Kincaid grade (KB401)
    # KB401's limit for the pages of a category (by id), then of an audience (public, internal).
    max_grade_by_category: Mapping[str, float] = field(default_factory=_none)
    max_grade_by_audience: Mapping[str, float] = field(default_factory=_none)
    # The product's names and terms: each counts as one short word in KB401's grade and KB404's count.
    terms: tuple[str, ...] = ()
    min_words_for_grade: int = 100  # shorter texts are not graded
    max_sentence_words: int = 25  # KB404
    tone: Mapping[str, str] = field(default_factory=_none)  # phrase -> wording to use instead (KB403)
    vague_link_text: tuple[str, ...] = ()  # KB405
    passive_exceptions: tuple[str, ...] = ()  # KB402
    promises: tuple[str, ...] = ()  # extra KB308 phrases


@dataclass(frozen=True)
class Channel:
    """One of `contact.channels`: a way to reach support, shown on article pages. Its value is a
    contact public pages may show (KB301)."""

    channel: str  # kind: email, phone, chat, forum, ... (the theme links email and phone)
    label: str
    value: str  # an address, a number or a URL
    plans: tuple[str, ...] | None = None  # None: not said (the theme shows "all plans")
    hours: str = ""  # when it is answered; nothing shows it yet
    audience: Audience = Audience.PUBLIC  # internal: shown on the agents' site only
    labels: Mapping[str, str] = field(default_factory=_none)  # the label per language code

    def shown_on(self, site: Audience) -> bool:
        return site is Audience.INTERNAL or self.audience is Audience.PUBLIC


@dataclass(frozen=True)
class Contact:
    """`contact:`."""

    channels: tuple[Channel, ...] = ()


# Material features the site turns on unless `build.features` names others.
DEFAULT_FEATURES = (
    "navigation.footer",
    "navigation.indexes",
    "navigation.top",
    "navigation.tracking",
    "content.code.copy",
    "toc.follow",
)


@dataclass(frozen=True)
class Build:
    """`build:`: renderer options."""

    features: tuple[str, ...] = DEFAULT_FEATURES


@dataclass(frozen=True)
class Symptom:
    """One of `search.symptoms.<lang>`: what customers type about a problem, and phrases that the
    articles answering it hold. A page whose title, summary, keywords or headings hold one of
    `matches` is found by every phrase of `query` (index time, generator/pipeline/index/terms.py)."""

    query: tuple[str, ...]
    matches: tuple[str, ...]


@dataclass(frozen=True)
class SearchQuality:
    """`search.quality`: the gate `kb report search` holds the built search to."""

    queries: str = "tests/search/queries.tsv"  # the evaluation set, relative to the project
    min_top1: float = 0.0  # share of queries whose first result answers them
    min_top3: float = 0.0  # ... answered within the first three results
    min_mrr: float = 0.0  # mean reciprocal rank
    max_zero_results: int | None = None  # queries allowed to find nothing at all; None: any


@dataclass(frozen=True)
class Search:
    """`search:`."""

    enabled: bool = True  # build the Pagefind index
    # Per language code: groups of phrases that mean the same; a page holding one is found by all.
    synonyms: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=_none)
    symptoms: Mapping[str, tuple[Symptom, ...]] = field(default_factory=_none)  # per language code
    # Where the search box reports queries (POST, JSON), scrubbed of e-mail addresses and long
    # numbers in the page; None (the default): nothing is sent.
    analytics_endpoint: str | None = None
    quality: SearchQuality = SearchQuality()


def _search(entries: Mapping[str, Any] | None, languages: tuple[Language, ...]) -> Search:
    """`search:` typed; a synonym or symptom list for a language the site does not have would
    silently do nothing, so it is refused."""
    data = entries or {}
    codes = {lang.code for lang in languages}
    for key in ("synonyms", "symptoms"):
        for code in data.get(key) or {}:
            if code not in codes:
                known = ", ".join(sorted(codes))
                raise ValueError(f"search.{key}.{code}: not a language of the site ({known})")
    synonyms = {
        code: tuple(tuple(group) for group in groups) for code, groups in (data.get("synonyms") or {}).items()
    }
    symptoms = {
        code: tuple(Symptom(tuple(s["query"]), tuple(s["matches"])) for s in items)
        for code, items in (data.get("symptoms") or {}).items()
    }
    return Search(
        enabled=data.get("enabled", True),
        synonyms=MappingProxyType(synonyms),
        symptoms=MappingProxyType(symptoms),
        analytics_endpoint=(data.get("analytics") or {}).get("endpoint"),
        quality=_block(SearchQuality, data.get("quality")),
    )


class Written(Protocol):
    """Anything that says the language it is written in: an Article, a corpus index entry."""

    @property
    def lang(self) -> str | None: ...


@dataclass(frozen=True)
class Feedback:
    """`feedback:`: where "Was this article helpful?" votes go. Off (no widget) unless one is set."""

    endpoint: str | None = None  # POST, JSON {page, lang, vote, reason, date}
    analytics: bool = False  # also a Material-style `feedback` event to gtag when the page has it
    # An export of the votes (CSV or JSON lines), relative to the project: the internal health page
    # then lists the least helpful articles by owner (kb report feedback reads any such file).
    export: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.endpoint or self.analytics)


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # the folder holding site_config.yml
    site: Site
    categories: tuple[Category, ...]
    languages: tuple[Language, ...] = ()  # the default first, then as configured
    severities: Mapping[str, Severity] = field(default_factory=_none)  # `rules:`, by code (not alias)
    review: Review = Review()
    compliance: Compliance = Compliance()
    style: Style = Style()
    contact: Contact = Contact()
    featured: tuple[str, ...] = ()  # article ids on the home page
    build: Build = Build()
    search: Search = Search()
    feedback: Feedback = Feedback()
    # The validated mapping as written: the check's cache key is made of it, and its worker
    # processes rebuild the config from it (pipeline/check/). Nothing else reads it.
    raw: Mapping[str, Any] = field(default_factory=_none)

    # Shorthands for the `site:` fields the whole pipeline reads.
    @property
    def public_url(self) -> str:
        return self.site.public_url

    @property
    def internal_url(self) -> str:
        return self.site.internal_url

    @property
    def source_dir(self) -> str:
        return self.site.source_dir

    @property
    def default_language(self) -> str:
        return self.site.default_language

    @property
    def source_path(self) -> Path:
        return self.root / self.site.source_dir

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

    def language_of(self, item: Written) -> Language:
        """The language `item` is written in: its `lang:`, else the site's default language. The
        one answer for staging, rules and reports (`.code` to compare, `.base` for word lists)."""
        return self.language(item.lang or self.site.default_language)


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
    try:
        return _config(data, root)
    except ValueError as exc:
        raise ConfigError(f"{label}: {exc}") from exc


def _config(data: Mapping[str, Any], root: Path) -> SiteConfig:
    """The typed config of a mapping the schema accepted; ValueError names the key at fault."""
    site = _block(Site, data["site"])
    categories = tuple(_block(Category, c) for c in data["categories"])
    ids = [c.id for c in categories]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise ValueError(f"categories: duplicate id {', '.join(duplicates)}")
    channels = tuple(
        _block(Channel, c, audience=Audience(c.get("audience", "public")))
        for c in (data.get("contact") or {}).get("channels") or ()
    )
    features = (data.get("build") or {}).get("features")
    languages = _languages(data.get("languages") or (), site.default_language)
    return SiteConfig(
        root=root,
        site=site,
        categories=categories,
        languages=languages,
        severities=_severities(data.get("rules") or {}),
        review=_block(Review, data.get("review")),
        compliance=_block(Compliance, data.get("compliance")),
        style=_block(Style, data.get("style")),
        contact=Contact(channels),
        featured=tuple(data.get("featured") or ()),
        build=Build(tuple(features)) if features else Build(),  # `features: []` keeps the default set
        search=_search(data.get("search"), languages),
        feedback=_block(Feedback, data.get("feedback")),
        raw=MappingProxyType(dict(data)),
    )


_Block = TypeVar("_Block")


def _block(kind: type[_Block], entries: Mapping[str, Any] | None, **fixed: Any) -> _Block:
    """A block's dataclass from its mapping (the schema allows only its fields): lists become
    tuples and mappings read-only, what is not written keeps the field's default."""
    values = {k: _frozen_value(v) for k, v in (entries or {}).items() if k not in fixed}
    return kind(**values, **fixed)


def _frozen_value(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def _languages(entries: Iterable[Mapping[str, Any]], default: str) -> tuple[Language, ...]:
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


def _severities(rules: Mapping[str, str]) -> Mapping[str, Severity]:
    """`rules:` by rule code. A key is a rule's code or alias; one that names no rule would
    silently change nothing, so it is refused with the closest name."""
    out: dict[str, Severity] = {}
    for name, value in rules.items():
        code = ALIASES.get(name, name)
        if code not in REGISTRY:
            raise ValueError(f"rules.{name}: {_no_rule(name)}")
        if code in out:
            raise ValueError(f"rules.{name}: {code} is already set under another name")
        out[code] = Severity(value)
    return MappingProxyType(out)


def _no_rule(name: str) -> str:
    """Why `name` is no rule's code or alias, with the closest name that is."""
    matches = [r.code for r in select((name,))]  # what `kb check --select` would take it for
    if len(matches) == 1:
        return f"'{name}' names no rule (did you mean {matches[0]}?); kb rules lists them"
    if matches:
        return f"'{name}' names {len(matches)} rules: set a severity per rule"
    return unknown([name])[0]


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    return f"{where}: {error.message}"
