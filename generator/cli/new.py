"""`kb new`."""

from __future__ import annotations

import sys

import click

from generator.cli.common import EXIT_FINDINGS, config_of, config_option, today_of, today_option


@click.command("new")
@click.argument("title")
@click.option("--category", required=True, help="Category id from site_config.yml.")
@click.option("--owner", required=True, help="Who keeps the article current.")
@click.option("--audience", type=click.Choice(["public", "internal"]), default="public", show_default=True)
@click.option("--id", "article_id", help="Page id (URL slug); default: made from the title.")
@click.option(
    "--type",
    "page_type",
    type=click.Choice(["article", "page"]),
    default="article",
    show_default=True,
    help="article: the seven parts; page: free-form (a playbook, a template).",
)
@config_option
@today_option
def new_command(
    title: str,
    category: str,
    owner: str,
    audience: str,
    article_id: str | None,
    page_type: str,
    config_path: str | None,
    today: str | None,
) -> None:
    """Create a seven-part article with TODO placeholders (KB111 reports them until replaced)."""
    from generator.model import Audience, PageType
    from generator.scaffold import NotAQuestion, ScaffoldError, UnknownCategory, new_article

    config = config_of(config_path)
    try:
        made = new_article(
            config,
            title,
            category,
            owner,
            today_of(today),
            Audience(audience),
            article_id,
            PageType(page_type),
        )
    except UnknownCategory as exc:
        raise click.BadParameter(str(exc), param_hint="--category") from exc
    except NotAQuestion as exc:
        raise click.BadParameter(str(exc), param_hint="TITLE") from exc
    except ScaffoldError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Created {made.path} (id: {made.id}). Replace every TODO, then run kb check.")
