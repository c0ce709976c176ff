"""How the tool names a file: its path relative to the project root, with `/` separators
(`kb_source/billing/refunds.md`), or absolute when it lies outside the project."""

from __future__ import annotations

import os
from pathlib import Path


def relative(path: Path, project_root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(project_root).as_posix()
    except ValueError:
        return absolute.as_posix()
