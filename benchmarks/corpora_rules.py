"""Run `kb check` over the shared real-world corpora, and run every rule on their bodies.

The corpora (Microsoft Business Central and Office support articles) lack our front matter, so a
plain run mostly reports KB002/KB003. The second run copies each file's body (its own front matter
dropped) into a temporary tree under synthetic valid front matter (`type: page`, so the seven-part
structure rules stay quiet) and checks that: the prose, compliance and freshness rules then see
thousands of real articles. Neither run may crash.

    python benchmarks/corpora_rules.py [/work/shared/corpora]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from generator import checker
from generator.config import load_config
from generator.loader import discover

TODAY = date(2026, 11, 23)
PROJECT = Path(__file__).resolve().parent.parent
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
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if close is not None:
            return "\n".join(lines[close + 1 :])
    return text


def project(root: Path, source: Path) -> Path:
    config = (PROJECT / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("source_dir: kb_source", f"source_dir: {source}")
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    return root / "site_config.yml"


def run(label: str, config_path: Path) -> Counter[str]:
    started = time.perf_counter()
    result = checker.check(load_config(config_path), TODAY, use_cache=False)
    seconds = time.perf_counter() - started
    counts = Counter(f.rule for f in result.findings)
    print(f"\n{label}: {result.files} files, {len(result.findings)} findings, {seconds:.1f} s")
    for rule, count in sorted(counts.items()):
        files = len({f.path for f in result.findings if f.rule == rule})
        print(f"  {rule}  {count:>6} findings in {files:>5} files")
    return counts


def main(corpora: Path) -> None:
    files = discover(corpora)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plain").mkdir()
        run("as they are", project(root / "plain", corpora))
        wrapped = root / "wrapped"
        source = wrapped / "kb_source"
        source.mkdir(parents=True)
        for n, path in enumerate(files):
            text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
            target = source / path.relative_to(corpora)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(FRONT.format(n=n) + body_of(text), encoding="utf-8")
        run("bodies under synthetic front matter", project(wrapped, source))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpora"))
