"""How often each rule is right on real articles (issue 21): a hand-judged sample of `kb check`
findings from the shared corpora, and the measure that checks the judged files again.

The set is tests/precision/judged.tsv: one finding a row, judged right, wrong or debatable by an
editor, with a reason (tests/precision/README.md has the criteria and how to add a sample).
`python -m benchmarks --precision` wraps the judged files as benchmarks.corpora does (with every
page they link to, so that link and anchor rules see what they saw), checks them, and prints per
rule: the verdicts, the judged-wrong findings still reported, the judged-right ones lost, the
precision and the share right or debatable, against the issue's targets; it writes the table into
its own section of benchmarks/RESULTS.md.

    python -m benchmarks.precision draw --sample NAME [--seed 21] [--cap 20]   # a new sample to judge
    python -m benchmarks.precision context FILE.tsv [--rule KB116]            # text around each row
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import CORPORA, HERE, OUT, RESULTS, TODAY, kb
from benchmarks.corpora import FRONT, articles, body_of

if TYPE_CHECKING:
    from benchmarks.precision_report import RuleResult

PRECISION = HERE.parent / "tests" / "precision"
JUDGED = PRECISION / "judged.tsv"  # the baseline sample
FRESH = PRECISION / "fresh.tsv"  # samples drawn after rules changed, judged the same way
VERDICTS = ("right", "wrong", "debatable")
SECTION = "## Precision on real articles (issue 21)"
FRONT_LINES = FRONT.count("\n")  # lines of our front matter above each wrapped body
ERROR_TARGET = 0.95  # an error rule: at least this share judged right
WARNING_TARGET = 0.80  # a warning rule: at least this share judged right or debatable
# Rules with one finding per page: a finding of the rule in the same file is the same finding,
# wherever its line moves (KB401 reports the page's grade at its first line of prose).
PAGE_RULES = frozenset({"KB401"})
# Rules about what the site's renderer makes of a block: `context` shows both renderings.
RENDER_RULES = frozenset({"KB115", "KB116", "KB117", "KB118", "KB119"})
EXCERPT_BEFORE, EXCERPT_CHARS = 20, 100


@dataclass(frozen=True)
class Judged:
    """One row of the set. `line` is the line in the corpus file as it is (its own front matter
    included), `column` as `kb check` reported it; `message` is the message as it was."""

    sample: str  # name of the sample the row was drawn in, e.g. baseline-2026-12-05
    draw: int  # its place in the rule's shuffled findings (1 = first drawn)
    file: str  # relative to the corpora folder
    rule: str
    severity: str
    line: int
    column: int
    message: str
    excerpt: str  # the reported line's text from a little before the column, spaces collapsed
    verdict: str  # right, wrong, debatable ("" until judged)
    reason: str


FIELDS = tuple(f.name for f in fields(Judged))


def _cell(value: object) -> str:
    return re.sub(r"[\t\r\n]+", " ", str(value))


def read_judged(path: Path = JUDGED) -> list[Judged]:
    """The rows of a judged set: tab-separated, a header line of FIELDS, no quoting."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != FIELDS:
        raise ValueError(f"{path}: the first line must be the header {' '.join(FIELDS)}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(FIELDS):
            raise ValueError(f"{path}:{number}: {len(cells)} cells, not {len(FIELDS)}")
        record = dict(zip(FIELDS, cells, strict=True))
        rows.append(
            Judged(
                **{
                    **record,
                    "draw": int(record["draw"]),
                    "line": int(record["line"]),
                    "column": int(record["column"]),
                }
            )
        )
    return rows


def write_judged(path: Path, rows: Iterable[Judged]) -> None:
    out = ["\t".join(FIELDS)]
    out += ["\t".join(_cell(getattr(row, name)) for name in FIELDS) for row in rows]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# -- the corpus files as `copy_wrapped` writes them ------------------------------------------------


def corpus_text(path: Path) -> str:
    """A corpus file's text as benchmarks.corpora reads it."""
    return path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def own_front_lines(text: str) -> int:
    """How many lines of its own front matter `body_of` drops from a corpus file."""
    return text.count("\n") - body_of(text).count("\n")


def corpus_line(wrapped_line: int, text: str) -> int:
    """The line of the corpus file that is `wrapped_line` of its wrapped copy."""
    return wrapped_line - FRONT_LINES + own_front_lines(text)


def excerpt(text: str, line: int, column: int) -> str:
    """The text of `line` (of the corpus file) from a little before `column`, spaces collapsed."""
    lines = text.split("\n")
    raw = lines[line - 1] if 1 <= line <= len(lines) else ""
    start = max(0, column - 1 - EXCERPT_BEFORE)
    return " ".join(raw[start:].split())[:EXCERPT_CHARS]


def _normal(text: str) -> str:
    return " ".join(text.split())


_MD_TARGET = re.compile(r"[^\s()<>\[\]\"'`|]+?\.md\b")


def linked_pages(rel: str, text: str, corpora: Path) -> set[str]:
    """Corpus files (relative paths) that `text`, the file `rel`, names by a relative .md path."""
    here = (corpora / rel).parent
    out = set()
    for target in set(_MD_TARGET.findall(text)):
        if "://" in target or target.startswith("/"):
            continue
        path = (here / target).resolve()
        if path.is_file() and path.is_relative_to(corpora.resolve()):
            out.add(path.relative_to(corpora.resolve()).as_posix())
    return out


def wrap(files: Iterable[str], root: Path, corpora: Path = CORPORA, config: Path | None = None) -> None:
    """A project at `root` holding `files` (relative to `corpora`) and every page they link to,
    each wrapped exactly as `copy_wrapped` wraps it (the same id number)."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = {p.relative_to(corpora).as_posix(): n for n, p in enumerate(articles(corpora))}
    wanted = set(files)
    for rel in sorted(wanted):
        wanted |= linked_pages(rel, corpus_text(corpora / rel), corpora)
    for rel in sorted(wanted & numbers.keys()):
        target = root / "kb_source" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = FRONT.format(n=numbers[rel]) + body_of(corpus_text(corpora / rel))
        target.write_text(text, encoding="utf-8")
    shutil.copyfile(config or HERE.parent / "site_config.yml", root / "site_config.yml")


@dataclass(frozen=True)
class Found:
    """A finding of a run, placed in the corpus file."""

    file: str
    rule: str
    severity: str
    line: int  # in the corpus file
    column: int
    message: str
    text: str  # the reported line of the corpus file, spaces collapsed
    named: frozenset[int] = frozenset()  # lines of the corpus file the message names ("lines 54-56")


_NAMED = re.compile(r"\blines?\s+(\d+(?:\s*(?:[-\u2013]|,|and|to)\s*\d+)*)", re.IGNORECASE)


def named_lines(message: str, offset: int) -> frozenset[int]:
    """The lines a message names ("line 54", "lines 54, 55 and 58", "lines 54-56"), each plus
    `offset` (the message counts lines of the wrapped copy)."""
    out: set[int] = set()
    for match in _NAMED.finditer(message):
        numbers = re.findall(r"\d+|[-\u2013]|\bto\b", match.group(1))
        for i, token in enumerate(numbers):
            if token.isdigit():
                out.add(int(token))
            elif 0 < i < len(numbers) - 1:
                out.update(range(int(numbers[i - 1]), int(numbers[i + 1]) + 1))
    return frozenset(n + offset for n in out)


def check(root: Path, corpora: Path = CORPORA, select: Sequence[str] = ()) -> tuple[list[Found], float]:
    """`kb check --no-cache --format json` in the project at `root`: its findings in corpus files,
    and the seconds it took."""
    chosen = [arg for code in select for arg in ("--select", code)]
    run = kb(["check", "--no-cache", "--format", "json", "--today", TODAY, *chosen], root)
    return found(json.loads(run.stdout)["findings"], corpora), run.seconds


def found(report: Iterable[dict[str, object]], corpora: Path = CORPORA) -> list[Found]:
    """The findings of a JSON report of a wrapped project, placed in the corpus files."""
    texts: dict[str, str] = {}
    out = []
    for f in report:
        rel = str(f["path"]).removeprefix("kb_source/")
        if rel not in texts:
            texts[rel] = corpus_text(corpora / rel)
        text = texts[rel]
        wrapped = int(str(f["line"]))
        line = corpus_line(wrapped, text)
        offset = line - wrapped
        lines = text.split("\n")
        raw = lines[line - 1] if 1 <= line <= len(lines) else ""
        out.append(
            Found(
                rel,
                str(f["rule"]),
                str(f["severity"]),
                line,
                int(str(f["column"])),
                str(f["message"]),
                _normal(raw),
                named_lines(str(f["message"]), offset),
            )
        )
    return out


# -- drawing a sample ------------------------------------------------------------------------------


def draw(
    findings: Sequence[Found], sample: str, seed: int, cap: int, corpora: Path = CORPORA
) -> list[Judged]:
    """Up to `cap` findings of each rule, at random: the rule's findings in a fixed order, shuffled
    by a generator seeded with `seed` and the rule's code, the first `cap` taken (so a smaller cap
    with the same seed draws the first rows of a larger one). Verdicts are left empty."""
    by_rule: dict[str, list[Found]] = {}
    for f in sorted(findings, key=lambda f: (f.rule, f.file, f.line, f.column, f.message)):
        by_rule.setdefault(f.rule, []).append(f)
    rows = []
    for rule, items in sorted(by_rule.items()):
        shuffled = list(items)
        random.Random(f"{seed}:{rule}").shuffle(shuffled)
        for n, f in enumerate(shuffled[:cap], start=1):
            text = corpus_text(corpora / f.file)
            at = excerpt(text, f.line, f.column)
            rows.append(
                Judged(sample, n, f.file, f.rule, f.severity, f.line, f.column, f.message, at, "", "")
            )
    return rows


# -- measuring -------------------------------------------------------------------------------------


def still_reported(row: Judged, now: Sequence[Found], judged_here: int) -> bool:
    """Whether a new run still reports the judged `row`, given `now`, its findings of the row's rule
    in the row's file, and `judged_here`, how many judged rows of that rule the file has. A finding
    is the row when it is on the row's line, or its message names that line ("lines 54-56": one
    finding for a whole list), or the line it is on, within NEARBY_TEXT lines, holds the row's
    excerpt (lines moved; farther, the same text repeated elsewhere in the page is another
    finding, as a page's closing bullets after each of its procedures are), or it
    has the row's message and is the only finding of the rule in the file, then and now (messages
    such as "sentence has 30 words" name nothing), or it quotes the same thing as the row's
    message, a few lines away. For a page rule (KB401), the file is enough."""
    if row.rule in PAGE_RULES and now:
        return True
    quoted = _QUOTED.search(row.message)
    for f in now:
        if f.line == row.line or row.line in f.named:
            return True
        if row.excerpt and _normal(row.excerpt) in f.text and abs(f.line - row.line) <= NEARBY_TEXT:
            return True
        if quoted and abs(f.line - row.line) <= NEARBY and quoted.group(0) in f.message:
            return True  # the same link or value, now at its own line in the paragraph
    return len(now) == 1 and judged_here == 1 and now[0].message == row.message


# A finding that quotes what it is about ('across-faq.yml', '#opex') and was reported at its
# paragraph's first line is the same finding when it moves, within this many lines, to the line
# the link is really on.
_QUOTED = re.compile(r"'[^']{3,}'")
NEARBY = 20
NEARBY_TEXT = 5


@dataclass
class Score:
    rule: str
    severity: str
    sample: str = ""
    right: int = 0
    wrong: int = 0
    debatable: int = 0
    wrong_reported: int = 0  # judged wrong, still reported
    right_lost: int = 0  # judged right, no longer reported
    reported: int = 0  # judged findings still reported
    right_reported: int = 0
    debatable_reported: int = 0

    @property
    def judged(self) -> int:
        return self.right + self.wrong + self.debatable

    @property
    def precision(self) -> float:
        return self.right / self.judged if self.judged else 0.0

    @property
    def right_or_debatable(self) -> float:
        return (self.right + self.debatable) / self.judged if self.judged else 0.0

    @property
    def target(self) -> str:
        if self.severity == "error":
            return f"right >= {ERROR_TARGET:.0%}"
        return f"right or debatable >= {WARNING_TARGET:.0%}"

    @property
    def met(self) -> bool:
        share = self.precision if self.severity == "error" else self.right_or_debatable
        return share >= (ERROR_TARGET if self.severity == "error" else WARNING_TARGET) and not self.right_lost


def measure(rows: Sequence[Judged], findings: Sequence[Found]) -> list[Score]:
    """Per rule: the verdicts of `rows` (of one sample), and which of them `findings` (a new run)
    still reports. A rule's severity is the one the new run reports it with, else the one it was
    judged at."""
    by_key: dict[tuple[str, str], list[Found]] = {}
    for f in findings:
        by_key.setdefault((f.file, f.rule), []).append(f)
    severity = {f.rule: f.severity for f in findings}
    judged = Counter((row.file, row.rule) for row in rows)
    scores: dict[str, Score] = {}
    for row in rows:
        score = scores.setdefault(row.rule, Score(row.rule, severity.get(row.rule, row.severity), row.sample))
        setattr(score, row.verdict, getattr(score, row.verdict) + 1)
        key = (row.file, row.rule)
        still = still_reported(row, by_key.get(key, []), judged[key])
        score.reported += still
        score.wrong_reported += still and row.verdict == "wrong"
        score.right_reported += still and row.verdict == "right"
        score.debatable_reported += still and row.verdict == "debatable"
        score.right_lost += not still and row.verdict == "right"
    return [scores[rule] for rule in sorted(scores)]


def write_section(results: Path, lines: Sequence[str]) -> None:
    """Put `lines` (a `## ` section) into `results` in place of the section of the same title, or at
    its end; the other sections stay as they are."""
    text = results.read_text(encoding="utf-8") if results.is_file() else ""
    heading = lines[0]
    parts = re.split(r"(?m)^(?=## )", text)
    body = "\n".join(lines).rstrip("\n") + "\n"
    kept = [p for p in parts if p.split("\n", 1)[0].rstrip() != heading]
    if len(kept) != len(parts):
        index = next(i for i, p in enumerate(parts) if p.split("\n", 1)[0].rstrip() == heading)
        parts[index] = body + ("\n" if index < len(parts) - 1 else "")
        new = "".join(parts)
    else:
        new = text.rstrip("\n") + "\n\n" + body if text.strip() else body
    results.write_text(new, encoding="utf-8")


def precision(
    judged: Sequence[Path] | Path = (JUDGED, FRESH),
    results: Path | None = RESULTS,
    corpora: Path = CORPORA,
) -> list[RuleResult]:
    """Check the judged files of every sample again, print the table (each rule on its latest
    sample, benchmarks.precision_report), and write it into `results` (None: print only); with the
    default `results`, also the data file `kb rules` reads (benchmarks.precision_data), so that a
    trial run elsewhere does not change what `kb rules` says."""
    from benchmarks.precision_data import write_data
    from benchmarks.precision_report import report, results_of

    paths = [judged] if isinstance(judged, Path) else [p for p in judged if p.is_file()]
    rows = [r for path in paths for r in read_judged(path) if r.verdict]
    files = sorted({r.file for r in rows})
    root = OUT / "precision"
    shutil.rmtree(root, ignore_errors=True)
    wrap(files, root, corpora)
    findings, seconds = check(root, corpora)
    wanted = set(files)
    now = [f for f in findings if f.file in wanted]
    order = list(dict.fromkeys(r.sample for r in rows))
    scores: dict[str, list[Score]] = {}
    for sample in order:
        for score in measure([r for r in rows if r.sample == sample], now):
            scores.setdefault(score.rule, []).append(score)
    found = results_of(scores, order)
    lines = report(rows, found, len(files), seconds, paths)
    print("\n".join(lines))
    if results is not None:
        write_section(results, lines)
    if results == RESULTS:
        write_data(found)
    return found


# -- `python -m benchmarks.precision draw | context` -----------------------------------------------


def _draw_command(args: argparse.Namespace) -> None:
    root = OUT / "precision-draw"
    shutil.rmtree(root, ignore_errors=True)
    from benchmarks.corpora import copy_wrapped

    copy_wrapped(args.corpora, root, HERE.parent / "site_config.yml")
    findings, seconds = check(root, args.corpora, args.select)
    rows = draw(findings, args.sample, args.seed, args.cap, args.corpora)
    write_judged(args.out, rows)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    print(f"{len(findings)} findings in {seconds:.1f} s; drew {len(rows)} into {args.out}")
    for rule, n in sorted(counts.items()):
        print(f"  {rule}: {n} findings, drew {sum(r.rule == rule for r in rows)}")


def _render(text: str) -> tuple[str, str]:
    from markdown_it import MarkdownIt

    from generator.mdparse import flatten_admonitions
    from generator.pymd import converter

    site = converter(None).convert(text)
    common = MarkdownIt("commonmark", {"html": True}).enable("table").render(flatten_admonitions(text))
    return site, common


def _block(lines: list[str], line: int) -> tuple[int, int]:
    """The lines (first, last; 1-based) of the section around `line`: from the heading above it to
    the next heading, at most 40 lines either side."""
    first = line
    while first > 1 and line - first < 40 and not lines[first - 2].startswith("#"):
        first -= 1
    last = line
    while last < len(lines) and last - line < 40 and not lines[last].startswith("#"):
        last += 1
    return first, last


def _context_command(args: argparse.Namespace) -> None:
    rows = [r for r in read_judged(args.file) if not args.rule or r.rule == args.rule]
    for number, row in enumerate(rows, start=1):
        lines = corpus_text(args.corpora / row.file).split("\n")
        print(f"=== {number} {row.rule} {row.file}:{row.line}:{row.column} [{row.verdict or 'unjudged'}]")
        print(f"    {row.message}")
        for n in range(max(1, row.line - args.before), min(len(lines), row.line + args.after) + 1):
            print(f"{'>' if n == row.line else ' '}{n:5} {lines[n - 1]}")
        if row.rule in RENDER_RULES:
            first, last = _block(lines, row.line)
            site, common = _render("\n".join(lines[first - 1 : last]))
            print(f"--- site (Python-Markdown), lines {first}-{last}:\n{site}\n--- CommonMark:\n{common}")
        print()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.precision", description=__doc__)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    sub = parser.add_subparsers(dest="command", required=True)
    drawing = sub.add_parser("draw", help="check the wrapped corpora and draw a sample to judge")
    drawing.add_argument("--sample", required=True, help="the sample's name, e.g. kb402-states-2026-12-10")
    drawing.add_argument("--seed", type=int, default=21)
    drawing.add_argument("--cap", type=int, default=20, help="findings drawn per rule at most")
    drawing.add_argument("--out", type=Path, default=PRECISION / "new-sample.tsv")
    drawing.add_argument(
        "--select",
        action="append",
        default=[],
        help="only these rules (kb check --select; a rule's findings do not depend on the others)",
    )
    context = sub.add_parser("context", help="print the text around each row of a set")
    context.add_argument("file", type=Path)
    context.add_argument("--rule", default="")
    context.add_argument("--before", type=int, default=3)
    context.add_argument("--after", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "draw":
        _draw_command(args)
    else:
        _context_command(args)


if __name__ == "__main__":
    main(sys.argv[1:])
