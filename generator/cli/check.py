"""`kb check` (and `kb check --fix`)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from generator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    color,
    config_of,
    config_option,
    progress,
    today_of,
    today_option,
    write,
)
from generator.output.check import FORMATS
from generator.output.check import text as text_format
from generator.pipeline import check as checker
from generator.pipeline.check import fix as fixer
from generator.rules import unknown

# Progress only for checks long enough to wait for: a bar on a terminal, a few plain lines in CI.
CHECK_PROGRESS_MIN = 1000


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--select", "selected", multiple=True, help="Only these rules: code, prefix (KB1) or alias.")
@click.option("--no-cache", is_flag=True, help="Check every file again; ignore and leave .kb-cache/ alone.")
@click.option(
    "--fix", "apply_fixes", is_flag=True, help="First fix what rules can fix (see kb rules), then check."
)
@config_option
@today_option
def check_command(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    selected: tuple[str, ...],
    no_cache: bool,
    apply_fixes: bool,
    config_path: str | None,
    today: str | None,
) -> None:
    """Check articles (default: all of kb_source/). Exit 1 when there is an error finding."""
    config = config_of(config_path)
    if problems := unknown(selected):
        raise click.BadParameter("; ".join(problems), param_hint="--select")
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATHS")
    source = config.source_path.resolve()
    outside = [str(p) for p in paths if not p.resolve().is_relative_to(source)]
    if outside:
        raise click.BadParameter(
            f"{', '.join(outside)}: not in {config.source_dir}/, the only folder kb check reads",
            param_hint="PATHS",
        )
    if apply_fixes:
        fixed = fixer.fix(config, paths, selected)
        for done in fixed:
            click.echo(f"{done.path}: fixed {', '.join(done.codes)}", err=True)
        if not fixed:
            click.echo("kb: nothing to fix", err=True)
    with contextlib.ExitStack() as stack:
        shown = progress(stack, _plain(), least=CHECK_PROGRESS_MIN)
        result = checker.check(
            config,
            today_of(today),
            paths,
            selected,
            use_cache=not no_cache,
            progress=lambda done, total: shown(done, total, "checking"),
        )
    if fmt == "text" and output is None:
        click.echo(text_format.emit(result, color=color(sys.stdout)), nl=False, color=color(sys.stdout))
    else:
        write(FORMATS[fmt](result), output, text_format.summary(result))
    sys.exit(EXIT_FINDINGS if result.errors else EXIT_OK)


def _plain() -> object:
    """In CI: a line at each tenth of a large check."""
    printed: set[int] = set()

    def plain(done: int, total: int, message: str) -> None:
        tenth = done * 10 // max(total, 1)
        if total >= CHECK_PROGRESS_MIN and tenth not in printed and 0 < done < total:
            printed.add(tenth)
            click.echo(f"kb: checked {done}/{total} files", err=True)

    return plain
