"""`kb report freshness|health|translations|reuse|search|search-gaps`: each report from what was loaded
(and, for health, what the check found; for search, the built site; for search-gaps, an exported
search log), written in the chosen format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_FINDINGS, EXIT_OK, config_of, config_option, today_of, today_option
from generator.output import freshness as freshness_output
from generator.output import health as health_output
from generator.output import reuse as reuse_output
from generator.output import translations as translations_output
from generator.pipeline import check as checker
from generator.pipeline.load import load_site
from generator.reports.freshness import freshness
from generator.reports.health import health
from generator.reports.reuse import reuse
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


@report_group.command("reuse")
@click.option(
    "--format", "fmt", type=click.Choice(list(reuse_output.FORMATS)), default="text", show_default=True
)
@config_option
def report_reuse_command(fmt: str, config_path: str | None) -> None:
    """Variables (_data/) and snippets (_snippets/), the articles that use each, and unused ones."""
    config = config_of(config_path)
    click.echo(reuse_output.FORMATS[fmt](reuse(config, load_site(config))), nl=False)


@report_group.command("search")
@click.option(
    "--site", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
    help="Folder holding the built public/ site (kb build --out).",
)  # fmt: skip
@click.option(
    "--queries", type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluation set to run instead of search.quality.queries.",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
def report_search_command(site: Path, queries: Path | None, fmt: str, config_path: str | None) -> None:
    """Run the search evaluation set against the built public site as its search boxes do: top-1
    and top-3 hit rates, mean reciprocal rank, queries that find nothing. Exit 1 when the figures
    miss search.quality in site_config.yml."""
    from generator.output.search import FORMATS
    from generator.reports.search import QueriesError, search_report

    config = config_of(config_path)
    public = site / "public"
    if not (public / "pagefind" / "pagefind.js").is_file():
        raise click.BadParameter(
            f"{site} holds no built public site with a search index: run kb build into it first",
            param_hint="--site",
        )
    try:
        result = search_report(config, public, queries)
    except QueriesError as err:
        raise click.UsageError(str(err)) from err
    click.echo(FORMATS[fmt](result), nl=False)
    sys.exit(EXIT_FINDINGS if result.failures else EXIT_OK)


@report_group.command("search-gaps")
@click.option(
    "--from", "source", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Exported search log: CSV (query, results, clicked, lang) or JSON lines.",
)  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
def report_search_gaps_command(source: Path, fmt: str, config_path: str | None) -> None:
    """Per language, the searches that found nothing and those whose results nobody chose, most
    frequent first: the articles writers may be missing."""
    from generator.output.search import GAP_FORMATS
    from generator.reports.search import QueriesError, search_gaps

    config = config_of(config_path)
    try:
        result = search_gaps(source, config.site.default_language)
    except QueriesError as err:
        raise click.UsageError(str(err)) from err
    click.echo(GAP_FORMATS[fmt](result), nl=False)


@report_group.command("feedback")
@click.option(
    "--from", "source", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Export of the 'Was this article helpful?' votes: CSV (page, vote, reason, date) or JSON lines.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@config_option
def report_feedback_command(source: Path, fmt: str, config_path: str | None) -> None:
    """Per article, how many readers found it helpful, least helpful first, with their reasons and
    the article's owner."""
    from generator.output.feedback import FORMATS
    from generator.reports.feedback import FeedbackError, feedback

    config = config_of(config_path)
    try:
        result = feedback(config, source, load_site(config))
    except FeedbackError as err:
        raise click.UsageError(str(err)) from err
    click.echo(FORMATS[fmt](result), nl=False)
