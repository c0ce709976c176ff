"""`kb serve` serves before it checks: an article page asked for then is staged alone and rendered
into a build made from the articles as loaded (generator/early.py), and it is the page the full
build renders, byte for byte."""

from __future__ import annotations

import shutil
import threading
import urllib.error
from pathlib import Path

import pytest

from generator import serve
from generator.config import load_config
from generator.early import stage_early
from generator.model import Audience
from generator.serve import build_preview
from tests.conftest import TODAY
from tests.pipeline.conftest import copy_project
from tests.test_serve import BROKEN, WAIT, fetch

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


def sample(dest: Path) -> Path:
    """A copy of the sample help center (three languages, images, attachments, snippets)."""
    shutil.copytree(REPO / "kb_source", dest / "kb_source")
    shutil.copy(REPO / "site_config.yml", dest / "site_config.yml")
    return dest


def test_pages_served_before_the_check_are_the_full_builds(tmp_path: Path) -> None:
    project = sample(tmp_path / "project")
    broken = project / "kb_source" / "billing" / "broken-page.md"
    broken.write_text(BROKEN, encoding="utf-8")
    config = load_config(project / "site_config.yml")
    root = tmp_path / "preview"
    root.mkdir()
    early = stage_early(config, TODAY, root / "0")
    site = root / "0" / "internal"
    # One page of each kind: with images, a translation, a default-language page standing in
    # for a missing translation, an agent-only free-form page (and standing in for one).
    asked = ["reset-password", "request-refund", "zh/reset-password", "es/cancel-plan", "sla-matrix"]
    asked += ["zh/sla-matrix"]
    for url in asked:
        assert early.render(f"/{url}/"), url
        assert (site / url / "index.html").is_file(), url
    assert (site / "assets").is_dir() and (site / "zh" / "assets").is_dir()
    # A page they link to is a stand-in until it is asked for; then it is staged and rendered.
    docs = root / "0" / ".work" / f"{Audience.INTERNAL.value}-en" / "docs"
    stand_ins = sorted(p.stem for p in docs.glob("*.md") if not p.read_text(encoding="utf-8"))
    assert stand_ins
    assert early.render(f"/{stand_ins[0]}/")
    assert (docs / f"{stand_ins[0]}.md").read_text(encoding="utf-8")
    asked.append(stand_ins[0])
    for url in ("/rules/", "/health/", "/no-such-page/", "/../.work/x/", "/broken-page/", "/zh/rules/"):
        assert not early.render(url), url  # it waits for the first build (the check)
    # The generated pages that need no check: home, a category, error codes, search.
    generated = ["", "category/billing", "error-codes", "search", "zh", "zh/category/account"]
    for url in generated:
        assert early.render(f"/{url}/".replace("//", "/")), url
    asked += generated
    # What loading found is in the panel's data at once: the file that makes no page.
    findings = (root / "0" / "findings.json").read_text(encoding="utf-8")
    assert "broken-page.md" in findings and "KB002" in findings
    build_preview(config, TODAY, root, 1)  # every page, the check first
    built = root / "1" / "internal"
    rendered = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert rendered == sorted(f"{url}/index.html".lstrip("/") for url in asked)
    for rel in rendered:
        assert (site / rel).read_bytes() == (built / rel).read_bytes(), rel
    for lang in config.languages:
        folder = f".work/{Audience.INTERNAL.value}-{lang.code}/mkdocs.yml"
        assert (root / "0" / folder).read_bytes() == (root / "1" / folder).read_bytes()


def test_the_server_answers_before_the_check_and_the_reports_wait_for_the_first_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "kb_source" / "billing" / "broken-page.md").write_text(BROKEN, encoding="utf-8")
    config = load_config(project / "site_config.yml")
    root = tmp_path / "preview"
    root.mkdir()
    early = stage_early(config, TODAY, root / "0")
    serve._switch(root, 0)
    server = serve._Server(("127.0.0.1", 0), serve._Handler)
    server.root, server.early = root, early
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        page = fetch(base + "refund/")
        assert "How do I get a refund?" in page and serve.VERSION_PATH in page
        assert fetch(base + "__kb/version").startswith("0.")
        # A file that could not be loaded: a missing page that says why, at once.
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(base + "broken-page/")
        assert missing.value.code == 404 and "KB002" in missing.value.read().decode("utf-8")
        home = fetch(base)  # a generated page that needs no check
        assert "category/billing/" in home and fetch(base + "__kb/version").startswith("0.")
        # A report waits for the first build (the check), then is its page.
        rules: list[str] = []
        asked = threading.Thread(target=lambda: rules.append(fetch(base + "rules/")))
        asked.start()
        asked.join(timeout=1)
        assert asked.is_alive() and not rules
        serve.build_preview(config, TODAY, root, 1, first=True)
        asked.join(timeout=WAIT)
        assert rules == [fetch(base + "rules/")] and "KB301" in rules[0]
        assert not (root / "0").exists()  # the build made before the check is gone
        assert fetch(base + "refund/") == page  # rendered again when asked, the same page
    finally:
        server.shutdown()
        server.server_close()
