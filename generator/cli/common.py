"""What every command shares: exit codes, the --config and --today options, reading the
configuration, colour, progress on a terminal or in CI, and writing a report."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from generator.config import ConfigError, SiteConfig, find_config, load_config

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="site_config.yml to use."
)
today_option = click.option("--today", help="Date to check against (YYYY-MM-DD); default: today.")


def today_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--today") from exc


def config_of(path: str | None) -> SiteConfig:
    config_path = Path(path) if path else find_config(Path.cwd())
    if config_path is None:
        raise click.UsageError("no site_config.yml here or above; run from the project or pass --config")
    try:
        return load_config(config_path)
    except ConfigError as exc:
        click.echo(f"kb: configuration error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def color(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()  # type: ignore[attr-defined]


def write(report: str, output: Path | None, summary: str) -> None:
    """A report to `output` (and its one-line summary to stderr), or to stdout."""
    if output is not None:
        output.write_text(report, encoding="utf-8")
        click.echo(summary, err=True)
    else:
        click.echo(report, nl=False)


# progress(done, total, message)
Progress = Callable[[int, int, str], None]


def progress(stack: contextlib.ExitStack, plain: Progress, least: int = 0) -> Progress:
    """How a long command shows progress: a bar on a terminal from the first update with a total
    of at least `least`; `plain` lines anywhere else (CI, a log file, a pipe), so a long run is
    never silent until it ends."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return plain
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
    tasks: list[object] = []

    def update(done: int, total: int, message: str) -> None:
        if total < least:
            return
        if not tasks:
            stack.enter_context(bar)
            tasks.append(bar.add_task(message, total=total))
        bar.update(tasks[0], completed=done, total=total, description=message)  # type: ignore[arg-type]

    return update
