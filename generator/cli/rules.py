"""`kb rules`."""

from __future__ import annotations

import click

from generator.output.rules import reference
from generator.rules import select


@click.command("rules")
@click.argument("selected", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules_command(selected: tuple[str, ...], fmt: str) -> None:
    """List every rule with its code, alias, default severity and documentation."""
    click.echo(reference(select(selected), markdown=fmt == "markdown"), nl=False)
