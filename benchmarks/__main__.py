"""`python -m benchmarks`: time `kb check` and `kb build` on generated corpora; write RESULTS.md.

Every timing is wall-clock of a fresh `python -m generator ...` process (interpreter start-up
included), on corpora written by benchmarks.corpus under benchmarks/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.adversarial import adversarial
from benchmarks.build import bench_build, bench_plain, bench_search, build_table, search_table
from benchmarks.check import bench_check, check_table, costs
from benchmarks.common import CORPORA, OUT, PLAIN_SIZE, RESULTS, machine
from benchmarks.precision import FRESH, JUDGED, precision
from benchmarks.real import bench_corpora, corpora_table
from benchmarks.serve import SERVE_SIZE, bench_serve, serve_table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for kb check")
    parser.add_argument("--build-sizes", default="250,1000,4000", help="corpus sizes for kb build")
    parser.add_argument("--skip-build", action="store_true", help="time kb check only")
    parser.add_argument("--plain-size", type=int, default=PLAIN_SIZE, help="articles for plain Material")
    parser.add_argument("--corpora", action="store_true", help=f"also check the real corpora in {CORPORA}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (medians shown)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write")
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="only print each rule's worst time on 100 KB of adversarial text (benchmarks.adversarial)",
    )
    parser.add_argument(
        "--precision",
        action="store_true",
        help="only check the judged findings again and write their precision table (benchmarks.precision)",
    )
    parser.add_argument(
        "--judged",
        type=Path,
        nargs="+",
        default=[JUDGED, FRESH],
        help="the judged samples --precision reads, oldest first",
    )
    parser.add_argument(
        "--serve-size", type=int, default=SERVE_SIZE, help="articles for kb serve timings (0: skip)"
    )
    parser.add_argument(
        "--serve-only", action="store_true", help="only kb serve and incremental builds (benchmarks.serve)"
    )
    parser.add_argument(
        "--search-only",
        type=int,
        metavar="N",
        help="only one public build of N articles and its first-query search download (benchmarks.build)",
    )
    args = parser.parse_args()
    if args.adversarial:
        adversarial()
        return
    if args.precision:
        precision(args.judged, args.results)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["# Benchmark results", "", f"Machine: {machine()}.", ""]
    lines += [
        f"Command: `python -m benchmarks {' '.join(sys.argv[1:])}`; date {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
    ]

    if args.search_only:
        section = search_table(args.search_only, *bench_search(args.search_only))
        print("\n".join(section))
        _replace_section(section, args.results)
        return
    if args.serve_only:
        section = serve_table(bench_serve(args.serve_size, args.repeat))
        print("\n".join(section))
        _replace_section(section, args.results)
        return
    rows = [bench_check(int(n), args.repeat) for n in args.sizes.split(",") if n]
    if rows:
        lines += check_table(rows)
        spent = sorted(costs(rows[0].n).items(), key=lambda kv: -kv[1])
        lines += ["### Where the time goes (CPU ms per file, one process, 500 files)", ""]
        lines += ["| Step | ms/file |", "|---|---:|"]
        lines += [*(f"| {k} | {v:.2f} |" for k, v in spent if v >= 0.02), ""]
    if not args.skip_build:
        builds = [bench_build(int(n), args.repeat) for n in args.build_sizes.split(",") if n]
        lines += build_table(builds, bench_plain(args.plain_size, args.repeat))
    if not args.skip_build and args.serve_size:
        lines += serve_table(bench_serve(args.serve_size, args.repeat))
    if args.corpora:
        lines += corpora_table(bench_corpora())
    _write(lines, args.results)


def _replace_section(section: list[str], results: Path) -> None:
    """Put `section` (a `## ` heading and what follows) in place of the section of the same kind
    in `results`, or at its end: the other tables of a full run stay."""
    old = results.read_text(encoding="utf-8").splitlines() if results.is_file() else []
    kind = section[0].split(" at ")[0]
    start = next((i for i, line in enumerate(old) if line.startswith(kind)), len(old))
    end = next((i for i in range(start + 1, len(old)) if old[i].startswith("## ")), len(old))
    when = time.strftime("%Y-%m-%d %H:%M")
    note = f"Command: `python -m benchmarks {' '.join(sys.argv[1:])}`; date {when}."
    gap = [""] if start and old[start - 1] else []
    lines = [*old[:start], *gap, *section[:2], note, f"Machine: {machine()}.", "", *section[2:], *old[end:]]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write(lines: list[str], results: Path) -> None:
    text = "\n".join(lines) + "\n"
    print(text)
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
