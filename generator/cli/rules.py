"""`kb rules`."""

from __future__ import annotations

import os
import sys

import click

from generator.output.rules import precision_lines, reference
from generator.rules import select, unknown


@click.command("rules")
@click.argument("selected", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules_command(selected: tuple[str, ...], fmt: str) -> None:
    """List every rule with its code, alias, default severity, how often it was right on real
    articles (measured by `python -m benchmarks --precision`) and documentation."""
    if problems := unknown(selected):
        raise click.BadParameter("; ".join(problems), param_hint="SELECTED")
    measured = precision_lines()
    if fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        # On a terminal the documentation reads as formatted text, not as Markdown source.
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(reference(select(selected), markdown=True, precision=measured)))
        return
    click.echo(reference(select(selected), markdown=fmt == "markdown", precision=measured), nl=False)
