"""`kb build`."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import click

from generator.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    Progress,
    color,
    config_of,
    config_option,
    progress,
    today_of,
    today_option,
)
from generator.output.check import text as text_format


@click.command("build")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True
)
@click.option(
    "--audience", type=click.Choice(["public", "internal", "all"]), default="all", show_default=True
)
@click.option("--emit-config", is_flag=True, help="Print the generated mkdocs.yml files and build nothing.")
@click.option(
    "--no-incremental",
    is_flag=True,
    help="Render every page again, not only those whose inputs changed since the last build.",
)
@config_option
@today_option
def build_command(
    out: Path,
    audience: str,
    emit_config: bool,
    no_incremental: bool,
    config_path: str | None,
    today: str | None,
) -> None:
    """Check, then build OUT/public and OUT/internal and publish them atomically.

    Any error finding stops the build: nothing is published and the live sites stay as they were.
    Pages whose inputs did not change since the last build are kept from it (.kb-cache/render/);
    the result is the same as rendering every page (--no-incremental)."""
    from generator.model import Audience
    from generator.pipeline import BuildError, BuildSystemError, build, emit_configs
    from generator.pipeline.publish import OutputRefused

    config = config_of(config_path)
    audiences = tuple(Audience) if audience == "all" else (Audience(audience),)
    day = today_of(today)
    try:
        if emit_config:
            for label, text in emit_configs(config, audiences).configs:
                click.echo(f"# ---- mkdocs.yml for {label} ----\n{text}", nl=False)
            return
        with contextlib.ExitStack() as stack:
            shown = progress(stack, _plain())
            result = build(config, day, out, audiences, progress=shown, incremental=not no_incremental)
    except OutputRefused as exc:  # an unsafe or busy --out: a usage problem, nothing was written
        click.echo(f"kb: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except BuildSystemError as exc:  # a full disk or a folder kb may not write: not the content
        click.echo(f"kb: build failed, the published site is unchanged: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except BuildError as exc:
        click.echo(f"kb: build failed, nothing published: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if result.check.findings:
        click.echo(text_format.emit(result.check, color=color(sys.stdout)), nl=False, color=color(sys.stdout))
    for note in result.notes:
        click.echo(f"kb: note: {note}", err=True)
    if not result.published:
        click.echo(
            f"kb: not built: {result.check.errors} error(s); the published site is unchanged", err=True
        )
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Built {result.pages} pages: {', '.join(str(p) for p in result.sites)}")


def _plain() -> Progress:
    """In CI: a line per step, with the time so far."""
    started = time.monotonic()

    def plain(step: int, total: int, message: str) -> None:
        click.echo(f"kb: [{step}/{total}] {message} ({time.monotonic() - started:.1f} s)", err=True)

    return plain
