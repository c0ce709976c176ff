"""Run the renderer on a generated mkdocs.yml, in a subprocess so it can be swapped (Zensical reads
the same file) and so its failures become a message, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from generator.model import Article

# The renderer command, before `-f <mkdocs.yml>`.
MKDOCS = (sys.executable, "-m", "mkdocs", "build", "--strict")
# Some pages of a site, with MkDocs' own build steps (mkdocs_pages.py; incremental builds). Run as
# a file rather than as a module of the package, whose parent's import is the whole build (0.6 s of
# the 1.5 s it took to render one page); -P keeps the file's folder off the module path.
MKDOCS_PAGES = (sys.executable, "-P", str(Path(__file__).with_name("mkdocs_pages.py")))
TAIL = 40  # lines of renderer output kept in an error
# MkDocs' own levels: in strict mode a WARNING line is what stopped the build.
_PROBLEM = ("WARNING", "ERROR", "CRITICAL")


def renderer_env(articles: Sequence[Article], today: date) -> dict[str, str]:
    """SOURCE_DATE_EPOCH: the newest review date of the articles the site shows (unless the caller
    set one), so two builds of the same source carry the same dates."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return {"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    dates = [str(a.meta.get("last_reviewed", "")) for a in articles]
    newest = max((d for d in dates if d), default=today.isoformat())
    try:
        day = date.fromisoformat(newest)
    except ValueError:
        day = today
    return {"SOURCE_DATE_EPOCH": str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))}


class RenderError(Exception):
    """The renderer failed. The message says which site and carries the renderer's own output."""


class RenderSystemError(RenderError):
    """The renderer stopped on an operating-system error (a full disk, a folder it may not write):
    the message is one line, the error and its path, not the renderer's traceback."""


# An operating-system error as Python prints it (`OSError: [Errno 28] No space left on device:
# '/site/x.html'`, also inside MkDocs' "Error building page" lines) or as Rust programs such as
# Pagefind do (`Error: No space left on device (os error 28)`). Both start from a fixed text, so
# the search is linear however long the output.
_PYTHON_OS_ERROR = re.compile(
    r"\[Errno (?P<errno>\d+)\] (?P<why>[^'\n]*?)"
    r"(?:: '(?P<path>[^'\n]*)'(?: -> '(?P<target>[^'\n]*)')?)?[ \t]*$",  # a copy names both files
    re.MULTILINE,
)
_RUST_OS_ERROR = re.compile(r" \(os error (?P<errno>\d+)\)")


def os_error_in(output: str) -> str | None:
    """One line for the last operating-system error in a program's output, or None."""
    python = list(_PYTHON_OS_ERROR.finditer(output))
    rust = list(_RUST_OS_ERROR.finditer(output))
    if python and (not rust or python[-1].start() > rust[-1].start()):
        last = python[-1]
        path = last.group("target") or last.group("path")
        return system_error_line(int(last.group("errno")), last.group("why").strip(), path)
    if rust:
        last = rust[-1]
        line = output.rfind("\n", 0, last.start()) + 1
        after_colon = output.rfind(": ", line, last.start())  # `Error: context: why (os error n)`
        start = after_colon + 2 if after_colon >= 0 else line
        return system_error_line(int(last.group("errno")), output[start : last.start()].strip())
    return None


def system_error_line(code: int | None, why: str, path: object = None) -> str:
    """`why` (and the path it is about), with what to do where that is clear."""
    where = f" ({path})" if path else ""
    advice = _ADVICE.get(code or 0, "")
    return f"{why}{where}" + (f": {advice}" if advice else "")


_ADVICE = {
    errno.ENOSPC: "free space on that disk, then build again",
    errno.EDQUOT: "free space within your quota, then build again",
    errno.EROFS: "build into a folder on a writable disk (--out)",
    errno.EACCES: "give kb permission to write there, or build elsewhere (--out)",
    errno.EPERM: "give kb permission to write there, or build elsewhere (--out)",
}


# The renderers running now, so a preview that is stopped mid-build can end them (stop_all).
_running: set[subprocess.Popen[str]] = set()


def run_renderer(config_file: Path, env: Mapping[str, str], command: Sequence[str] = MKDOCS) -> str:
    """Build the site described by `config_file`; return the renderer's output."""
    try:
        process = subprocess.Popen(
            [*command, "-f", str(config_file.resolve())],
            cwd=config_file.parent,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise RenderError(f"cannot start the renderer ({command[0]}): {exc}") from exc
    _running.add(process)
    try:
        out, err = process.communicate()
    finally:
        _running.discard(process)
        if process.poll() is None:
            process.kill()
            process.wait()
    return _finished(process.returncode, out + err, config_file)


def stop_all() -> list[subprocess.Popen[str]]:
    """End the renderers running now (their builds then fail); those it ended."""
    ended = list(_running)
    for process in ended:
        process.kill()
    return ended


def _finished(code: int, output: str, config_file: Path) -> str:
    """The renderer's output, or the RenderError its exit code and output say."""
    output = output.strip()
    if code != 0:
        system = os_error_in(output)
        if system is not None:
            raise RenderSystemError(f"the renderer could not write the site: {system}")
        raise RenderError(f"the renderer failed (exit {code}) on {config_file}:\n" + _why(output))
    return output


def render_pages(
    config_file: Path,
    site_dir: Path,
    files: Sequence[str],
    env: Mapping[str, str],
    assets: bool = False,
    templates: bool = True,
) -> str:
    """Render the Markdown pages and copy the other files among `files` (relative to the docs
    folder) into `site_dir`, plus (unless `templates` is false) the sitemap and the 404 page, as
    a full build would make them; with `assets`, also every file that is not a page (the
    theme's). Returns the renderer's output. The incremental build (pipeline/incremental.py) and
    `kb serve` call it."""
    site_dir.mkdir(parents=True, exist_ok=True)
    listing = site_dir.parent / f".{site_dir.name}-pages.txt"
    listing.write_text("".join(f"{rel}\n" for rel in files), encoding="utf-8")
    try:
        command = (*MKDOCS_PAGES, "--site", str(site_dir.resolve()), "--pages", str(listing.resolve()))
        command += ("--assets",) if assets else ()
        command += () if templates else ("--no-templates",)
        return run_renderer(config_file, env, command)
    finally:
        listing.unlink(missing_ok=True)


class Warm:
    """A renderer of some pages (mkdocs_pages) started before it is needed, for one staged site
    and its environment: Python, MkDocs, the theme and the Markdown extensions load while the
    writer types, so `kb serve` shows an edit that much sooner. Renders once (`render`), then is
    done; `close` ends one that was never used."""

    def __init__(self, config_file: Path, env: Mapping[str, str]) -> None:
        self.config_file = config_file
        self.env = dict(env)
        self._process = subprocess.Popen(
            [*MKDOCS_PAGES, "-f", str(config_file.resolve()), "--wait"],
            cwd=config_file.parent,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )

    def render(
        self, site_dir: Path, files: Sequence[str], templates: bool = True, assets: bool = False
    ) -> str:
        """render_pages(), by this process."""
        site_dir.mkdir(parents=True, exist_ok=True)
        job = {
            "site": str(site_dir.resolve()),
            "pages": list(files),
            "templates": templates,
            "assets": assets,
        }
        try:
            output, _ = self._process.communicate(json.dumps(job) + "\n")
        except OSError as exc:  # it ended before reading the job
            raise RenderError(f"the renderer ended early: {exc}") from exc
        return _finished(self._process.returncode, output, self.config_file)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()


def _why(output: str) -> str:
    """The renderer's warnings and errors, which its last lines (often a list of pages, or
    information about every link it left alone) can leave out; else its last lines."""
    lines = output.splitlines()
    problems = [line for line in lines if line.startswith(_PROBLEM)]
    if not problems:
        return "\n".join(lines[-TAIL:])
    more = len(problems) - TAIL
    return "\n".join(problems[:TAIL]) + (f"\n... and {more} more" if more > 0 else "")
