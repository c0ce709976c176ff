"""Output formats for `kb check`: one small module each, all with the same signature."""

from __future__ import annotations

from collections.abc import Callable

from generator.emitters import github, json_format, junit, sarif, text
from generator.model import CheckResult

Emitter = Callable[[CheckResult], str]

EMITTERS: dict[str, Emitter] = {
    "text": text.emit,
    "json": json_format.emit,
    "junit": junit.emit,
    "github": github.emit,
    "sarif": sarif.emit,
}
