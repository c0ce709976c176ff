"""`python -m benchmarks.adversarial`: the worst time of every rule on adversarial article text.

Every pattern run over article text must be linear in it: a writer (or a pasted log) can put
anything in a page, and one quadratic regex turns 100 KB into minutes of `kb check` for the whole
team. This feeds each registered rule (its check, and its fix where it has one), the loader, the
parse, mdparse.anchors, the article's outline and the staging rewrites (stage.prepare and
render/markdown.rewrite) a page holding about 100 KB of one repeated shape (`<a `, `<!-- `, `[`,
long words, digit runs, deep nesting, ...), shape after shape, and prints the worst time of each
with the shape that caused it. Target: nothing over 0.5 s.

It prints figures and never fails: timings belong in a report, not in a test on a machine whose
speed drifts. A measurement that runs past `--cap` seconds is cut off and shown as `>cap`.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.anchors import anchors
from generator.config import SiteConfig, load_config
from generator.model import Article, Audience, Finding, SourceFile
from generator.pipeline.load import collector_paused, front_matter, load_all, load_file
from generator.pipeline.stage import Target, prepare
from generator.pipeline.stage import markdown as md
from generator.rules import REGISTRY
from generator.rules.base import Context, CorpusIndex, Reads

ROOT = Path(__file__).resolve().parents[1]  # the sample project: site_config.yml and kb_source/
TODAY = date(2026, 11, 23)
SIZE = 100_000  # characters of repetition per page
TARGET = 0.5  # seconds: no rule should take longer on any shape
CAP = 10.0  # seconds before a measurement is cut off


@dataclass(frozen=True)
class Shape:
    """One adversarial page: `make(size)` returns about `size` characters, and `where` says where
    they go: `body` (a block of the Tips section), `summary` (the first paragraph), `title` or
    `keywords` (front matter)."""

    name: str
    make: Callable[[int], str]
    where: str = "body"


def repeat(unit: str) -> Callable[[int], str]:
    return lambda size: unit * max(1, size // len(unit))


def nested(prefix: Callable[[int], str], line: str = "item") -> Callable[[int], str]:
    """Lines nested one level deeper each (`prefix(depth)` before each), up to `size`."""

    def make(size: int) -> str:
        out: list[str] = []
        total, depth = 0, 0
        while total < size:
            text = f"{prefix(depth)}{line}\n"
            out.append(text)
            total += len(text)
            depth += 1
        return "".join(out)

    return make


# Inline shapes repeat within one paragraph; shapes ending in a newline make many lines.
INLINE = (
    "<a ", "<a", "<!-- ", "<!--", "-->", "<!-- kb-disable KB401: ", "<", "<x", "</", "<a href=",
    '<a id="x" ', "<img src=x ", "<details ", "<svg/onload=", "[", "]", "![", "[a](", "](", "[a](b ",
    "[a][", "`", "``", "*", "**a", "_", "__a", "~", "|", "&#", "&#x", "&", "\\", "{#", "{: ", "{",
    "}", "#", "a", "é", "中", "1", "12 ", "1-", "+1 ", "4111 ", "0.", "http://", "https://a",
    "www.", "@", "a@", "a@b.", "mailto:", "javascript:", "on", "onclick=", ". ", "a. ", "? ", ":",
    "=", '"', "'", "(", ")", "-", "--", "password=", "sk_live_", "AKIA", "key: ", "Zendesk ",
    "ticket ", "#1", "customer ", "was ", "is done by ", "click here ", " ", "\t", "!!! ", "???",
    "{{", "{%", "> ", "- ", "1. ", "* ", "+ ", "> - ", "a b c d e f g h i j ",
)  # fmt: skip
LINES = (
    "\n", "x\n", "- a\n", "1. a\n", "  - a\n", "> a\n", "|a|b|\n", "| --- |\n", "### h\n", "## h\n",
    "# h\n", "## Steps\n", "```\n", "~~~\n", "    code\n", "!!! note\n", '!!! internal "x"\n    a\n',
    '??? internal "x"\n', "<div>\n", "<details>\n", "<!--\n", "-->\n", "[a]: b\n", "[a]: <b c>\n",
    "<!-- kb-disable KB401: x -->\n", "1. a\n    ![x](images/x.svg)\n", "- [ ] a\n", "1. a\n   b\n",
    "text\n- a\n", "<details>\n*a*\n</details>\n", "a {#x}\n", "## a {#x}\n", "    !!! note\n",
    "\t- a\n", "<a id=x>\n", "a  \n",
)  # fmt: skip


# Shapes every copy of which is a finding of some rule: a rule that works out each finding's
# line or column from the start of the page goes quadratic here.
FINDINGS = (
    "was sent by email. ", "I'll try. ", "No worries. ", "instant refund. ", "[click here](a.md) ",
    "[a](missing.md) ", "[a](../account/reset-password.md#nope) ", "[a](/billing/) ", "[a](b c) ",
    "![](a.png) ", "![a](missing.png) ", "TODO ", "[placeholder] ", "jane.doe@gmail.com ",
    "+1 415 555 0134 ", "4111 1111 1111 1111 ", "password: hunter2 ", "AKIAABCDEFGHIJKLMNOPQ ",
    "ticket #12345 ", "customer id 1234 ", "<script>x</script> ", "<b onclick=x>",
    "<!-- kb-disable KB999 --> ", "<!-- kb-disable KB401 --> ", "a a a a a a a a a a a a a a. ",
    "word " * 30 + ". ",
)  # fmt: skip


def shapes() -> list[Shape]:
    found = [Shape(repr(unit), repeat(unit)) for unit in dict.fromkeys((*INLINE, *LINES, *FINDINGS))]
    found += [
        Shape("'<a ' as the summary", repeat("<a "), "summary"),
        Shape("'a. ' as the summary", repeat("a. "), "summary"),
        Shape("'1 ' as the summary", repeat("1 "), "summary"),
        Shape("list nested 4 spaces a level", nested(lambda d: "    " * d + "- ")),
        Shape("list nested 2 spaces a level", nested(lambda d: "  " * d + "- ")),
        Shape("numbered list nested", nested(lambda d: "   " * d + "1. ")),
        Shape("block quote nested a line at a time", nested(lambda d: ">" * (d + 1) + " ")),
        Shape("admonition nested", nested(lambda d: "    " * d + '!!! note "n"\n' + "    " * (d + 1))),
        Shape("'a ' as the title", repeat("a "), "title"),
        Shape("'<a ' as the title", repeat("<a "), "title"),
        Shape("keywords", lambda size: "[" + ", ".join(["word"] * (size // 6)) + "]", "keywords"),
    ]
    return found


def page(shape: Shape, size: int) -> str:
    """A seven-part article with `shape` where it says."""
    text = shape.make(size)
    title = "How do I use the adversarial page?"
    keywords = "[adversarial]"
    summary = "You can use the adversarial page in a few steps."
    tips = "- Keep the page short."
    if shape.where == "title":
        title = f'"{text.replace(chr(92), "").replace(chr(34), "")}?"'
    elif shape.where == "keywords":
        keywords = text
    elif shape.where == "summary":
        summary = text.strip()
    else:
        tips = f"{tips}\n\n{text}"
    return f"""---
id: adversarial-page
title: {title}
category: account
audience: public
owner: Maya Chen
last_reviewed: 2026-10-01
keywords: {keywords}
---

{summary}

## Prerequisites

- A DataFlow account.

## Steps

1. Open **Settings**.

    ![The settings page](../images/contact-support-menu.svg)

2. Select **Save**.

## Tips

{tips}

## Troubleshooting

### Nothing happens

Reload the page.

## Related articles

- [How do I reset my password?](reset-password.md)
- [How do I contact support?](../support/contact-support.md)
"""


class _Cut(Exception):
    """A measurement ran past the cap."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Cut


def timed(work: Callable[[], object], cap: float) -> tuple[float, str]:
    """Seconds `work` took (cut off at `cap`), and what went wrong: '' when it returned."""
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        result = work()
        if isinstance(result, Iterator):
            list(result)
        problem = ""
    except _Cut:
        problem = "cut off"
    except Exception as exc:  # a rule that raises on odd text is a finding of this benchmark too
        problem = f"raised {type(exc).__name__}: {str(exc)[:80]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start, problem


@dataclass(frozen=True)
class Timing:
    step: str
    shape: str
    seconds: float
    problem: str  # '' when the step returned


def measure(
    shape: Shape, size: int, cap: float, project: Path, config: SiteConfig, ctx: Context
) -> dict[str, tuple[float, str]]:
    """Seconds of each step on one page of `shape`, by step name."""
    path = project / "kb_source" / "account" / "adversarial-page.md"
    path.write_text(page(shape, size), encoding="utf-8")
    out: dict[str, tuple[float, str]] = {}
    loaded: list[Article | Finding] = []
    out["loader"] = timed(
        lambda: loaded.append(load_file(path, config.source_path, config.root, config.category_ids)), cap
    )
    article = loaded[0] if loaded else None
    if not isinstance(article, Article):
        return out  # the loader refused the page: nothing else runs on it in kb check either
    out["parse"] = timed(lambda: article.tokens, cap)
    tokens = article.tokens
    out["article outline"] = timed(lambda: article.outline, cap)  # before any rule reads it
    file = SourceFile(article.path, path.read_bytes())
    # What each kind of rule is given (rules.base.Reads); a front-matter rule's includes the YAML.
    arguments = {
        Reads.FILE: lambda: [(file,)],
        Reads.FRONT_MATTER: lambda: [(front_matter(file.text, config.category_ids),)],
        Reads.SUPPRESSION: lambda: [(s,) for s in article.suppressions],
        Reads.ARTICLE: lambda: [(article, ctx)],
    }
    for code, rule in sorted(REGISTRY.items()):
        given = arguments[rule.reads]
        out[code] = timed(lambda rule=rule, given=given: [list(rule.check(*a)) for a in given()], cap)
        if rule.fix is not None:
            out[f"{code} fix"] = timed(lambda rule=rule: rule.fix(article), cap)  # type: ignore[misc]
    out["mdparse.anchors"] = timed(lambda: anchors(tokens), cap)
    target = Target(config, Audience.PUBLIC, config.languages[0], config.languages)
    prepared: list[Any] = []
    out["stage.prepare"] = timed(lambda: prepared.append(prepare(article, target)), cap)
    if prepared:
        body, code = prepared[0].body, prepared[0].code
        out["markdown.rewrite"] = timed(
            lambda: md.rewrite(body, article.path, lambda target, image: target, code), cap
        )
    return out


def run(
    size: int = SIZE,
    cap: float = CAP,
    wanted: Callable[[Shape], bool] = lambda shape: True,
    show: Callable[[str], None] = print,
) -> list[Timing]:
    """Every step's time on every `wanted` shape."""
    timings: list[Timing] = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory(prefix="kb-adversarial-") as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "site_config.yml", project / "site_config.yml")
        shutil.copytree(ROOT / "kb_source", project / "kb_source")
        config = load_config(project / "site_config.yml")
        others = load_all(config.source_path, config.root, categories=config.category_ids).articles
        ctx = Context(config=config, today=TODAY, index=CorpusIndex.build(others))
        try:
            # As in kb check: the cyclic collector off, so its passes over the heap are not timed.
            stack.enter_context(collector_paused())
            # Imports and first-use set-up (textstat's dictionary, compiled patterns) are not
            # what this measures: one ordinary page first, its timings dropped.
            measure(Shape("warm-up", repeat("Select Save. ")), 2000, cap, project, config, ctx)
            for shape in filter(wanted, shapes()):
                started = time.perf_counter()
                for step, (seconds, problem) in measure(shape, size, cap, project, config, ctx).items():
                    timings.append(Timing(step, shape.name, seconds, problem))
                show(f"  {size:,} x {shape.name}: {time.perf_counter() - started:.2f} s")
        finally:
            signal.signal(signal.SIGALRM, previous)
    return timings


def worst(timings: list[Timing]) -> dict[str, Timing]:
    """The slowest shape of each step (one that raised counts first: it is a bug)."""
    out: dict[str, Timing] = {}
    for t in timings:
        seen = out.get(t.step)
        if seen is None or (bool(t.problem), t.seconds) > (bool(seen.problem), seen.seconds):
            out[t.step] = t
    return out


# Below this many seconds a ratio of two timings says more about the clock than about growth.
GROWTH_FLOOR = 0.05


def growth(full: list[Timing], half: list[Timing]) -> dict[str, float]:
    """By step: its worst time over its time on the same shape at half the size. Linear work
    doubles (about 2), quadratic work quadruples (about 4)."""
    halves = {(t.step, t.shape): t for t in half}
    out: dict[str, float] = {}
    for step, t in worst(full).items():
        other = halves.get((step, t.shape))
        timed_well = t.seconds > GROWTH_FLOOR and not t.problem and other is not None
        if timed_well and other is not None and not other.problem and other.seconds > 0:
            out[step] = t.seconds / other.seconds
    return out


def table(timings: list[Timing], ratios: dict[str, float], cap: float) -> list[str]:
    slowest = worst(timings)
    lines = ["| Step | Worst (s) | Shape | Growth at twice the size | Note |", "|---|---:|---|---:|---|"]
    for t in sorted(slowest.values(), key=lambda t: -t.seconds):
        ratio = f"{ratios[t.step]:.1f}x" if t.step in ratios else "-"
        lines.append(f"| {t.step} | {_seconds(t, cap)} | {t.shape} | {ratio} | {_note(t)} |")
    over = [t for t in timings if t.seconds > TARGET or t.problem]
    lines += [
        "",
        f"{len(slowest)} steps; {len({t.step for t in over})} over the {TARGET} s target or failing. "
        f"Growth (for steps whose worst time is over {GROWTH_FLOOR} s): that time over the time of "
        "the same shape at half the size; about 2x is linear, 4x quadratic.",
    ]
    if over:
        lines += ["", "Every step and shape over the target or failing:", ""]
        lines += [f"- {t.step} on {t.shape}: {_seconds(t, cap)} s {_note(t)}" for t in over]
    return lines


def _seconds(t: Timing, cap: float) -> str:
    return f">{cap:g}" if t.problem == "cut off" else f"{t.seconds:.3f}"


def _note(t: Timing) -> str:
    over = "over target" if t.seconds > TARGET else ""
    return "; ".join(n for n in (over, t.problem) if n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.adversarial", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", type=int, default=SIZE, help="characters of repetition per page")
    parser.add_argument("--cap", type=float, default=CAP, help="seconds before a measurement is cut off")
    parser.add_argument("--only", default="", help="only shapes whose name contains this")
    args = parser.parse_args(argv)
    adversarial(args.size, args.cap, args.only)


def adversarial(size: int = SIZE, cap: float = CAP, only: str = "") -> None:
    """Print the table: every shape at `size`, then the slow ones again at half of it."""
    print(f"Adversarial pages of {size:,} characters; target: every step under {TARGET} s.")

    def show(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    timings = run(size, cap, lambda shape: only in shape.name, show)
    slow = {t.shape for t in worst(timings).values() if t.seconds > GROWTH_FLOOR and not t.problem}
    half = run(size // 2, cap, lambda shape: shape.name in slow, show)
    print("\n".join(table(timings, growth(timings, half), cap)))


if __name__ == "__main__":
    main()
