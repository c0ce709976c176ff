"""The JSON report: a versioned, stable shape for scripts and dashboards."""

from __future__ import annotations

import json

from generator.model import CheckResult

VERSION = 1


def emit(result: CheckResult) -> str:
    data = {
        "version": VERSION,
        "summary": {"files": result.files, "errors": result.errors, "warnings": result.warnings},
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "rule": f.rule,
                "severity": f.severity.value,
                "message": f.message,
            }
            for f in result.findings
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
