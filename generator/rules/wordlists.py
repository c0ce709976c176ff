"""Word lists, patterns and substitutions the rules read from `generator/rules/data/*.yml`.

They are data, not code, so a writer can extend them without touching a rule; site_config.yml can
add to most of them too (see each rule's documentation)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from generator.yamlsafe import load_yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    """The parsed `data/<name>.yml`, read once per process."""
    return load_yaml((DATA / f"{name}.yml").read_text(encoding="utf-8"))
