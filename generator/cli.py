"""The `kb` command: a thin click layer over plain functions. Only this module prints."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from generator import checker
from generator.config import ConfigError, SiteConfig, find_config, load_config
from generator.emitters import EMITTERS
from generator.emitters import text as text_emitter
from generator.rules import select

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--today") from exc


def _config(path: str | None) -> SiteConfig:
    config_path = Path(path) if path else find_config(Path.cwd())
    if config_path is None:
        raise click.UsageError("no site_config.yml here or above; run from the project or pass --config")
    try:
        return load_config(config_path)
    except ConfigError as exc:
        click.echo(f"kb: configuration error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _color(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()  # type: ignore[attr-defined]


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="site_config.yml to use."
)
today_option = click.option("--today", help="Date to check against (YYYY-MM-DD); default: today.")


class _Group(click.Group):
    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # click exits 2 on usage errors already; this keeps unexpected errors from printing a
        # traceback to a writer while still saying what happened.
        try:
            return super().main(*args, **kwargs)
        except (OSError, RuntimeError) as exc:
            click.echo(f"kb: {exc}", err=True)
            sys.exit(EXIT_USAGE)


@click.group(cls=_Group)
@click.version_option(package_name="kb-generator")
def main() -> None:
    """Check, build and publish the help center in kb_source/."""


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(EMITTERS)), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--select", "selected", multiple=True, help="Only these rules: code, prefix (KB1) or alias.")
@config_option
@today_option
def check_command(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    selected: tuple[str, ...],
    config_path: str | None,
    today: str | None,
) -> None:
    """Check articles (default: all of kb_source/). Exit 1 when there is an error finding."""
    config = _config(config_path)
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATHS")
    result = checker.check(config, _today(today), paths, selected)
    if fmt == "text" and output is None:
        click.echo(text_emitter.emit(result, color=_color(sys.stdout)), nl=False, color=_color(sys.stdout))
    else:
        report = EMITTERS[fmt](result)
        if output is not None:
            output.write_text(report, encoding="utf-8")
            click.echo(text_emitter.summary(result), err=True)
        else:
            click.echo(report, nl=False)
    sys.exit(EXIT_FINDINGS if result.errors else EXIT_OK)


@main.command("rules")
@click.argument("selected", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules_command(selected: tuple[str, ...], fmt: str) -> None:
    """List every rule with its code, alias, default severity and documentation."""
    from generator.report import rules_reference

    click.echo(rules_reference(select(selected), markdown=fmt == "markdown"), nl=False)


if __name__ == "__main__":
    main()
