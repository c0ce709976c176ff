"""`kb check` formats: one small module each, all `CheckResult -> str`."""

from __future__ import annotations

from collections.abc import Callable

from generator.model import CheckResult
from generator.output.check import github, json_format, junit, sarif, text

Format = Callable[[CheckResult], str]

FORMATS: dict[str, Format] = {
    "text": text.emit,
    "json": json_format.emit,
    "junit": junit.emit,
    "github": github.emit,
    "sarif": sarif.emit,
}
