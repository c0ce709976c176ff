"""Run the renderer on a generated mkdocs.yml, in a subprocess so it can be swapped (Zensical reads
the same file) and so its failures become a message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# The renderer command, before `-f <mkdocs.yml>`.
MKDOCS = (sys.executable, "-m", "mkdocs", "build", "--strict")
TAIL = 40  # lines of renderer output kept in an error
# MkDocs' own levels: in strict mode a WARNING line is what stopped the build.
_PROBLEM = ("WARNING", "ERROR", "CRITICAL")


class RenderError(Exception):
    """The renderer failed. The message says which site and carries the renderer's own output."""


def run_renderer(config_file: Path, env: Mapping[str, str], command: Sequence[str] = MKDOCS) -> str:
    """Build the site described by `config_file`; return the renderer's output."""
    try:
        done = subprocess.run(
            [*command, "-f", str(config_file.resolve())],
            cwd=config_file.parent,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise RenderError(f"cannot start the renderer ({command[0]}): {exc}") from exc
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise RenderError(f"the renderer failed (exit {done.returncode}) on {config_file}:\n" + _why(output))
    return output


def _why(output: str) -> str:
    """The renderer's warnings and errors, which its last lines (often a list of pages, or
    information about every link it left alone) can leave out; else its last lines."""
    lines = output.splitlines()
    problems = [line for line in lines if line.startswith(_PROBLEM)]
    if not problems:
        return "\n".join(lines[-TAIL:])
    more = len(problems) - TAIL
    return "\n".join(problems[:TAIL]) + (f"\n... and {more} more" if more > 0 else "")
