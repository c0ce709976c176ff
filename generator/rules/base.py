"""What a rule is, the context it runs in, and the decorator that registers it.

Most rules read an article (`check(article, ctx)`). A few judge what comes before there is one,
and decide whether there will be: a file's bytes (KB001), its front matter (KB002, KB003), or a
suppression (KB005). `Reads` says which, and so where a rule runs; see its members.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from generator.model import (
    Article,
    Audience,
    Hit,
    PageType,
    Severity,
    audience_of,
    lang_of,
    meta_text,
    type_of,
)

if TYPE_CHECKING:
    from generator.config import SiteConfig


@dataclass(frozen=True)
class IndexEntry:
    """What other articles may know of an article (for cross-article rules and navigation)."""

    path: str
    id: str
    title: str
    audience: Audience
    type: PageType
    category: str
    lang: str | None
    last_reviewed: str
    last_changed: str
    anchors: tuple[str, ...] = ()  # the `#fragment`s links to it may name (Article.anchors)
    redirects: tuple[str, ...] = ()  # its `redirect_from:` old ids (KB010)

    def key(self) -> tuple[Any, ...]:
        """Every field, as plain values: what digests of the index are made of (the dataclass
        repr, enums and all, took twice as long over 10,000 entries)."""
        return (
            self.path,
            self.id,
            self.title,
            self.audience.value,
            self.type.value,
            self.category,
            self.lang or "",
            self.last_reviewed,
            self.last_changed,
            self.anchors,
            self.redirects,
        )


def index_entry(path: str, meta: Mapping[str, Any], anchors: Iterable[str] = ()) -> IndexEntry:
    """The entry of the article at `path`, its front matter read as Article reads it."""
    return IndexEntry(
        path=path,
        id=meta_text(meta, "id"),
        title=meta_text(meta, "title"),
        audience=audience_of(meta),
        type=type_of(meta),
        category=meta_text(meta, "category"),
        lang=lang_of(meta),
        last_reviewed=meta_text(meta, "last_reviewed"),
        last_changed=str(meta.get("last_changed") or meta.get("last_reviewed", "")),
        anchors=tuple(anchors),
        redirects=_old_ids(meta),
    )


def _old_ids(meta: Mapping[str, Any]) -> tuple[str, ...]:
    found = meta.get("redirect_from")
    return tuple(str(v) for v in found) if isinstance(found, list) else ()


@dataclass(frozen=True)
class CorpusIndex:
    entries: tuple[IndexEntry, ...]
    # Project-relative paths of the other files in the source folder (images, attachments).
    files: frozenset[str] = frozenset()

    @classmethod
    def build(cls, articles: Iterable[Article]) -> CorpusIndex:
        return cls(tuple(index_entry(a.path, a.meta, a.anchors) for a in articles))

    def by_id(self, article_id: str) -> list[IndexEntry]:
        return [e for e in self._ids().get(article_id, ())]

    def by_path(self, path: str) -> IndexEntry | None:
        return self._paths().get(path)

    def has_file(self, path: str) -> bool:
        """Whether `path` (project-relative) is a file in the source folder other than a page."""
        return path in self.files

    def _ids(self) -> Mapping[str, tuple[IndexEntry, ...]]:
        cached = self.__dict__.get("_id_map")
        if cached is None:
            grouped: dict[str, list[IndexEntry]] = {}
            for e in self.entries:
                grouped.setdefault(e.id, []).append(e)
            cached = MappingProxyType({k: tuple(v) for k, v in grouped.items()})
            object.__setattr__(self, "_id_map", cached)  # memo on a frozen instance
        return cached

    def _paths(self) -> Mapping[str, IndexEntry]:
        cached = self.__dict__.get("_path_map")
        if cached is None:
            cached = MappingProxyType({e.path: e for e in self.entries})
            object.__setattr__(self, "_path_map", cached)
        return cached


@dataclass(frozen=True)
class Context:
    config: SiteConfig
    today: date
    index: CorpusIndex


class Reads(enum.Enum):
    """What a rule's check is given, and so where it runs. The rules that read a file, its front
    matter or a suppression run whatever `--select` says: they decide whether the other rules
    can run at all, or whether a finding may be silenced."""

    # check(file: SourceFile): the bytes as read, in the loader, before anything else (KB001).
    FILE = "file"
    # check(head: FrontMatter): the front matter of a file that is text, in the loader, in code
    # order after the file rules found nothing (KB002, then KB003).
    FRONT_MATTER = "front matter"
    # check(suppression: Suppression): each kb-disable comment, where an article's suppressions
    # apply: one it finds something in silences nothing, and what it finds cannot be silenced.
    SUPPRESSION = "suppression"
    # check(article: Article, ctx: Context): every other rule.
    ARTICLE = "article"


CheckFn = Callable[[Article, Context], Iterable[Hit]]
# The article's body with the rule's findings fixed, or None when it has nothing to fix.
FixFn = Callable[[Article], str | None]

ALL_TYPES = frozenset(PageType)


@dataclass(frozen=True)
class Rule:
    code: str  # KB103: stable, never reused
    alias: str  # missing-prerequisites
    family: str  # module name: load, structure, freshness, compliance, style
    default: Severity
    check: Callable[..., Iterable[Hit]]  # a CheckFn, or for other `reads` the one argument named there
    doc: str  # What it does / Why it matters / Example: the user documentation
    types: frozenset[PageType] = ALL_TYPES  # page types the rule applies to
    public_only: bool = False  # internal pages skip it (agent-only blocks count as internal)
    uses_corpus: bool = False  # reads other articles through ctx.index: never cached per file
    languages: frozenset[str] | None = None  # None: every language; else only these
    skip_note: str = ""  # why the rule skips other languages, shown by `kb rules`
    version: int = 1  # bump when behaviour changes, so cached results are not reused
    fix: FixFn | None = None  # what `kb check --fix` applies
    # The fix proves its own safety (by rendering the page); else the fixer writes it only when
    # CommonMark reads the page as before.
    fix_checked: bool = False
    reads: Reads = Reads.ARTICLE

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def applies_to(self, article: Article, config: SiteConfig) -> bool:
        if self.reads is not Reads.ARTICLE or article.type not in self.types:
            return False
        if self.public_only and not article.is_public:
            return False
        return self.languages is None or config.language_of(article).base in self.languages


REGISTRY: dict[str, Rule] = {}
ALIASES: dict[str, str] = {}
_READING: dict[Reads, tuple[Rule, ...]] = {}  # rules_reading, worked out again when a rule registers


def rules_reading(reads: Reads) -> tuple[Rule, ...]:
    """The registered rules given what `reads` names, in code order."""
    found = _READING.get(reads)
    if found is None:
        found = _READING[reads] = tuple(
            sorted((r for r in REGISTRY.values() if r.reads is reads), key=lambda r: r.code)
        )
    return found


def rule(
    code: str,
    alias: str,
    default: Severity,
    *,
    types: Iterable[PageType] = ALL_TYPES,
    public_only: bool = False,
    uses_corpus: bool = False,
    languages: Iterable[str] | None = None,
    skip_note: str = "",
    version: int = 1,
    fix: FixFn | None = None,
    fix_checked: bool = False,
    reads: Reads = Reads.ARTICLE,
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    """Register `check` as rule `code`. Its docstring is the rule's user documentation."""

    def register(check: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY or alias in ALIASES:
            raise RuntimeError(f"rule {code}/{alias} registered twice")
        module = check.__module__.rsplit(".", 1)[-1]
        REGISTRY[code] = Rule(
            code=code,
            alias=alias,
            family=module,
            default=default,
            check=check,
            doc=inspect.cleandoc(check.__doc__ or ""),
            types=frozenset(types),
            public_only=public_only,
            uses_corpus=uses_corpus,
            languages=frozenset(languages) if languages is not None else None,
            skip_note=skip_note,
            version=version,
            fix=fix,
            fix_checked=fix_checked,
            reads=reads,
        )
        ALIASES[alias] = code
        _READING.clear()
        return check

    return register
