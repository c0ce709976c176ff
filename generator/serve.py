"""`kb serve`: a live preview of the internal site on 127.0.0.1.

A loop watches kb_source/ and site_config.yml; on a change it re-checks, re-stages and rebuilds
into a fresh temporary folder, then points the server at it. Pages poll a version counter and
reload themselves after a rebuild. Findings do not stop the preview: writers see their page while
they fix it."""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator import checker
from generator.config import ConfigError, SiteConfig, load_config
from generator.model import Audience, CheckResult
from generator.render import render_audience
from generator.render.build import RenderError
from generator.render.stage import StageError

POLL_SECONDS = 0.5
VERSION_PATH = "/__kb/version"
_RELOAD = (
    "<script>(function(){var v=null;setInterval(function(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t})"
    ".catch(function(){})},1000)})();</script>"
)


@dataclass(frozen=True)
class PreviewEvent:
    """What the preview tells the CLI after each build."""

    message: str
    result: CheckResult | None = None
    ok: bool = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site_dir: Path
    version: int = 0


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def __init__(self, request, client_address, server: _Server) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request, client_address, server, directory=str(server.site_dir))

    def do_GET(self) -> None:
        if self.path == VERSION_PATH:
            self._send(str(self.server.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file() and self.path.endswith(("/", ".html")):
            html = path.read_text(encoding="utf-8").replace("</body>", _RELOAD + "</body>", 1)
            self._send(html.encode(), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
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


def build_preview(config: SiteConfig, today: date) -> tuple[Path, CheckResult]:
    """Check and build the internal site into a new temporary folder; returns (folder, findings)."""
    result, articles = checker.check_and_load(config, today)
    work = Path(tempfile.mkdtemp(prefix="kb-preview-"))
    try:
        render_audience(config, today, articles, result, Audience.INTERNAL, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work, result


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
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) ends the preview like Ctrl+C: the temporary build is removed.
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    config = load_config(config_path)
    work, result = build_preview(config, today)
    server = _Server((host, port), _Handler)
    server.site_dir = work / "internal"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    on_event(PreviewEvent(f"Serving the internal site on http://{host}:{server.server_port}/", result))
    seen = snapshot(config)
    try:
        while not stop.wait(POLL_SECONDS):
            now = snapshot(config)
            if now == seen:
                continue
            seen = now
            try:
                config = load_config(config_path)
                new_work, result = build_preview(config, today)
            except (ConfigError, StageError, RenderError) as exc:
                on_event(PreviewEvent(f"rebuild failed; still serving the last good build: {exc}", ok=False))
                continue
            server.site_dir, old = new_work / "internal", work
            work = new_work
            server.version += 1
            shutil.rmtree(old, ignore_errors=True)
            on_event(PreviewEvent("Rebuilt after a change.", result))
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)
