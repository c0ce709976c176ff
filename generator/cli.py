"""The `kb` command: a thin click layer over plain functions. Only this module prints."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from datetime import date
from pathlib import Path

import click

from generator import checker, fixer
from generator.config import CONFIG_NAME, ConfigError, SiteConfig, find_config, load_config
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
@click.option("--no-cache", is_flag=True, help="Check every file again; ignore and leave .kb-cache/ alone.")
@click.option(
    "--fix", "apply_fixes", is_flag=True, help="First fix what rules can fix (see kb rules), then check."
)
@config_option
@today_option
def check_command(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    selected: tuple[str, ...],
    no_cache: bool,
    apply_fixes: bool,
    config_path: str | None,
    today: str | None,
) -> None:
    """Check articles (default: all of kb_source/). Exit 1 when there is an error finding."""
    config = _config(config_path)
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATHS")
    if apply_fixes:
        for fixed in fixer.fix(config, paths, selected):
            click.echo(f"{fixed.path}: fixed {', '.join(fixed.codes)}", err=True)
    with contextlib.ExitStack() as stack:
        result = checker.check(
            config, _today(today), paths, selected, use_cache=not no_cache, progress=_check_progress(stack)
        )
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


# Progress only for checks long enough to wait for: a bar on a terminal, a few plain lines in CI.
CHECK_PROGRESS_MIN = 1000


def _check_progress(stack: contextlib.ExitStack) -> checker.Progress | None:
    if os.environ.get("CI"):
        printed: set[int] = set()

        def plain(done: int, total: int) -> None:
            tenth = done * 10 // max(total, 1)
            if total >= CHECK_PROGRESS_MIN and tenth not in printed and 0 < done < total:
                printed.add(tenth)
                click.echo(f"kb: checked {done}/{total} files", err=True)

        return plain
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        if total < CHECK_PROGRESS_MIN:
            return
        if "task" not in state:
            stack.enter_context(bar)
            state["task"] = bar.add_task("checking", total=total)
        bar.update(state["task"], completed=done, total=total)  # type: ignore[arg-type]

    return update


@main.command("rules")
@click.argument("selected", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules_command(selected: tuple[str, ...], fmt: str) -> None:
    """List every rule with its code, alias, default severity and documentation."""
    from generator.reports import rules_reference

    click.echo(rules_reference(select(selected), markdown=fmt == "markdown"), nl=False)


def _progress_callback(stack: contextlib.ExitStack):  # type: ignore[no-untyped-def]
    """A rich progress bar on a terminal; a plain line per step, with the time so far, in CI;
    nothing when output is piped elsewhere."""
    if os.environ.get("CI"):
        started = time.monotonic()

        def plain(step: int, total: int, message: str) -> None:
            click.echo(f"kb: [{step}/{total}] {message} ({time.monotonic() - started:.1f} s)", err=True)

        return plain
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    bar = stack.enter_context(
        Progress(TextColumn("{task.description}"), BarColumn(), console=Console(stderr=True), transient=True)
    )
    task = bar.add_task("building", total=1)

    def update(step: int, total: int, message: str) -> None:
        bar.update(task, completed=step - 1, total=total, description=message)

    return update


@main.command("build")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True
)
@click.option(
    "--audience", type=click.Choice(["public", "internal", "all"]), default="all", show_default=True
)
@click.option("--emit-config", is_flag=True, help="Print the generated mkdocs.yml files and build nothing.")
@config_option
@today_option
def build_command(
    out: Path, audience: str, emit_config: bool, config_path: str | None, today: str | None
) -> None:
    """Check, then build OUT/public and OUT/internal and publish them atomically.

    Any error finding stops the build: nothing is published and the live sites stay as they were."""
    from generator.model import Audience
    from generator.publish import OutputRefused
    from generator.render import BuildError, BuildSystemError, build_sites

    config = _config(config_path)
    audiences = tuple(Audience) if audience == "all" else (Audience(audience),)
    day = _today(today)
    try:
        with contextlib.ExitStack() as stack:
            result = build_sites(
                config, day, out, audiences, progress=_progress_callback(stack), emit_only=emit_config
            )
    except OutputRefused as exc:  # an unsafe or busy --out: a usage problem, nothing was written
        click.echo(f"kb: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except BuildSystemError as exc:  # a full disk or a folder kb may not write: not the content
        click.echo(f"kb: build failed, the published site is unchanged: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except BuildError as exc:
        click.echo(f"kb: build failed, nothing published: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if emit_config:
        for label, text in result.configs:
            click.echo(f"# ---- mkdocs.yml for {label} ----\n{text}", nl=False)
        return
    if result.check.findings:
        click.echo(
            text_emitter.emit(result.check, color=_color(sys.stdout)), nl=False, color=_color(sys.stdout)
        )
    for note in result.notes:
        click.echo(f"kb: note: {note}", err=True)
    if not result.published:
        click.echo(
            f"kb: not built: {result.check.errors} error(s); the published site is unchanged", err=True
        )
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Built {result.pages} pages: {', '.join(str(p) for p in result.sites)}")


@main.command("new")
@click.argument("title")
@click.option("--category", required=True, help="Category id from site_config.yml.")
@click.option("--owner", required=True, help="Who keeps the article current.")
@click.option("--audience", type=click.Choice(["public", "internal"]), default="public", show_default=True)
@click.option("--id", "article_id", help="Page id (URL slug); default: made from the title.")
@config_option
@today_option
def new_command(
    title: str,
    category: str,
    owner: str,
    audience: str,
    article_id: str | None,
    config_path: str | None,
    today: str | None,
) -> None:
    """Create a seven-part article with TODO placeholders (KB111 reports them until replaced)."""
    from generator.model import Audience
    from generator.scaffold import ScaffoldError, UnknownCategory, new_article

    config = _config(config_path)
    try:
        made = new_article(config, title, category, owner, _today(today), Audience(audience), article_id)
    except UnknownCategory as exc:
        raise click.BadParameter(str(exc), param_hint="--category") from exc
    except ScaffoldError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Created {made.path} (id: {made.id}). Replace every TODO, then run kb check.")


@main.group("report")
def report_group() -> None:
    """Reports on the help center: review schedule, health and translations."""


@report_group.command("freshness")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--owner", help="Only pages this owner keeps.")
@config_option
@today_option
def report_freshness_command(fmt: str, owner: str | None, config_path: str | None, today: str | None) -> None:
    """Overdue and due-soon reviews, grouped by owner, oldest first."""
    from generator import reports

    result = reports.freshness(_config(config_path), _today(today), owner)
    render = {
        "text": reports.freshness_text,
        "json": reports.freshness_json,
        "csv": reports.freshness_csv,
        "markdown": reports.freshness_markdown,
    }[fmt]
    click.echo(render(result), nl=False)


@report_group.command("health")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@config_option
@today_option
def report_health_command(fmt: str, config_path: str | None, today: str | None) -> None:
    """Per category and overall: pages, findings by rule, share clean, reading grade, owners."""
    from generator import reports

    result = reports.health(_config(config_path), _today(today))
    render = {"text": reports.health_text, "json": reports.health_json, "markdown": reports.health_markdown}[
        fmt
    ]
    click.echo(render(result), nl=False)


@report_group.command("translations")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@click.option("--audience", type=click.Choice(["public", "internal"]), help="Only pages of this audience.")
@config_option
def report_translations_command(fmt: str, audience: str | None, config_path: str | None) -> None:
    """Per language: missing translations and translations older than their source."""
    from generator import reports

    result = reports.translations(_config(config_path), audience)
    render = {
        "text": reports.translations_text,
        "json": reports.translations_json,
        "markdown": reports.translations_markdown,
    }[fmt]
    click.echo(render(result), nl=False)


@main.command("verify")
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
    from generator.verify import verify_sites
    from generator.verify_report import FORMATS

    config = _config(config_path)
    result = verify_sites(site / "public", site / "internal", config, _today(today), links=not no_links)
    report = FORMATS[fmt](result)
    if output is not None:
        output.write_text(report, encoding="utf-8")
        click.echo(FORMATS["text"](result).splitlines()[-1], err=True)
    else:
        click.echo(report, nl=False)
    sys.exit(EXIT_FINDINGS if result.problems else EXIT_OK)


@main.command("serve")
@click.option(
    "--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port)."
)
@config_option
@today_option
def serve_command(port: int, config_path: str | None, today: str | None) -> None:
    """Preview the internal site, rebuilt and reloaded whenever a file in kb_source/ changes."""
    from generator.serve import PreviewEvent, serve

    config = _config(config_path)

    def show(event: PreviewEvent) -> None:
        click.echo(event.message, err=not event.ok)
        if event.result is not None and event.result.findings:
            click.echo(text_emitter.emit(event.result, color=_color(sys.stdout)), nl=False)

    try:
        serve(Path(config_path) if config_path else config.root / CONFIG_NAME, _today(today), port, show)
    except KeyboardInterrupt:
        click.echo("Stopped.")


if __name__ == "__main__":
    main()
