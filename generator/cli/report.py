"""`kb report freshness|health|translations`: each report from what was loaded (and, for health,
what the check found), written in the chosen format."""

from __future__ import annotations

import click

from generator.cli.common import config_of, config_option, today_of, today_option
from generator.output import freshness as freshness_output
from generator.output import health as health_output
from generator.output import translations as translations_output
from generator.pipeline import check as checker
from generator.pipeline.load import load_site
from generator.reports.freshness import freshness
from generator.reports.health import health
from generator.reports.translations import translations


@click.group("report")
def report_group() -> None:
    """Reports on the help center: review schedule, health and translations."""


@report_group.command("freshness")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(freshness_output.FORMATS)),
    default="text",
    show_default=True,
)
@click.option("--owner", help="Only pages this owner keeps.")
@config_option
@today_option
def report_freshness_command(fmt: str, owner: str | None, config_path: str | None, today: str | None) -> None:
    """Overdue and due-soon reviews, grouped by owner, oldest first."""
    config = config_of(config_path)
    result = freshness(config, today_of(today), load_site(config), owner)
    click.echo(freshness_output.FORMATS[fmt](result), nl=False)


@report_group.command("health")
@click.option(
    "--format", "fmt", type=click.Choice(list(health_output.FORMATS)), default="text", show_default=True
)
@config_option
@today_option
def report_health_command(fmt: str, config_path: str | None, today: str | None) -> None:
    """Per category and overall: pages, findings by rule, share clean, reading grade, owners."""
    config, day = config_of(config_path), today_of(today)
    result, articles = checker.check_and_load(config, day)
    click.echo(health_output.FORMATS[fmt](health(config, day, result, articles)), nl=False)


@report_group.command("translations")
@click.option(
    "--format", "fmt", type=click.Choice(list(translations_output.FORMATS)), default="text", show_default=True
)
@click.option("--audience", type=click.Choice(["public", "internal"]), help="Only pages of this audience.")
@config_option
def report_translations_command(fmt: str, audience: str | None, config_path: str | None) -> None:
    """Per language: missing translations and translations older than their source."""
    config = config_of(config_path)
    click.echo(translations_output.FORMATS[fmt](translations(config, load_site(config), audience)), nl=False)
