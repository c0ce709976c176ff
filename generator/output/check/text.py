"""`path:line:col: CODE severity message`, then a summary line, as ruff and markdownlint print."""

from __future__ import annotations

import click

from generator.model import CheckResult, Severity

_STYLE = {Severity.ERROR: ("red", True), Severity.WARNING: ("yellow", False), Severity.INFO: ("cyan", False)}


def emit(result: CheckResult, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        severity = f.severity.value
        if color:
            fg, bold = _STYLE.get(f.severity, ("white", False))
            severity = click.style(severity, fg=fg, bold=bold)
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.rule} {severity} {f.message}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: CheckResult) -> str:
    infos = len(result.findings) - result.errors - result.warnings
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    tail = f", {infos} info" if infos else ""
    return f"Checked {files}: {result.errors} error(s), {result.warnings} warning(s){tail}."
