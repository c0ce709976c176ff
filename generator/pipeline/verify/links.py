"""Links and images of a built site, checked by LinkChecker over a loopback HTTP server (anchors:
generator.pipeline.verify.anchors).

HTTP rather than file:// because LinkChecker run as root drops to `nobody`, who may not read a
private build folder, and because directory URLs (`/id/`) then resolve as on the real host.
External URLs are never fetched: the check must not depend on the network.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from generator.pipeline.verify.dropped import redirect_urls

# LinkChecker waits 0.1-0.6 s between requests to a host unless the host answers with a
# `LinkChecker` header; then `maxrequestspersecond` applies. Our own loopback server may say so.
_LINKCHECKER_CONFIG = "[checking]\nmaxrequestspersecond=1000\n"


@dataclass(frozen=True)
class BrokenLink:
    page: str  # POSIX path of the page below the site folder
    cause: str


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # a verify run prints only its result

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local")
        super().end_headers()

    def handle(self) -> None:
        # LinkChecker hangs up once it has the headers of an image or a script.
        with contextlib.suppress(ConnectionError):
            super().handle()


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 on a free port; yields the base URL, e.g. http://127.0.0.1:41234/."""
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def check_links(site: Path, timeout: float = 600, pages: Sequence[str] | None = None) -> list[BrokenLink]:
    """Broken links and missing images on every page reachable from the home page (and the 404
    page and the pages at old URLs), by LinkChecker. `pages` (paths below `site`): only the links
    of those pages, none when it is empty."""
    if pages is not None and not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="kb-linkcheck-") as tmp, serve(site) as base:
        host = urlparse(base).netloc
        config = Path(tmp) / "linkcheckerrc"
        # The whole site is "internal" to LinkChecker, whichever pages it starts from (by default
        # only URLs below a start URL are, and others are checked for their syntax alone).
        internal = f"[filtering]\ninternlinks=^https?://{re.escape(host)}/\n"
        config.write_text(_LINKCHECKER_CONFIG + internal, encoding="utf-8")
        if pages is None:
            starts = [base] + [base + name for name in ("404.html",) if (site / name).is_file()]
            starts += [base + url for url in redirect_urls(site)]  # linked from nowhere, checked too
            depth = []
        else:
            # Each page and what it links to (depth 1), not the pages beyond them.
            starts = [base + quote(rel.removesuffix("index.html")) for rel in pages]
            depth = ["--recursion-level", "1"]
        command = [
            sys.executable, "-m", "generator.pipeline.verify.linkcheck_run", "--config", str(config),
            "--output", "csv",
            "--no-status", "--no-robots", "--ignore-url", "^(mailto|tel|data|javascript):",
            "--ignore-url", rf"^(?!https?://{host.replace('.', '[.]')}/)[a-z][a-z0-9+.-]*:",
            *depth, *starts,
        ]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"LinkChecker failed (exit {run.returncode}): {run.stderr.strip()[-500:]}")
    return parse_csv(run.stdout, base)


def parse_csv(output: str, base: str) -> list[BrokenLink]:
    """LinkChecker's CSV (`;`-separated) -> broken links, by page."""
    # Comment lines start with "# "; a row may start with "#" (a link to an anchor on the same page).
    lines = (line for line in output.splitlines() if not line.startswith("# "))
    rows = csv.DictReader(lines, delimiter=";")
    broken: list[BrokenLink] = []
    for row in rows:
        warning = row.get("warningstring") or ""
        anchor = "Anchor" in warning and "not found" in warning
        if row.get("valid") == "True" and not anchor:
            continue
        target = row.get("urlname") or row.get("url") or ""
        why = warning.split(". Available anchors")[0] if anchor else (row.get("result") or "invalid")
        broken.append(BrokenLink(_page(row.get("parentname") or "", base), f"broken link {target!r}: {why}"))
    return broken


def _page(url: str, base: str) -> str:
    if not url.startswith(base):
        return url or "(start page)"
    path = unquote(urlparse(url).path).lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path
