"""`kb verify` output: text for people, JSON for scripts, JUnit XML for CI test reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import groupby

from generator.verify import VerifyResult

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
    suite = ET.Element(
        "testsuite", name="kb verify", tests=str(max(len({p.file for p in result.problems}), 1)),
        failures=str(len(result.problems)), errors="0", skipped="0",
    )  # fmt: skip
    for file, problems in groupby(result.problems, key=lambda p: p.file):
        case = ET.SubElement(suite, "testcase", classname="kb.verify", name=file)
        for p in problems:
            ET.SubElement(case, "failure", message=p.cause, type=p.kind.value).text = f"{p.file}: {p.cause}"
    if result.ok:
        ET.SubElement(suite, "testcase", classname="kb.verify", name="published sites")
    suites = ET.Element(
        "testsuites", name="kb verify", tests=suite.get("tests"), failures=suite.get("failures")
    )
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


FORMATS = {"text": text, "json": as_json, "junit": junit}
