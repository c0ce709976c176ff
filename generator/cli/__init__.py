"""The `kb` command: a thin click layer over plain functions, one module per command. Only this
package prints.

    check.py   kb check [--fix]        build.py   kb build       serve.py   kb serve
    verify.py  kb verify               report.py  kb report ...  rules.py   kb rules
    new.py     kb new                  common.py  options, progress, writing a report
"""

from __future__ import annotations

import sys

import click

from generator.cli.build import build_command
from generator.cli.check import check_command
from generator.cli.common import EXIT_USAGE
from generator.cli.new import new_command
from generator.cli.report import report_group
from generator.cli.rules import rules_command
from generator.cli.serve import serve_command
from generator.cli.verify import verify_command


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


for command in (
    build_command,
    check_command,
    new_command,
    report_group,
    rules_command,
    serve_command,
    verify_command,
):
    main.add_command(command)

__all__ = ["main"]
