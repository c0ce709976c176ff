"""What staging reads of each article's parse, worked out once per article and audience, many
articles in worker processes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.mdparse import parse, without_internal
from generator.model import Article, Audience, PageType
from generator.parallel import fork_map_each
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


def prepare_all(articles: Sequence[Article], target: Target) -> dict[str, Prepared]:
    """prepare() of each article, by path; many articles in worker processes (one parse each)."""
    done = fork_map_each(lambda article: prepare(article, target), articles, PREPARE_CHUNK)
    return {article.path: ready for article, ready in zip(articles, done, strict=True)}


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
