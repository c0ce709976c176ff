"""A stand-in for the render pipeline: stage, `mkdocs build`, Pagefind, for both audiences.

The tests use `generator.render.build_sites` when it exists; until then this builds a pair of
sites with the same URL layout (RENDER_CONTRACT.md) so verify has real MkDocs output to read.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.config import load_config
from generator.loader import load_all
from generator.mdparse import without_internal

_MD_LINK = re.compile(r"\]\((?:\.\./)*(?:[\w-]+/)*([\w-]+)\.md\)")
_IMAGE = re.compile(r"\]\((?:\.\./)*images/")


def build_pair(config_path: Path, out: Path) -> tuple[Path, Path]:
    config = load_config(config_path)
    articles = load_all(config.source_path, config.root).articles
    by_path = {Path(a.path).stem: a for a in articles}
    sites = []
    for audience in ("public", "internal"):
        docs = out / "stage" / audience / "docs"
        (docs / "images").mkdir(parents=True, exist_ok=True)
        shown = [a for a in articles if audience == "internal" or a.is_public]
        home = ["# " + config.name, ""] + [f"- [{a.title}]({a.id}.md)" for a in shown]
        (docs / "index.md").write_text("\n".join(home) + "\n", encoding="utf-8")
        for a in shown:
            body = a.body if audience == "internal" else without_internal(a.body)
            body = _MD_LINK.sub(
                lambda m: f"]({by_path[m.group(1)].id if m.group(1) in by_path else m.group(1)}.md)", body
            )
            body = _IMAGE.sub("](images/", body)
            (docs / f"{a.id}.md").write_text(f"# {a.title}\n\n{body}", encoding="utf-8")
        for image in (config.source_path / "images").glob("*"):
            shutil.copy(image, docs / "images" / image.name)
        site = out / audience
        url = config.public_url if audience == "public" else config.internal_url
        (docs.parent / "mkdocs.yml").write_text(
            f"site_name: {config.name}\nsite_url: {url}\ndocs_dir: docs\nsite_dir: {site}\n"
            "theme:\n  name: material\nplugins: []\n"
            "markdown_extensions: [admonition, attr_list, md_in_html]\n",
            encoding="utf-8",
        )
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(docs.parent / "mkdocs.yml")],
            check=True,
        )
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True)
        sites.append(site)
    return sites[0], sites[1]
