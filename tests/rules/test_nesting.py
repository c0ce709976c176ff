"""KB120: lists, block quotes and admonitions nested deeper than MAX_NESTING (8) levels.

Before it, a 1,000-level nested list passed `kb check` and failed 107 s into the render with
"maximum recursion depth exceeded".
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from generator.anchors import anchors
from generator.model import Article, Audience
from generator.pipeline.load import load_file
from generator.pipeline.stage import Target, prepare
from generator.pipeline.stage import markdown as md
from generator.rules.base import Context, CorpusIndex, Reads, rules_reading
from generator.rules.structure import MAX_NESTING
from tests.conftest import BODY, TODAY, Project, article_text

TIPS = "- You can turn the feature off again at any time.\n"
TIPS_LINE = 26  # the file line of TIPS in article_text()


def with_tips(tips: str) -> str:
    assert TIPS in BODY
    return article_text(body=BODY.replace(TIPS, tips, 1))


def nested_list(levels: int) -> str:
    return "".join("    " * i + f"- Level {i + 1}.\n" for i in range(levels))


def quote(levels: int) -> str:
    return "> " * levels + "Quoted.\n"


def admonitions(levels: int) -> str:
    openers = "".join("    " * i + f'!!! note "Level {i + 1}"\n' for i in range(levels))
    return openers + "    " * levels + "Text.\n"


def mixed(levels: int) -> str:
    """A list in a quote in a list ..., `levels` containers in all."""
    lines, prefix = [], ""
    for i in range(levels):
        if i % 2 == 0:
            lines.append(f"{prefix}- Item {i + 1}.")
            prefix += "    "
        else:
            prefix += "> "
    lines.append(f"{prefix}Text.")
    return "\n".join(lines) + "\n"


def kb120(project: Project) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in project.check().findings if f.rule == "KB120"]


SHAPES = {"list": nested_list, "quote": quote, "admonition": admonitions, "mixed": mixed}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_documented_depth_passes(project: Project, shape: str) -> None:
    project.write("deep.md", with_tips(SHAPES[shape](MAX_NESTING)))
    assert kb120(project) == []


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_one_level_more_is_an_error(project: Project, shape: str) -> None:
    project.write("deep.md", with_tips(SHAPES[shape](MAX_NESTING + 1)))
    found = kb120(project)
    assert len(found) == 1, found
    assert "nested more than 8 levels deep" in found[0][1]


def test_the_line_is_where_the_ninth_level_opens(project: Project) -> None:
    project.write("list.md", with_tips(nested_list(MAX_NESTING + 3)))
    assert [line for line, _ in kb120(project)] == [TIPS_LINE + MAX_NESTING]


def test_admonitions_in_fenced_code_do_not_count(project: Project) -> None:
    fenced = "```text\n" + admonitions(MAX_NESTING + 2) + "```\n"
    project.write("code.md", with_tips(fenced))
    assert kb120(project) == []


@pytest.mark.parametrize("shape", ["list", "quote", "admonition", "one-line list", "one-line quote"])
def test_a_thousand_levels_are_one_finding_and_other_files_are_checked(project: Project, shape: str) -> None:
    text = {
        "list": nested_list(1000),
        "quote": "".join(">" * (i + 1) + " Quoted.\n" for i in range(1000)),
        "admonition": admonitions(300),
        "one-line list": "- " * 1000 + "Text.\n",
        "one-line quote": quote(1000),
    }[shape]
    project.write("deep.md", with_tips(text))
    result = project.check()
    deep = [f.rule for f in result.findings if f.path == "kb_source/deep.md"]
    assert deep.count("KB120") == 1
    assert [f for f in result.findings if f.path != "kb_source/deep.md"] == []


@contextmanager
def shallow_stack(frames: int) -> Iterator[None]:
    """Python's recursion limit set `frames` above the current depth."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize("shape", ["list", "quote", "admonition"])
def test_nothing_before_the_renderer_recurses_once_per_level(project: Project, shape: str) -> None:
    """Loading, every rule, the anchors and staging's rewrites of a 1,000-level page run within
    a stack 250 frames deep: what recursed once a level would need thousands."""
    text = {"list": nested_list(1000), "quote": quote(1000), "admonition": admonitions(300)}[shape]
    path = project.write("deep.md", with_tips(text))
    config = project.config()
    ctx = Context(config=config, today=TODAY, index=CorpusIndex(()))
    target = Target(config, Audience.PUBLIC, config.languages[0], config.languages)
    with shallow_stack(250):
        article = load_file(path, project.source, project.root, config.category_ids)
        assert isinstance(article, Article)
        found = {rule.code for rule in rules_reading(Reads.ARTICLE) for _ in rule.check(article, ctx)}
        anchors(article.tokens)
        ready = prepare(article, target)
        md.rewrite(ready.body, article.path, lambda target, image: target, ready.code)
    assert "KB120" in found
