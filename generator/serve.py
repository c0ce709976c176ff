"""`kb serve`: a live preview of the internal site on 127.0.0.1.

A loop watches kb_source/ and site_config.yml; on a change it re-checks, re-stages and rebuilds
into a fresh folder, then points the `current` link at it. Pages poll the build's number and
reload themselves after a rebuild. Findings do not stop the preview: writers see their page while
they fix it. It serves before it checks: the first build served (early.py) holds the navigation
of the articles as loaded, renders an article page when it is asked for, and is replaced by the
first build that checks.

The HTTP server runs in a forked child process, not in a thread: each rebuild forks check and
staging workers, and a process that forks while other threads run can hand a child a lock that
one of those threads held (Python 3.12 warns about it)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator import ondemand
from generator.config import ConfigError, SiteConfig, load_config
from generator.early import Early, stage_early
from generator.model import Audience, CheckResult
from generator.panel import findings_data, missing_page, panel, read_findings, write_findings
from generator.pipeline import build_site
from generator.pipeline import check as checker
from generator.pipeline.publish import remove_orphans
from generator.pipeline.render.renderer import RenderError, renderer_env, stop_all
from generator.pipeline.stage import StageError
from generator.quickedit import EDITS, Served, show_edits

POLL_SECONDS = 0.5
EARLY_WAIT = 600  # seconds a request for a page that waits for the first build may wait
CURRENT = "current"
VERSION_PATH = "/__kb/version"
# Reloads the page after a rebuild, and closes the findings panel (generator/panel.py). The internal
# site's Content-Security-Policy allows this script by its hash (render/csp.py preview_hashes).
_RELOAD = (
    "<script>(function(){var v=null;setInterval(function(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t})"
    ".catch(function(){})},1000);document.addEventListener('click',function(e){"
    "var b=e.target.closest&&e.target.closest('[data-kb-close]');if(b){b.parentNode.remove()}})})();</script>"
)
FAILURE = "failure.txt"  # beside the builds: why the last change could not be built


@dataclass(frozen=True)
class PreviewEvent:
    """What the preview tells the CLI after each build."""

    message: str
    result: CheckResult | None = None
    ok: bool = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    root: Path  # holds the numbered builds and `current`, the link to the newest
    parent: int = 0  # the pid of `kb serve`, once the server runs in its own process
    process: Any = None  # that process (multiprocessing), seen from `kb serve`
    early: Early | None = None  # the build served before the check (early.py)

    @property
    def site_dir(self) -> Path:
        return self.root / CURRENT / "internal"

    def version(self) -> str:
        try:  # an edit shown in the build being served (quickedit) is a new version too
            edits = (self.root / CURRENT / EDITS).read_text(encoding="utf-8")
        except OSError:
            edits = ""
        failed = ":failed" if (self.root / FAILURE).exists() else ""
        return f"{os.readlink(self.root / CURRENT)}.{edits}{failed}"

    def findings(self) -> dict:
        return read_findings(self.root / CURRENT)

    def failure(self) -> str:
        try:
            return (self.root / FAILURE).read_text(encoding="utf-8")
        except OSError:
            return ""

    def early_build(self) -> Early | None:
        """The build served before the check, while it is the one served."""
        early = self.early
        return early if early is not None and os.readlink(self.root / CURRENT) == early.build.name else None

    def after(self, early: Early) -> bool:
        """Wait until the first build replaces the `early` one; whether it did in time (not when
        it failed: the early build stays served, and the missing page says why)."""
        deadline = time.monotonic() + EARLY_WAIT
        while self.early_build() is early and not self.failure() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS / 5)
        return self.early_build() is not early

    def service_actions(self) -> None:
        if self.parent and os.getppid() != self.parent:
            os._exit(0)  # `kb serve` was killed: the port is freed rather than left serving


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def __init__(self, request, client_address, server: _Server) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request, client_address, server, directory=str(server.site_dir))

    def do_GET(self) -> None:
        if self.path == VERSION_PATH:
            self._send(self.server.version().encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file() and self.path.endswith(("/", ".html")):
            extra = panel(self.server.findings(), self.path, self.server.failure()) + _RELOAD
            html = path.read_text(encoding="utf-8").replace("</body>", extra + "</body>", 1)
            self._send(html.encode(), "text/html; charset=utf-8")
            return
        early = self._before_check(path)
        if early:
            self.do_GET()
            return
        if (
            early is None
            and not path.exists()
            and ondemand.render(self.server.root / CURRENT, self.path)
            and path.exists()
        ):
            self.do_GET()  # rendered now, before the build that renders every page is done
            return
        if not path.exists() and (self.path.endswith("/") or "." not in self.path.rsplit("/", 1)[-1]):
            # A page that could not be built: say why, and reload once it is.
            html = missing_page(self.server.findings(), self.path, self.server.failure())
            html = html.replace("</body>", _RELOAD + "</body>", 1)
            self._send(html.encode(), "text/html; charset=utf-8", 404)
            return
        super().do_GET()

    def _before_check(self, path: Path) -> bool | None:
        """While the build served is the one made before the check, a page is staged and
        rendered when asked (early.py), and what needs the check (reports, the search index)
        waits for the first build: True, answer the request again; False, there is no page (the
        path of a file that could not be loaded: the missing page says why); None, the build
        served is another (or the page is there)."""
        early = self.server.early_build()
        if early is None or path.exists():
            return None
        if early.render(self.path) and path.exists():
            return True
        return not early.unloaded(self.path) and self.server.after(early)

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the preview prints builds, not requests


def snapshot(config: SiteConfig) -> dict[str, float]:
    """Modification times of everything a rebuild depends on."""
    files = [p for p in config.source_path.rglob("*") if p.is_file()]
    files.append(config.root / "site_config.yml")
    return {str(p): p.stat().st_mtime_ns for p in files if p.exists()}


PREVIEW_PREFIX = "kb-preview-"  # then the pid of the `kb serve` that made it
STATE = ".state"  # the last build's digests and output, for incremental rendering


def build_preview(config: SiteConfig, today: date, root: Path, number: int, first: bool = False) -> Served:
    """Check and build the internal site into `root/<number>`, then point `root/current` at it
    and remove the build it pointed at before. `first`: only the navigation's pages (the
    server renders a page that is asked for before the next build has rendered it)."""
    result, articles = checker.check_and_load(config, today)
    work = root / str(number)
    try:
        # Only the pages whose inputs changed are rendered again (pipeline/incremental.py).
        build_site(config, today, articles, result, Audience.INTERNAL, work, state=root / STATE, first=first)
        write_findings(work, findings_data(config, articles, result))
        ondemand.describe(work, config, Audience.INTERNAL, renderer_env(articles, today))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _switch(root, number)
    return Served(config, today, articles, result, work)


def _switch(root: Path, number: int) -> None:
    """Point `root/current` at the build `root/<number>`, and remove the one it pointed at."""
    link = root / CURRENT
    old = os.readlink(link) if link.is_symlink() else None
    fresh = root / f".{CURRENT}-{number}"
    os.symlink(str(number), fresh)
    os.replace(fresh, link)  # atomic: a request sees the old build or the new one
    if old is not None:
        shutil.rmtree(root / old, ignore_errors=True)


def serve(
    config_path: Path,
    today: date,
    port: int,
    on_event: Callable[[PreviewEvent], None],
    host: str = "127.0.0.1",
    stop: threading.Event | None = None,
) -> None:
    """Build, serve and rebuild on change until `stop` is set (or the process is interrupted)."""
    stop = stop or threading.Event()
    server: _Server | None = None
    building = threading.Event()  # set while a build runs, which a stop must not wait for
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) ends the preview like Ctrl+C: the temporary build is removed. A build
        # under way is interrupted as Ctrl+C interrupts it (at 4,000 articles it runs a minute).
        def on_term(signum: int, frame: object) -> None:
            stop.set()
            if building.is_set():
                _end_workers(server)
                raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, on_term)
    config = load_config(config_path)
    remove_orphans(Path(tempfile.gettempdir()), PREVIEW_PREFIX)  # of killed previews
    root = Path(tempfile.mkdtemp(prefix=f"{PREVIEW_PREFIX}{os.getpid()}-"))
    end: Callable[[], None] | None = None
    try:
        # Serve before checking: the navigation of the articles as loaded, an article page
        # rendered when asked (early.py). Then the check and the navigation's pages (a page
        # asked for is rendered when asked), then at once a build of every page, from the
        # state this one kept; then a build after each change.
        building.set()
        early = stage_early(config, today, root / "0")
        _switch(root, 0)
        server = _Server((host, port), _Handler)
        server.root = root
        server.early = early
        end = _start(server)
        on_event(PreviewEvent(f"Serving the internal site on http://{host}:{server.server_port}/"))
        _rebuild(config_path, today, root, on_event, stop, building)
    finally:
        ondemand.cool_down()
        if end is not None:
            end()
        if server is not None:
            server.server_close()
        shutil.rmtree(root, ignore_errors=True)


def _rebuild(
    config_path: Path,
    today: date,
    root: Path,
    on_event: Callable[[PreviewEvent], None],
    stop: threading.Event,
    building: threading.Event,
) -> None:
    """Build the preview into `root` at once, then after every change, until `stop` is set: the
    first build checks and renders the navigation's pages, the next every page. A build that
    fails leaves the last good one served (the early one, before any) and says why."""
    config = load_config(config_path)
    number, first, rendered = 1, True, False
    served: Served | None = None
    seen: dict[str, float] = {}
    while True:
        if not first:
            building.clear()
            if stop.wait(POLL_SECONDS):
                break
            building.set()
            if stop.is_set():  # stopped between the two lines above
                break
            now = snapshot(config)
            if now == seen:
                continue
            # Edited articles are shown at once, in the build being served; the rebuild follows.
            edited = (
                [Path(p) for p, t in now.items() if seen.get(p, t) != t] if seen.keys() == now.keys() else []
            )
            seen = now
            shown = show_edits(served, edited) if edited and served is not None else None
            if shown is not None:
                served = shown
                on_event(PreviewEvent("Showing the edit; rebuilding the rest.", shown.result))
        before = snapshot(config) if first else seen
        try:
            config = load_config(config_path)
            served = build_preview(config, today, root, number, first=first)
        except (ConfigError, StageError, RenderError) as exc:
            (root / FAILURE).write_text(str(exc), encoding="utf-8")  # shown in every page's panel
            on_event(PreviewEvent(f"rebuild failed; still serving the last good build: {exc}", ok=False))
            seen = before if first else seen  # a failed first build is tried again after a change
            first = False
            continue
        (root / FAILURE).unlink(missing_ok=True)
        ondemand.warm_up(served.build)
        said = "Rendered every page." if not rendered else "Rebuilt after a change."
        if first:
            said = "Checked every article; rendering every page."
        rendered = rendered or not first
        number, first = number + 1, False
        on_event(PreviewEvent(said, served.result))


def _end_workers(server: _Server | None) -> None:
    """End the processes a build runs (check and staging workers, renderers), not the server:
    what Ctrl+C does by reaching the whole process group, for a stop sent to this process alone."""
    serving = server.process if server is not None else None
    for child in multiprocessing.active_children():
        if child is not serving:
            child.kill()
    stop_all()


def _start(server: _Server) -> Callable[[], None]:
    """Serve from a forked child process (from a thread of this one where fork is missing);
    returns what stops it."""
    if "fork" not in multiprocessing.get_all_start_methods():
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server.shutdown
    server.parent = os.getpid()
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(server,), daemon=True)
    server.process = process
    # Until the child sets its own SIGTERM action it has this process's, which only sets `stop`:
    # a SIGTERM in that gap would leave it serving, and end() waiting for it. Blocked across the
    # fork, SIGTERM waits until each process is ready for it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

    def end() -> None:
        process.terminate()
        process.join(timeout=10)
        if process.is_alive():
            print("kb serve: the preview server ignored SIGTERM and was killed", file=sys.stderr)
            process.kill()
            process.join()

    return end


def _serve(server: _Server) -> None:
    # Ctrl+C reaches the whole process group: `kb serve` stops this process; SIGTERM ends it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_serving)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # blocked across the fork
    server.serve_forever(poll_interval=POLL_SECONDS)


def _end_serving(signum: int, frame: object) -> None:
    # The renderers of pages being rendered when asked end with the server, before it exits.
    for process in stop_all():
        with contextlib.suppress(ChildProcessError):  # reaped by the request's own thread
            os.waitpid(process.pid, 0)
    os._exit(0)
