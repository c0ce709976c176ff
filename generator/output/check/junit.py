"""JUnit XML: one test case per checked file that has findings, one failure per error finding;
warnings and info in the case's system-out."""

from __future__ import annotations

from itertools import groupby

from generator.model import CheckResult, Severity
from generator.output.junit import Case, Failure, document


def emit(result: CheckResult) -> str:
    cases = []
    by_path = groupby(sorted(result.findings, key=lambda f: f.sort_key()), key=lambda f: f.path)
    for path, findings in by_path:
        failures, notes = [], []
        for f in findings:
            text = f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity.value} {f.message}"
            if f.severity is Severity.ERROR:
                failures.append(Failure(f"{f.rule} {f.message}", f.rule, text))
            else:
                notes.append(text + "\n")
        cases.append(Case("kb", path, tuple(failures), "".join(notes)))
    if not result.findings:
        cases.append(Case("kb", "all files"))
    return document("kb", "kb check", max(result.files, 1), cases)
