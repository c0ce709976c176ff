"""`kb verify` output: text for people, JSON for scripts, JUnit XML for CI test reports."""

from __future__ import annotations

import json
from itertools import groupby

from generator.output.junit import Case, Failure, document
from generator.pipeline.verify import VerifyResult

VERSION = 1


def text(result: VerifyResult) -> str:
    lines = [f"{p.file}: {p.kind.value}: {p.cause}" for p in result.problems]
    verdict = "OK, safe to publish" if result.ok else f"{len(result.problems)} problem(s); do not publish"
    return "\n".join([*lines, f"Verified {result.files} public files: {verdict}."]) + "\n"


def as_json(result: VerifyResult) -> str:
    data = {
        "version": VERSION,
        "ok": result.ok,
        "files": result.files,
        "problems": [{"file": p.file, "kind": p.kind.value, "cause": p.cause} for p in result.problems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def junit(result: VerifyResult) -> str:
    """One test case per file with problems, one failure per problem (kind as the failure type)."""
    cases = [
        Case(
            "kb.verify", file, tuple(Failure(p.cause, p.kind.value, f"{p.file}: {p.cause}") for p in problems)
        )
        for file, problems in groupby(result.problems, key=lambda p: p.file)
    ]
    if result.ok:
        cases.append(Case("kb.verify", "published sites"))
    return document("kb verify", "kb verify", max(len({p.file for p in result.problems}), 1), cases)


FORMATS = {"text": text, "json": as_json, "junit": junit}
