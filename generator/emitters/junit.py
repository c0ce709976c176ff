"""JUnit XML: one test case per checked file that has findings, one failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from generator.model import CheckResult, Severity


def emit(result: CheckResult) -> str:
    failing = [f for f in result.findings if f.severity is Severity.ERROR]
    suite = ET.Element(
        "testsuite",
        name="kb check",
        tests=str(max(result.files, 1)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    by_path = groupby(sorted(result.findings, key=lambda f: f.sort_key()), key=lambda f: f.path)
    for path, findings in by_path:
        case = ET.SubElement(suite, "testcase", classname="kb", name=path)
        notes = []
        for f in findings:
            text = f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity.value} {f.message}"
            if f.severity is Severity.ERROR:
                ET.SubElement(case, "failure", message=f"{f.rule} {f.message}", type=f.rule).text = text
            else:
                notes.append(text + "\n")
        if notes:  # the JUnit schema puts system-out after the failures
            ET.SubElement(case, "system-out").text = "".join(notes)
    if not result.findings:
        ET.SubElement(suite, "testcase", classname="kb", name="all files")
    suites = ET.Element("testsuites", name="kb", tests=suite.get("tests"), failures=suite.get("failures"))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
