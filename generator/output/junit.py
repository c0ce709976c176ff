"""The JUnit XML document every command's `junit` format writes: one suite, a test case per file,
a failure per problem, as CI servers read it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    message: str
    type: str
    text: str


@dataclass(frozen=True)
class Case:
    classname: str
    name: str
    failures: tuple[Failure, ...] = ()
    out: str = ""  # system-out: what is worth reading but fails nothing (warnings)


def document(root: str, suite: str, tests: int, cases: Sequence[Case]) -> str:
    failures = str(sum(len(c.failures) for c in cases))
    element = ET.Element(
        "testsuite", name=suite, tests=str(tests), failures=failures, errors="0", skipped="0"
    )
    for c in cases:
        case = ET.SubElement(element, "testcase", classname=c.classname, name=c.name)
        for f in c.failures:
            ET.SubElement(case, "failure", message=f.message, type=f.type).text = f.text
        if c.out:  # the JUnit schema puts system-out after the failures
            ET.SubElement(case, "system-out").text = c.out
    suites = ET.Element("testsuites", name=root, tests=str(tests), failures=failures)
    suites.append(element)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
