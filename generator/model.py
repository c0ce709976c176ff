"""The plain data that crosses module boundaries: articles, sections, findings."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from generator import anchors, mdparse
from generator.mdparse import flatten_admonitions, internal_lines, parse
from generator.yamlsafe import YamlError

if TYPE_CHECKING:
    from generator.pipeline.expand import Expansion


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


# Pages generated for the internal site only (pipeline/stage/reports.py). Their ids are reserved,
# and `kb verify` treats any trace of them in the public site as a leak.
INTERNAL_REPORTS = ("review-queue", "health", "translation-status", "reuse", "rules")


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


@dataclass(frozen=True)
class Suppression:
    """A `<!-- kb-disable CODE: reason -->` comment: `code` upper-cased, `reason` '' if none."""

    code: str
    reason: str
    line: int


class LinkKind(enum.StrEnum):
    LINK = "link"
    IMAGE = "image"


@dataclass(frozen=True)
class Link:
    """A Markdown link or image of an article body, as the parse reads it."""

    line: int  # file line of the paragraph, heading or table cell it is in
    kind: LinkKind
    target: str  # href or src, percent-decoded: markdown-it encodes `café.md`, files have real names
    text: str  # a link's text (its text and code, markup dropped); an image's alt text


@dataclass(frozen=True)
class Outline:
    """What an article's body says beyond its text, as plain data: worked out once from its parse
    (Article.outline), it is what crosses processes and sits in the check's cache in place of the
    tokens (pipeline/check/wire.py), and all that cross-article rules and the corpus index read."""

    sections: tuple[Section, ...]
    links: tuple[Link, ...]  # in the order they are written
    anchors: tuple[str, ...]  # the `#fragment`s of its rendered page (Article.anchors)
    suppressions: tuple[Suppression, ...]


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


def suppressions_in(body: str, body_line: int) -> tuple[Suppression, ...]:
    """The suppressions of a body that starts on file line `body_line`."""
    found = []
    line, counted = body_line, 0
    for start, code, reason in mdparse.suppression_comments(body):
        line += body.count("\n", counted, start)
        counted = start
        found.append(Suppression(code.upper(), reason, line))
    return tuple(found)


# Worked out again where an article is needed rather than sent there: markdown-it tokens cost as
# much to send between processes as to parse, and lines are quicker to split than to send.
_NOT_SENT = frozenset({"tokens", "lines", "parsed_lines", "internal_lines", "public_lines"})


@dataclass(frozen=True)
class Article:
    """One Markdown file with valid front matter.

    `body` is the Markdown after the front matter with line ends normalised; `body_line` is the
    file line on which `body` starts, so `body_line + n` is the file line of body line `n`.
    Everything else is worked out from these once, when first read: the parse (`tokens`, always
    the parse of `body`), the lines, and the `outline` (sections, links, anchors, suppressions).
    """

    path: str
    meta: Mapping[str, Any]
    body: str
    body_line: int
    field_lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> file line
    digest: str = ""  # sha256 of the file's bytes
    # The outline of this body when it was worked out elsewhere (by a check's worker, or in an
    # earlier check of the same bytes): `outline` then needs no parse.
    known: Outline | None = field(default=None, repr=False, compare=False)
    # How `body` was expanded from the file's text (variables, snippets: pipeline/expand/), its
    # problems and where each line came from; None when the file's body holds nothing to expand.
    expansion: Expansion | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in _NOT_SENT}

    @cached_property
    def tokens(self) -> tuple[Any, ...]:
        """The markdown-it tokens of `body` (mdparse.parse)."""
        return tuple(parse(self.body))

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The lines of `body`: line n is file line `body_line + n`."""
        return tuple(self.body.split("\n"))

    @cached_property
    def parsed_lines(self) -> tuple[str, ...]:
        """The lines as the parse reads them: admonition bodies unindented (mdparse.parse)."""
        return tuple(flatten_admonitions(self.body).split("\n"))

    @cached_property
    def internal_lines(self) -> frozenset[int]:
        """Indexes of the lines inside documented agent-only blocks (mdparse.internal_blocks)."""
        return internal_lines(self.lines)

    @cached_property
    def public_lines(self) -> tuple[str, ...]:
        """The lines with agent-only blocks blanked: the text public pages show."""
        hidden = self.internal_lines
        return (
            tuple("" if k in hidden else line for k, line in enumerate(self.lines)) if hidden else self.lines
        )

    @cached_property
    def outline(self) -> Outline:
        if self.known is not None:
            return self.known
        return Outline(
            sections=self._sections(),
            links=tuple(self._links()),
            anchors=self._anchors(),
            suppressions=suppressions_in(self.body, self.body_line),
        )

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.outline.sections

    @property
    def links(self) -> tuple[Link, ...]:
        """The Markdown links and images of the body, in order."""
        return self.outline.links

    @property
    def anchors(self) -> tuple[str, ...]:
        """The anchors of the rendered page: its own (anchors.anchors) and, for a seven-part
        article, the part ids the renderer gives its sections."""
        return self.outline.anchors

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        return self.outline.suppressions

    def _sections(self) -> tuple[Section, ...]:
        last = len(self.lines)
        return tuple(
            Section(s.title, self.body_line + s.line, self.body_line + (last if s.end is None else s.end) - 1)
            for s in mdparse.sections(self.tokens)
        )

    def _links(self) -> Iterator[Link]:
        for tok in self.tokens:
            if tok.type != "inline" or not tok.children or not tok.map:
                continue
            line = self.body_line + tok.map[0]
            href: str | None = None  # of the link whose text is being read
            text: list[str] = []
            for child in tok.children:
                if child.type == "link_open":
                    href, text = str(child.attrGet("href") or ""), []
                elif child.type == "link_close" and href is not None:
                    yield Link(line, LinkKind.LINK, unquote(href), "".join(text))
                    href = None
                elif child.type == "image":
                    yield Link(line, LinkKind.IMAGE, unquote(str(child.attrGet("src") or "")), child.content)
                elif href is not None and child.type in ("text", "code_inline"):
                    text.append(child.content)

    def _anchors(self) -> tuple[str, ...]:
        own = anchors.anchors(self.tokens)
        return tuple(dict.fromkeys([*own, *mdparse.PARTS])) if self.type is PageType.ARTICLE else own

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
