"""`kb verify`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    config_of,
    config_option,
    today_of,
    today_option,
    write,
)


@click.command("verify")
@click.option(
    "--site", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
    help="Folder holding the built public/ and internal/ sites.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--no-links", is_flag=True, help="Skip the LinkChecker pass.")
@config_option
@today_option
def verify_command(
    site: Path, fmt: str, output: Path | None, no_links: bool, config_path: str | None, today: str | None
) -> None:
    """Prove a built site pair may be published: no internal content in any public file, every
    article present and searchable, links and anchors intact, no personal data or unsafe HTML.
    Exit 1 on any problem."""
    from generator.output.verify import FORMATS
    from generator.pipeline.verify import verify_sites

    config = config_of(config_path)
    if not site.is_dir():
        raise click.BadParameter(f"{site}: no such folder", param_hint="--site")
    absent = [name for name in ("public", "internal") if not (site / name / "index.html").is_file()]
    if absent:
        raise click.BadParameter(
            f"{site} holds no built {' or '.join(absent)} site: kb verify proves a pair; "
            "run kb build (both audiences) into it first",
            param_hint="--site",
        )
    result = verify_sites(site / "public", site / "internal", config, today_of(today), links=not no_links)
    write(FORMATS[fmt](result), output, FORMATS["text"](result).splitlines()[-1])
    sys.exit(EXIT_FINDINGS if result.problems else EXIT_OK)
