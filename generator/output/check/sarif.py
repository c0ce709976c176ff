"""SARIF 2.1.0 for code-scanning uploads, with every rule described from the registry."""

from __future__ import annotations

import json
from urllib.parse import quote  # a uri-reference: spaces and non-ASCII names are escaped

from generator.model import CheckResult, Severity
from generator.rules import REGISTRY

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def emit(result: CheckResult) -> str:
    rules = sorted(REGISTRY.values(), key=lambda r: r.code)
    index = {r.code: n for n, r in enumerate(rules)}
    data = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kb",
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.alias,
                                "shortDescription": {"text": r.summary},
                                "fullDescription": {"text": r.doc},
                                "defaultConfiguration": {"level": _LEVEL.get(r.default, "none")},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.rule,
                        **({"ruleIndex": index[f.rule]} if f.rule in index else {}),
                        "level": _LEVEL.get(f.severity, "none"),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
                                    "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                                }
                            }
                        ],
                    }
                    for f in result.findings
                ],
            }
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
