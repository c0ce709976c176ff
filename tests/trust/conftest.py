"""Hostile projects built for real: a copy of the fixture site with many generated pages, checked
and built with the `kb` command as writers and CI run it."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.conftest import FIXTURES, TODAY

PAGE = """---
id: {id}
title: {title}
category: account
audience: public
type: page
owner: Maya Chen
last_reviewed: 2026-10-01
summary: {summary}
---

{body}"""


def project(
    root: Path, pages: Iterable[tuple[str, str]], rules_off: Iterable[str] = (), extra: str = ""
) -> Path:
    """The fixture site plus a `type: page` article per (id, body), with `rules_off` turned off."""
    shutil.copytree(FIXTURES / "site", root)
    folder = root / "kb_source" / "variants"
    folder.mkdir()
    for page_id, body in pages:
        text = PAGE.format(
            id=page_id, title=f"How does {page_id} work?", summary="A page of the trust tests.", body=body
        )
        (folder / f"{page_id}.md").write_text(text, encoding="utf-8")
    config = root / "site_config.yml"
    off = "".join(f"  {code}: off\n" for code in rules_off)
    config.write_text(
        config.read_text(encoding="utf-8").replace("rules:\n", f"rules:\n{off}") + extra, encoding="utf-8"
    )
    return root


def kb(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--today", TODAY.isoformat()],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def findings(root: Path) -> list[dict[str, object]]:
    done = kb(root, "check", "--no-cache", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["findings"]


def site_text(site: Path) -> dict[str, str]:
    """Every file of a built site, gzip (Pagefind) decompressed, lower-cased, by relative path."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace").lower()
    return out


def holding(files: dict[str, str], token: str) -> list[str]:
    return [rel for rel, text in files.items() if token in text]
