"""GitHub Actions workflow commands: annotations on the pull request's changed lines."""

from __future__ import annotations

from generator.model import CheckResult, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def emit(result: CheckResult) -> str:
    lines = [
        f"::{_LEVEL[f.severity]} file={_prop(f.path)},line={f.line},col={f.column},"
        f"title={_prop(f.rule)}::{_data(f.message)}"
        for f in result.findings
        if f.severity in _LEVEL
    ]
    return "".join(line + "\n" for line in lines)


def _data(value: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
