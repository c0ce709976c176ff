"""Where the files shipped with the tool live, in a source checkout and in an installed wheel."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # A wheel carries the folder inside the package as _name; a checkout has it beside the package.
    inside = PACKAGE / f"_{name}"
    return inside if inside.is_dir() else PACKAGE.parent / name


def schemas_dir() -> Path:
    return _shipped("schemas")


def theme_dir() -> Path:
    return _shipped("theme")


@cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
