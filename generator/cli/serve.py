"""`kb serve`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import color, config_of, config_option, today_of, today_option
from generator.config import CONFIG_NAME, ConfigError
from generator.output.check import text as text_format
from generator.pipeline.render.renderer import RenderError
from generator.pipeline.stage import StageError


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@config_option
@today_option
def serve_command(port: int, config_path: str | None, today: str | None) -> None:
    """Preview the internal site, rebuilt and reloaded whenever a file in kb_source/ changes."""
    from generator.serve import PreviewEvent, serve

    config = config_of(config_path)

    def show(event: PreviewEvent) -> None:
        click.echo(event.message, err=not event.ok)
        if event.result is not None and event.result.findings:
            click.echo(text_format.emit(event.result, color=color(sys.stdout)), nl=False)

    try:
        serve(Path(config_path) if config_path else config.root / CONFIG_NAME, today_of(today), port, show)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    except (ConfigError, StageError, RenderError) as exc:
        # Nothing could be staged at all (a category icon the theme lacks): no preview to show.
        raise click.UsageError(f"cannot preview: {exc}") from exc
