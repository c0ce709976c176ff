"""The build, top to bottom: load and check the articles, then for each audience stage, render
and index its site, verify what is about to be published, and publish it in one switch.

    build(config, today, Path("site"), (Audience.PUBLIC, Audience.INTERNAL)) -> BuildResult

Each step is a module or folder of this package (see generator/README.md): load.py, check/,
stage/, render/, index/, verify/, publish.py; site.py makes one audience's site from them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.config import SiteConfig
from generator.model import Audience, CheckResult
from generator.pipeline import check, publish, verify
from generator.pipeline.check.cache import CACHE_DIR
from generator.pipeline.load import collector_paused, load_site
from generator.pipeline.render.renderer import RenderError, RenderSystemError, system_error_line
from generator.pipeline.site import Site, build_site
from generator.pipeline.stage import StageError
from generator.pipeline.verify.dropped import dropped_urls

# progress(step, total, message): called before each step; the CLI decides whether to show it.
Progress = Callable[[int, int, str], None]
EVIDENCE = ".evidence"  # where a public-only build renders the internal site it verifies against


class BuildError(Exception):
    """The sites could not be built or published. Nothing was published."""


class BuildSystemError(BuildError):
    """The operating system refused the build (a full disk, a folder kb may not write), not the
    content: the message is one line, the error and its path. Nothing was published."""


@dataclass(frozen=True)
class BuildResult:
    check: CheckResult
    published: bool = False
    sites: tuple[Path, ...] = ()  # published site folders
    pages: int = 0  # staged pages over all sites
    configs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, mkdocs.yml)
    notes: tuple[str, ...] = ()  # what was skipped and why


def build(
    config: SiteConfig,
    today: date,
    out: Path,
    audiences: Sequence[Audience] = (Audience.PUBLIC, Audience.INTERNAL),
    progress: Progress | None = None,
    incremental: bool = True,
) -> BuildResult:
    """Check, then build, verify and publish `audiences` under `out` (`out/public`,
    `out/internal`). With error findings nothing is built and the published sites stay as they
    were. An unsafe or busy `out` raises publish.OutputRefused before anything is read.
    `incremental`: render only the pages whose inputs changed since the last build of this
    project (kept in `.kb-cache/render/`, see incremental.py), and verify only the files that
    changed since the last verification (`.kb-cache/verify/`, verify/record.py); the output and
    the findings are the same."""
    state = config.root / CACHE_DIR / "render" if incremental else None
    try:
        with collector_paused(), publish.claim(out, project=config.root, source=config.source_path):
            return _build(config, today, out, audiences, _Ticker(progress, _steps(config, audiences)), state)
    except OSError as exc:  # from any step, here or in a worker: a full disk is not a traceback
        # A failed copy names its source first (shutil), the file it could not write second; a
        # failed write names no file.
        where = exc.filename2 or exc.filename or f"while building into {out}"
        raise BuildSystemError(system_error_line(exc.errno, exc.strerror or str(exc), where)) from exc
    except RenderSystemError as exc:
        raise BuildSystemError(str(exc)) from exc
    except (StageError, RenderError, publish.PublishError) as exc:
        raise BuildError(str(exc)) from exc


def _build(
    config: SiteConfig,
    today: date,
    out: Path,
    audiences: Sequence[Audience],
    tick: _Ticker,
    state: Path | None,
) -> BuildResult:
    tick("checking articles")
    result, articles = check.check_and_load(config, today)
    if result.errors:
        return BuildResult(check=result)
    with publish.scratch(out) as work:
        sites = [build_site(config, today, articles, result, a, work, tick, state=state) for a in audiences]
        evidence = None
        if Audience.INTERNAL not in audiences:
            # What is agent-only is read from the internal site as built: a public-only build
            # renders it too, to verify against, and never publishes it.
            tick("rendering the internal site to verify against")
            build_site(
                config, today, articles, result, Audience.INTERNAL, work / EVIDENCE, index=False, state=state
            )
            evidence = work / EVIDENCE / Audience.INTERNAL.value
        tick("verifying")
        names = [a.value for a in audiences]
        # What the last build's verification passed is kept beside the render state: an
        # incremental build reads again only the files that changed (verify/record.py).
        record = None if state is None else config.root / CACHE_DIR / "verify"
        problems = verify.before_publishing(work, names, config, today, articles, evidence, record)
        problems = [*problems, *dropped_urls(publish.live_release(out), work, names)]
        if problems:
            raise BuildError("the new build did not pass verification:\n" + "\n".join(problems))
        tick("publishing")
        publish.swap(work, out, names)
    return _result(result, out, audiences, sites, published=True)


def emit_configs(config: SiteConfig, audiences: Sequence[Audience]) -> BuildResult:
    """The generated mkdocs.yml files of `audiences`, staged in a temporary folder: nothing is
    checked, rendered or published (`kb build --emit-config`)."""
    articles = load_site(config)
    nothing = CheckResult(files=0)
    try:
        with collector_paused(), tempfile.TemporaryDirectory(prefix="kb-emit-") as tmp:
            work = Path(tmp)
            sites = [
                build_site(config, date.today(), articles, nothing, a, work, render=False) for a in audiences
            ]
    except StageError as exc:
        raise BuildError(str(exc)) from exc
    return _result(nothing, Path(), audiences, sites, published=False)


def _result(
    result: CheckResult, out: Path, audiences: Sequence[Audience], sites: Sequence[Site], published: bool
) -> BuildResult:
    return BuildResult(
        check=result,
        published=published,
        sites=tuple(out / a.value for a in audiences) if published else (),
        pages=sum(s.pages for s in sites),
        configs=tuple(c for s in sites for c in s.configs),
        notes=tuple(dict.fromkeys(n for s in sites for n in s.notes)),
    )


def _steps(config: SiteConfig, audiences: Sequence[Audience]) -> int:
    """check, stage and render each language of each audience, (the evidence,) verify, publish."""
    return 1 + 2 * len(audiences) * len(config.languages) + 2 + (Audience.INTERNAL not in audiences)


class _Ticker:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.step = progress, total, 0

    def __call__(self, message: str) -> None:
        self.step += 1
        if self.progress is not None:
            self.progress(self.step, self.total, message)


__all__ = [
    "BuildError",
    "BuildResult",
    "BuildSystemError",
    "Progress",
    "build",
    "build_site",
    "emit_configs",
]
