"""Stage one site (an audience in a language): the Markdown folder MkDocs renders.

Only what the audience may see is written: in the public stage internal pages are not staged,
`!!! internal` blocks are cut from the Markdown before rendering, links to unstaged pages become
plain text, and only the images and linked files (attachments) that staged pages reference are
copied."""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config import Language, SiteConfig
from generator.filesafe import file_problems
from generator.mdparse import MARKDOWN_SUFFIXES, is_attachment, literal, parse, without_internal
from generator.model import Article, Audience, PageType
from generator.parallel import fork_map_each
from generator.pipeline.stage import markdown as md
from generator.pipeline.stage.languages import word
from generator.reserved import SITE_NAMES, reserved_ids

IN_SECTION = 10  # "in this section" links on an article page
# Ids of the site's own pages and folders; each language's code is one too (reserved_ids).
RESERVED = frozenset(SITE_NAMES)


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
class Choice:
    article: Article
    translated: bool  # False: the default-language page stands in for a missing translation


Selection = Mapping[str, Choice]  # id -> the article staged under that id


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


@dataclass(frozen=True)
class Prepared:
    """What staging reads of an article's parse, the same in every language's site that shows it
    (a stand-in shows the default-language text): worked out once per article, in parallel."""

    body: str  # staged Markdown before link rewriting
    code: tuple[tuple[int, int], ...]  # line ranges of its code blocks
    summary: str
    related: tuple[str, ...]  # link targets of the Related articles section
    steps: tuple[str, ...]  # text of each step, for the JSON-LD


def prepare_all(articles: Sequence[Article], target: Target) -> dict[str, Prepared]:
    """prepare() of each article, by path; many articles in worker processes (one parse each)."""
    done = fork_map_each(lambda article: prepare(article, target), articles, PREPARE_CHUNK)
    return {article.path: ready for article, ready in zip(articles, done, strict=True)}


PREPARE_CHUNK = 100  # below this many articles a chunk is not worth a process


def prepare(article: Article, target: Target) -> Prepared:
    """What staging reads of `article` for `target`'s audience (its language does not matter)."""
    body = article.body
    if target.audience is Audience.PUBLIC:
        body = without_internal(body)
    body = md.strip_h1(body)
    # The loader's parse still fits when neither step changed the text (the usual case).
    tokens = list(article.tokens) if body == article.body else parse(body)
    written_in = target.config.language_of(article)
    # The theme shows the summary as the lead and the related links as a list of its own, so the
    # body keeps neither (they would appear twice).
    shown = [md.section_lines(tokens, written_in.sections["related"])]
    if article.type is PageType.PAGE and article.meta.get("summary"):
        summary = " ".join(str(article.meta["summary"]).split())
    else:
        summary = md.summary(tokens)
        shown.append(md.summary_lines(tokens))
    steps: list[str] = []
    if article.type is PageType.ARTICLE:
        body = md.part_ids(body, tokens, written_in.sections)
        steps = md.steps(md.section_tokens(tokens, written_in.sections["steps"]))
    related = md.hrefs(md.section_tokens(tokens, written_in.sections["related"]))
    return Prepared(md.blank(body, shown), md.code_blocks(tokens), summary, tuple(related), tuple(steps))


@dataclass(frozen=True)
class _Page:
    id: str
    choice: Choice
    language: Language  # the language the text is written in
    prepared: Prepared

    @property
    def article(self) -> Article:
        return self.choice.article

    @property
    def summary(self) -> str:
        return self.prepared.summary

    @property
    def url(self) -> str:
        return f"{self.id}/"


def stage(
    target: Target,
    articles: Iterable[Article],
    selections: Mapping[str, Selection],
    docs: Path,
    reports: Iterable[Report] = (),
    prepared: Mapping[str, Prepared] | None = None,
) -> Staged:
    """Write the docs folder for `target`. `selections` holds every language's selection (for
    the language switcher); `docs` must not exist yet or be empty. `prepared` (prepare_all, by
    path) holds what is read of each selected article's parse; what it lacks is prepared here."""
    config, lang = target.config, target.language
    selection = selections[lang.code]
    reserved = reserved_ids(target.languages)
    for page_id in selection:
        if page_id in reserved:
            raise StageError(
                f"{selection[page_id].article.path}: id '{page_id}' is already taken by "
                f"{reserved[page_id]}; choose another id"
            )
    ready = prepared or {}
    pages = {
        pid: _Page(
            pid,
            c,
            target.config.language_of(c.article),
            ready.get(c.article.path) or prepare(c.article, target),
        )
        for pid, c in selection.items()
    }
    path_ids = {a.path: a.id for a in articles}
    by_path = {p.article.path: p for p in pages.values()}
    docs.mkdir(parents=True, exist_ok=True)
    copied: set[str] = set()
    writer = _Writer(docs)
    categories = _categories(config, lang, pages)

    for page in pages.values():
        resolver = _resolver(config, page_id_map=path_ids, pages=pages, copied=copied)
        body = md.rewrite(page.prepared.body, page.article.path, resolver, page.prepared.code)
        writer.page(
            f"{page.id}.md",
            page.article.title,
            page.summary,
            _article_meta(page, target, by_path, selections, categories),
            body,
        )

    for cat_id, (title, description, members) in categories.items():
        url = f"category/{cat_id}/"
        body = _category_body(members)
        meta = _generated_meta("category", f"category-{cat_id}", url, title, description, target, selections)
        writer.page(f"category/{cat_id}.md", title, description, meta, body)

    codes_title = word(lang, "error_codes")
    writer.page(
        "error-codes.md",
        codes_title,
        word(lang, "error_codes_intro"),
        _generated_meta(
            "error-codes",
            "error-codes",
            "error-codes/",
            codes_title,
            word(lang, "error_codes_intro"),
            target,
            selections,
        ),
        _error_codes_body(pages, lang),
    )
    # The home page always has a description: the site's name when none is configured.
    description = config.site.description or config.site.name
    writer.page(
        "index.md",
        config.name,
        description,
        _generated_meta("home", "home", "", config.name, description, target, selections),
        _home_body(config, lang, categories, pages),
    )
    nav: list[tuple[str, str]] = [(word(lang, "home"), "index.md")]
    nav += [(title, f"category/{cat_id}.md") for cat_id, (title, _, _) in categories.items()]
    nav.append((codes_title, "error-codes.md"))
    for report in reports:
        url = f"{report.slug}/"
        meta = _generated_meta("report", report.slug, url, report.title, report.title, target, selections)
        writer.page(f"{report.slug}.md", report.title, report.title, meta, report.body)
        nav.append((report.title, f"{report.slug}.md"))

    for file in sorted(copied):
        source, staged = file.split("\0")
        dest = docs / staged
        dest.parent.mkdir(parents=True, exist_ok=True)
        _copy_file(config, source, dest)
    if lang.default:
        (docs / "robots.txt").write_text(_robots(target), encoding="utf-8")
    return Staged(docs, tuple(nav), writer.count, tuple(sorted(f.split("\0")[1] for f in copied)))


def _copy_file(config: SiteConfig, source: str, dest: Path) -> None:
    """Copy an image or attachment the pages use; KB112 reports a missing one, so this fails only
    when the rule is turned off or the file went away since the check."""
    path = config.root / source
    if not path.resolve().is_relative_to(config.source_path.resolve()) or not path.is_file():
        raise StageError(f"{source}: a file a page shows or links to is not in {config.source_dir}/ (KB112)")
    if problems := file_problems(path):
        raise StageError(f"{source}: unsafe to publish (KB309): {problems[0]}")
    try:
        shutil.copyfile(path, dest)
    except OSError as exc:
        raise StageError(f"{source}: cannot copy it: {exc.strerror or exc}") from exc


def _resolver(
    config: SiteConfig, page_id_map: Mapping[str, str], pages: Mapping[str, _Page], copied: set[str]
) -> md.Resolver:
    source_dir = config.source_prefix

    def resolve(path: str, image: bool) -> str | None:
        if image or is_attachment(path):
            # A page's source is never copied as a file: it may be an agent-only article.
            if not path.startswith(source_dir) or path.endswith(MARKDOWN_SUFFIXES):
                return None
            rel = path[len(source_dir) :]
            folder = "images/" if image else "files/"
            staged = rel if rel.startswith(folder) else f"{folder}{rel}"
            copied.add(f"{path}\0{staged}")
            return staged
        page_id = page_id_map.get(path)
        return f"{page_id}.md" if page_id in pages else None

    return resolve


def _categories(
    config: SiteConfig, lang: Language, pages: Mapping[str, _Page]
) -> dict[str, tuple[str, str, list[_Page]]]:
    """Configured categories (in configured order) that have at least one staged page."""
    out: dict[str, tuple[str, str, list[_Page]]] = {}
    for cat in config.categories:
        members = sorted(
            (p for p in pages.values() if p.article.category == cat.id),
            key=lambda p: (p.article.title.casefold(), p.id),
        )
        if members:
            out[cat.id] = (cat.title_in(lang), cat.description_in(lang), members)
    return out


def _contact(config: SiteConfig, target: Target) -> list[dict[str, Any]]:
    out = []
    for ch in config.contact.channels:
        if ch.shown_on(target.audience):
            shown = {"channel": ch.channel, "label": ch.label, "value": ch.value}
            out.append(shown if ch.plans is None else {**shown, "plans": list(ch.plans)})
    return out


def _alternates(
    page_id: str, url: str, target: Target, selections: Mapping[str, Selection], generated: bool
) -> list[dict[str, Any]]:
    out = []
    for lang in target.languages:
        choice = selections[lang.code].get(page_id)
        if not generated and choice is None:
            continue
        out.append(
            {
                "lang": lang.code,
                "name": lang.name,
                "url": target.base_url + lang.prefix + url,  # absolute: hreflang needs it
                "translated": True if generated else choice.translated,
            }
        )
    return out


def _jsonld(data: Mapping[str, Any]) -> str:
    # `</` is escaped so the JSON can sit inside a <script> element as it is.
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, sort_keys=True)
    return text.replace("</", "<\\/")


def _article_meta(
    page: _Page,
    target: Target,
    by_path: Mapping[str, _Page],
    selections: Mapping[str, Selection],
    categories: Mapping[str, tuple[str, str, list[_Page]]],
) -> dict[str, Any]:
    article = page.article
    url = page.url
    canonical = target.site_url + url
    cat_title = categories[article.category][0] if article.category in categories else article.category
    related = []
    for href in page.prepared.related:
        resolved = md.resolve_href(href, article.path)
        other = by_path.get(resolved[0]) if resolved else None
        if other is not None and other.id != page.id:
            # A related link may name a section of its article (`refund.md#steps`): kept.
            link = other.url + resolved[1] if resolved else other.url
            related.append({"title": other.article.title, "url": link, "summary": other.summary})
    siblings = categories[article.category][2] if article.category in categories else []
    in_section = [
        {"title": p.article.title, "url": p.url}
        for p in itertools.islice((p for p in siblings if p.id != page.id), IN_SECTION)
    ]
    last_changed = str(article.meta.get("last_changed") or article.meta.get("last_reviewed", ""))
    if article.type is PageType.ARTICLE:
        steps = page.prepared.steps
        jsonld = {
            "@type": "HowTo",
            "name": article.title,
            "description": page.summary,
            "inLanguage": page.language.code,
            "url": canonical,
            "dateModified": last_changed,
            "step": [{"@type": "HowToStep", "position": n, "text": s} for n, s in enumerate(steps, 1)],
        }
    else:
        jsonld = {
            "@type": "WebPage",
            "name": article.title,
            "description": page.summary,
            "inLanguage": page.language.code,
            "url": canonical,
            "dateModified": last_changed,
        }
    kb: dict[str, Any] = {
        "kind": article.type.value,
        "id": page.id,
        "audience": article.audience.value,
        "lang": page.language.code,
        "internal": not article.is_public,
        "site_audience": target.audience.value,
        "summary": page.summary,
        "last_reviewed": str(article.meta.get("last_reviewed", "")),
        "last_changed": last_changed,
        "category": {
            "id": article.category,
            "title": cat_title,
            "url": f"category/{article.category}/",
        },
        "error_codes": list(article.meta.get("error_codes") or []),
        "keywords": list(article.meta.get("keywords") or []),
        "tags": list(article.meta.get("tags") or []),
        "plans": list(article.meta.get("plans") or []),
        "related": related,
        "in_section": in_section,
        "contact": _contact(target.config, target),
        "jsonld": _jsonld(jsonld),
        "alternates": _alternates(page.id, url, target, selections, generated=False),
        "translated": page.choice.translated,
        "canonical": canonical,
    }
    if target.audience is Audience.INTERNAL:
        kb["owner"] = article.owner
        kb["source"] = article.path
    return kb


def _generated_meta(
    kind: str,
    page_id: str,
    url: str,
    title: str,
    description: str,
    target: Target,
    selections: Mapping[str, Selection],
) -> dict[str, Any]:
    canonical = target.site_url + url
    return {
        "kind": kind,
        "id": page_id,
        "audience": target.audience.value,
        "lang": target.language.code,
        "internal": kind == "report",
        "site_audience": target.audience.value,
        "summary": description,
        "contact": _contact(target.config, target),
        "jsonld": _jsonld(
            {
                "@type": "WebPage",
                "name": title,
                "description": description,
                "inLanguage": target.language.code,
                "url": canonical,
            }
        ),
        "alternates": _alternates(page_id, url, target, selections, generated=True)
        if kind != "report"
        else [],
        "translated": True,
        "canonical": canonical,
    }


def _badge(page: _Page) -> str:
    return "" if page.article.is_public else ' <span class="kb-badge kb-badge--internal">Internal</span>'


def _category_body(members: list[_Page]) -> str:
    lines = []
    for p in members:
        lines += [f"- [{literal(p.article.title)}](../{p.id}.md){_badge(p)}", ""]
        if p.summary:
            lines += [f"    {literal(p.summary)}", ""]
    return "\n".join(lines)


# Inline markup Python-Markdown reads anywhere in a line (code, emphasis, links, attr_list's `{: }`,
# table cells): backslash-escaped, as Python-Markdown reads `\*` as `*`.
def _error_codes_body(pages: Mapping[str, _Page], lang: Language) -> str:
    rows: dict[str, list[_Page]] = {}
    for p in pages.values():
        for code in p.article.meta.get("error_codes") or ():
            rows.setdefault(str(code), []).append(p)
    if not rows:
        return literal(word(lang, "no_error_codes")) + "\n"
    lines = [
        literal(word(lang, "error_codes_intro")),
        "",
        f"| {literal(word(lang, 'code_column'))} | {literal(word(lang, 'article_column'))} |",
        "|---|---|",
    ]
    for code in sorted(rows, key=_code_key):
        links = "<br>".join(f"[{literal(p.article.title)}]({p.id}.md)" for p in rows[code])
        lines.append(f"| `{code}` | {links} |")
    return "\n".join(lines) + "\n"


def _code_key(code: str) -> tuple[str, int, str]:
    prefix, _, number = code.partition("-")
    return (prefix, int(number) if number.isdigit() else 0, code)


def _home_body(
    config: SiteConfig,
    lang: Language,
    categories: Mapping[str, tuple[str, str, list[_Page]]],
    pages: Mapping[str, _Page],
) -> str:
    icons = {c.id: c.icon for c in config.categories}
    lines = [
        literal(word(lang, "search_hint")),
        "",
        f"## {literal(word(lang, 'categories'))}",
        "",
        '<div class="grid cards" markdown>',
        "",
    ]
    for cat_id, (title, description, members) in categories.items():
        icon = icons.get(cat_id)
        lead = f":{literal(icon.replace('/', '-'))}:{{ .lg .middle }} " if icon else ""
        count = len(members)
        noun = literal(word(lang, "article") if count == 1 else word(lang, "articles"))
        lines += [
            f"-   {lead}__[{literal(title)}](category/{cat_id}.md)__",
            "",
            "    ---",
            "",
            f"    {literal(description)}",
            "",
            f"    {count} {noun}",
            "",
        ]
    lines += ["</div>", ""]
    featured = [pages[i] for i in config.featured if i in pages]
    if featured:
        lines += [f"## {literal(word(lang, 'featured'))}", ""]
        lines += [f"- [{literal(p.article.title)}]({p.id}.md)" for p in featured]
        lines.append("")
    return "\n".join(lines)


def _robots(target: Target) -> str:
    if target.audience is Audience.PUBLIC:
        return f"User-agent: *\nAllow: /\n\nSitemap: {target.base_url}sitemap.xml\n"
    return "User-agent: *\nDisallow: /\n"


# YAML reads JSON, and writing it is fifty times faster than PyYAML's (pure-Python) representer,
# which was half of the staging time. Code points YAML does not allow in a stream, or reads as
# line breaks inside a string, are escaped.
_NOT_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _front_matter(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return _NOT_IN_YAML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


class _Writer:
    """Writes the staged pages. The front matter's `title` and `description` are HTML (escaped
    text): Material prints them as they are, in <title>, meta tags, the header, the navigation and
    the footer. Everything under `kb:` stays plain text, which the theme prints with `| e`
    (theme/main.html states the whole contract)."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.count = 0

    def page(self, rel: str, title: str, description: str, kb: Mapping[str, Any], body: str) -> None:
        escaped = {"title": html.escape(title), "description": html.escape(description)}
        front = _front_matter({**escaped, "kb": dict(kb)})
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n\n{body.strip(chr(10))}\n", encoding="utf-8", newline="\n")
        self.count += 1
