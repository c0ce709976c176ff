"""Real support articles for `kb check`: the shared corpora (Microsoft Business Central and Office
support articles, CC BY 4.0) as they are, and their bodies under our front matter.

As they are, the files carry Microsoft's front matter, so the loader stops every one with KB002 or
KB003 and no other rule runs. Wrapped, each file's body (its own front matter dropped) sits under
synthetic valid front matter (`type: page`, so the seven-part structure rules stay quiet): the
prose, compliance, link and freshness rules then read thousands of real articles.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FRONT = """---
id: doc-{n}
title: How do I use document {n}?
category: support
audience: public
type: page
owner: Benchmark
last_reviewed: 2026-11-01
---
"""


def body_of(text: str) -> str:
    """The text after its front matter (all of it when there is none)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if close is not None:
            return "\n".join(lines[close + 1 :])
    return text


def articles(corpora: Path) -> list[Path]:
    """The Markdown files under `corpora`, without each corpus's own README.md."""
    return [
        path
        for path in sorted(corpora.rglob("*.md"))
        if path.is_file() and path.relative_to(corpora).parts[1:] != ("README.md",)
    ]


def copy_as_they_are(corpora: Path, project: Path, config: Path) -> None:
    """A project at `project` whose kb_source/ is a copy of the articles under `corpora`."""
    for path in articles(corpora):
        target = project / "kb_source" / path.relative_to(corpora)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    shutil.copyfile(config, project / "site_config.yml")


def copy_wrapped(corpora: Path, project: Path, config: Path) -> None:
    """As `copy_as_they_are`, each body under FRONT with its own number as id."""
    for n, path in enumerate(articles(corpora)):
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        target = project / "kb_source" / path.relative_to(corpora)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(FRONT.format(n=n) + body_of(text), encoding="utf-8")
    shutil.copyfile(config, project / "site_config.yml")
