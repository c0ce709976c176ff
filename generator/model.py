"""The plain data that crosses module boundaries: articles, sections, findings."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from generator.mdparse import parse
from generator.yamlsafe import YamlError


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


# Pages generated for the internal site only (pipeline/stage/reports.py). Their ids are reserved,
# and `kb verify` treats any trace of them in the public site as a leak.
INTERNAL_REPORTS = ("review-queue", "health", "translation-status", "rules")


class Audience(enum.StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class PageType(enum.StrEnum):
    ARTICLE = "article"  # follows the seven-part structure
    PAGE = "page"  # free-form: playbooks, templates, contact pages


@dataclass(frozen=True)
class Finding:
    """One problem at one place. `path` is relative to the project root, POSIX style."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


@dataclass(frozen=True)
class Hit:
    """What a rule yields: a place in the file and a message. The checker adds code and severity."""

    line: int
    message: str
    column: int = 1


@dataclass(frozen=True)
class Section:
    """A `##` section of an article body. Lines are 1-based lines of the source file."""

    title: str
    line: int
    end_line: int  # last line of the section (inclusive)
    text: str  # the Markdown between this heading and the next `##`


@dataclass(frozen=True)
class Suppression:
    code: str
    reason: str
    line: int


# The bytes of a file as the text the loader, the check and the fixer read: UTF-8 (a byte order
# mark dropped), every line end "\n". Raises UnicodeDecodeError.
def decoded(raw: bytes) -> str:
    return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class SourceFile:
    """A file as the loader found it, before it is text: what file rules (KB001) judge."""

    path: str  # project-relative, POSIX style
    raw: bytes = b""
    unread: str = ""  # why its bytes could not be read at all ('' when they were)

    @cached_property
    def text(self) -> str:
        """The bytes as text (decoded); raises UnicodeDecodeError."""
        return decoded(self.raw)


@dataclass(frozen=True)
class FrontMatter:
    """The front matter of a file that is text, as the loader read it: what front-matter rules
    (KB002, KB003) judge before the file becomes an Article."""

    text: str  # the whole file, decoded
    close: int | None  # index of the line that closes the block; None when it is missing or open
    opened: bool  # whether the first line opens a block (`---`)
    fields: Any = None  # what the YAML between holds; None when it is not YAML
    error: YamlError | None = None  # why it is not YAML
    categories: frozenset[str] | None = None  # the category ids a valid article may name, if known


# How front matter reads, for an Article and for the corpus index (which has only the mapping).
def meta_text(meta: Mapping[str, Any], key: str) -> str:
    return str(meta.get(key, ""))


def audience_of(meta: Mapping[str, Any]) -> Audience:
    return Audience(meta.get("audience", "public"))


def type_of(meta: Mapping[str, Any]) -> PageType:
    return PageType(meta.get("type", "article"))


def lang_of(meta: Mapping[str, Any]) -> str | None:
    lang = meta.get("lang")
    return str(lang) if lang else None


@dataclass(frozen=True)
class Article:
    """One Markdown file with valid front matter.

    `body` is the Markdown after the front matter with line ends normalised; `body_line` is the
    file line on which `body` starts, so `body_line + n` is the file line of body line `n`.
    """

    path: str
    meta: Mapping[str, Any]
    body: str
    body_line: int
    sections: tuple[Section, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    digest: str = ""
    # The markdown-it tokens of `body` as the loader parsed them, or None: `tokens` then parses
    # `body` on first use. Token streams cost as much to send between processes as to parse, so
    # the check hands the renderer its articles without them (checker.check_and_load).
    parsed: tuple[Any, ...] | None = field(default=(), repr=False, compare=False)
    field_lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> file line

    @cached_property
    def tokens(self) -> tuple[Any, ...]:
        """The markdown-it tokens of `body` (mdparse.parse)."""
        return self.parsed if self.parsed is not None else tuple(parse(self.body))

    def without_tokens(self) -> Article:
        """This article, to be parsed again where its tokens are needed."""
        return replace(self, parsed=None)

    def field_line(self, name: str) -> int:
        return self.field_lines.get(name, 1)

    def tokens_between(self, first_line: int, last_line: int) -> list[Any]:
        """Tokens whose source starts on file lines first_line..last_line (inclusive), with the
        inline tokens that belong to them."""
        lo, hi = first_line - self.body_line, last_line - self.body_line
        out: list[Any] = []
        inside = False
        for tok in self.tokens:
            if tok.map is not None:
                inside = lo <= tok.map[0] <= hi
            if inside:
                out.append(tok)
        return out

    def section_tokens(self, section: Section) -> list[Any]:
        return self.tokens_between(section.line + 1, section.end_line)

    @property
    def id(self) -> str:
        return meta_text(self.meta, "id")

    @property
    def title(self) -> str:
        return meta_text(self.meta, "title")

    @property
    def category(self) -> str:
        return meta_text(self.meta, "category")

    @property
    def audience(self) -> Audience:
        return audience_of(self.meta)

    @property
    def is_public(self) -> bool:
        return self.audience is Audience.PUBLIC

    @property
    def type(self) -> PageType:
        return type_of(self.meta)

    @property
    def lang(self) -> str | None:
        return lang_of(self.meta)

    @property
    def owner(self) -> str:
        return meta_text(self.meta, "owner")

    def section(self, title: str) -> Section | None:
        wanted = title.casefold()
        return next((s for s in self.sections if s.title.casefold() == wanted), None)


@dataclass(frozen=True)
class LoadResult:
    """Everything the loader read: good articles, and findings for files that could not be used."""

    articles: tuple[Article, ...]
    findings: tuple[Finding, ...]
    files: int


@dataclass(frozen=True)
class CheckResult:
    files: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)
