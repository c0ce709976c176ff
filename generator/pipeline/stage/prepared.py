"""What staging reads of each article's parse, worked out once per article and audience, many
articles in worker processes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.mdparse import parse, without_internal
from generator.model import Article, Audience, PageType
from generator.parallel import fork_map_each
from generator.pipeline.check.cache import code_digest
from generator.pipeline.stage import markdown as md
from generator.pipeline.stage.target import Target

PREPARE_CHUNK = 100  # below this many articles a chunk is not worth a process


@dataclass(frozen=True)
class Prepared:
    """What staging reads of an article's parse, the same in every language's site that shows it
    (a stand-in shows the default-language text)."""

    body: str  # staged Markdown before link rewriting
    code: tuple[tuple[int, int], ...]  # line ranges of its code blocks
    summary: str
    related: tuple[str, ...]  # link targets of the Related articles section
    steps: tuple[str, ...]  # text of each step, for the JSON-LD


def prepare_all(articles: Sequence[Article], target: Target, kept: Path | None = None) -> dict[str, Prepared]:
    """prepare() of each article, by path; many articles in worker processes (one parse each).
    `kept`: a file holding the last build's results, by what they were worked out from (an
    incremental build parses only the articles that changed); rewritten with this build's."""
    known = _load(kept)
    keys = {article.path: _key(article, target) for article in articles}
    todo = [article for article in articles if keys[article.path] not in known]
    done = fork_map_each(lambda article: prepare(article, target), todo, PREPARE_CHUNK)
    known.update((keys[article.path], ready) for article, ready in zip(todo, done, strict=True))
    if kept is not None:
        _save(kept, {keys[article.path]: known[keys[article.path]] for article in articles})
    return {article.path: known[keys[article.path]] for article in articles}


def _key(article: Article, target: Target) -> str:
    """What prepare() reads of `article` and `target`."""
    sections = target.config.language_of(article).sections
    read = [article.path, article.body, article.type.value, str(article.meta.get("summary") or "")]
    read += [target.audience.value, json.dumps(sections, sort_keys=True, default=str)]
    return hashlib.sha256("\0".join(read).encode("utf-8")).hexdigest()


def _load(kept: Path | None) -> dict[str, Prepared]:
    """The results kept in `kept`, when kb's code is the same as when they were kept. JSON, not
    pickle: a cache in a working tree is not trusted input."""
    try:
        data = json.loads(kept.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        if data["version"] != code_digest():
            return {}
        return {
            key: Prepared(body, tuple((a, b) for a, b in code), summary, tuple(related), tuple(steps))
            for key, (body, code, summary, related, steps) in data["prepared"].items()
        }
    except (AttributeError, OSError, ValueError, TypeError, KeyError):
        return {}


def _save(kept: Path, known: dict[str, Prepared]) -> None:
    part = kept.with_name(f".{kept.name}.{os.getpid()}")
    prepared = {key: [p.body, p.code, p.summary, p.related, p.steps] for key, p in known.items()}
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps({"version": code_digest(), "prepared": prepared}), encoding="utf-8")
        os.replace(part, kept)
    except OSError:  # a full disk: the next build parses again what changed since the last file
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def prepare(article: Article, target: Target) -> Prepared:
    """What staging reads of `article` for `target`'s audience (its language does not matter)."""
    body = article.body
    if target.audience is Audience.PUBLIC:
        body = without_internal(body)
    body = md.strip_h1(body)
    # The loader's parse still fits when neither step changed the text (the usual case).
    tokens = list(article.tokens) if body == article.body else parse(body)
    sections = target.config.language_of(article).sections
    # The theme shows the summary as the lead and the related links as a list of its own, so the
    # body keeps neither (they would appear twice).
    shown = [md.section_lines(tokens, sections["related"])]
    if article.type is PageType.PAGE and article.meta.get("summary"):
        summary = " ".join(str(article.meta["summary"]).split())
    else:
        summary = md.summary(tokens)
        shown.append(md.summary_lines(tokens))
    steps: list[str] = []
    if article.type is PageType.ARTICLE:
        body = md.part_ids(body, tokens, sections)
        steps = md.steps(md.section_tokens(tokens, sections["steps"]))
    related = md.hrefs(md.section_tokens(tokens, sections["related"]))
    return Prepared(md.blank(body, shown), md.code_blocks(tokens), summary, tuple(related), tuple(steps))
