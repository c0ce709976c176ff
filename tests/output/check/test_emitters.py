"""The five `kb check` formats: golden files, plus each format read by what consumes it.

Goldens are made from tests/output/check/broken_project.py. After an intended change, rewrite them
with `KB_UPDATE_GOLDEN=1 pytest tests/output` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml

from generator.model import CheckResult, Finding, Severity
from generator.output.check import FORMATS, github, json_format, junit, sarif, text
from generator.resources import schema
from tests.output.check.broken_project import result as broken_result

GOLDEN = Path(__file__).parents[2] / "golden"
SARIF_SCHEMA = Path(__file__).parents[2] / "schemas" / "sarif-2.1.0-subset.schema.json"
GOLDEN_NAMES = {
    "text": "check.txt",
    "json": "check.json",
    "junit": "check.junit.xml",
    "github": "check.github",
    "sarif": "check.sarif.json",
}


@pytest.fixture
def broken(tmp_path: Path) -> CheckResult:
    return broken_result(tmp_path / "project")


def _stable_sarif(report: str) -> str:
    """The SARIF with the rule table cut to the rules that have results.

    The full table lists every registered rule, so it grows with each new rule; what the golden
    pins is the results and the description of the rules they name."""
    data = json.loads(report)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for r in run["results"]:
        assert rules[r.pop("ruleIndex")]["id"] == r["ruleId"]
    used = {r["ruleId"] for r in run["results"]}
    run["tool"]["driver"]["rules"] = [r for r in rules if r["id"] in used]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_golden_project_has_every_severity(broken: CheckResult) -> None:
    severities = {f.severity for f in broken.findings}
    assert severities == {Severity.ERROR, Severity.WARNING, Severity.INFO}
    assert {"KB001", "KB002", "KB101", "KB105", "KB109", "KB110", "KB111"} <= {
        f.rule for f in broken.findings
    }


@pytest.mark.parametrize("fmt", sorted(GOLDEN_NAMES))
def test_golden(broken: CheckResult, fmt: str) -> None:
    report = FORMATS[fmt](broken)
    if fmt == "sarif":
        report = _stable_sarif(report)
    path = GOLDEN / GOLDEN_NAMES[fmt]
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.write_text(report, encoding="utf-8")
    assert path.exists(), f"missing {path}; create it with KB_UPDATE_GOLDEN=1"
    assert report == path.read_text(encoding="utf-8")


# --- text ---------------------------------------------------------------------------------------


def test_text_lines_and_summary(broken: CheckResult) -> None:
    lines = text.emit(broken).splitlines()
    pattern = re.compile(
        r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>KB\d{3}) (?P<sev>\w+) (?P<msg>.+)$"
    )
    for line, f in zip(lines, broken.findings, strict=False):
        m = pattern.match(line)
        assert m, line
        assert (m["path"], int(m["line"]), m["rule"], m["sev"]) == (f.path, f.line, f.rule, f.severity.value)
    assert len(lines) == len(broken.findings) + 1
    assert lines[-1] == text.summary(broken)
    assert re.fullmatch(r"Checked 7 files: \d+ error\(s\), 1 warning\(s\), 1 info\.", lines[-1])


def test_text_colour_only_when_asked(broken: CheckResult) -> None:
    assert "\x1b[" not in text.emit(broken)
    assert "\x1b[" in text.emit(broken, color=True)


def test_text_clean_result() -> None:
    assert text.emit(CheckResult(files=1)) == "Checked 1 file: 0 error(s), 0 warning(s).\n"


# --- json ----------------------------------------------------------------------------------------


def test_json_matches_its_schema(broken: CheckResult) -> None:
    data = json.loads(json_format.emit(broken))
    jsonschema.Draft202012Validator(schema("check-report.schema.json")).validate(data)
    assert data["summary"] == {"files": 7, "errors": broken.errors, "warnings": 1}
    assert [(f["path"], f["line"], f["rule"]) for f in data["findings"]] == [
        (f.path, f.line, f.rule) for f in broken.findings
    ]


def test_json_schema_is_itself_valid_and_refuses_junk() -> None:
    report_schema = schema("check-report.schema.json")
    jsonschema.Draft202012Validator.check_schema(report_schema)
    validator = jsonschema.Draft202012Validator(report_schema)
    good = json.loads(json_format.emit(CheckResult(files=0)))
    validator.validate(good)
    bad = {**good, "findings": [{"path": "a.md", "line": 0, "column": 1, "rule": "X1", "severity": "fatal"}]}
    assert len(list(validator.iter_errors(bad))) >= 3


# --- junit ---------------------------------------------------------------------------------------


def test_junit_read_by_junitparser(broken: CheckResult, tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(junit.emit(broken), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    assert suite.failures == broken.errors
    assert suite.tests == broken.files
    cases = {case.name: case for case in suite}
    assert set(cases) == {f.path for f in broken.findings}
    failures = [(name, r.type) for name, case in cases.items() for r in case.result if isinstance(r, Failure)]
    assert sorted(failures) == sorted(
        (f.path, f.rule) for f in broken.findings if f.severity is Severity.ERROR
    )
    warned = cases["kb_source/account/sample feature.md"]
    assert "KB109 warning" in (warned.system_out or "")


def test_junit_clean_run_has_one_passing_case(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(junit.emit(CheckResult(files=3)), encoding="utf-8")
    suite = next(iter(JUnitXml.fromfile(str(path))))
    assert (suite.tests, suite.failures) == (3, 0)
    assert [case.is_passed for case in suite] == [True]


# --- github --------------------------------------------------------------------------------------

# https://docs.github.com/actions/reference/workflow-commands-for-github-actions: `::command
# key=value,key=value::message`; values escape % CR LF : , and the message escapes % CR LF.
_COMMAND = re.compile(
    r"^::(?P<cmd>error|warning|notice) (?P<props>(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*"
    r"(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*)::(?P<data>[^\r\n]*)$"
)
_ESCAPED = re.compile(r"%(?!25|0D|0A|3A|2C)")


def _unescape(value: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def test_github_annotations_follow_the_grammar(broken: CheckResult) -> None:
    lines = github.emit(broken).splitlines()
    assert len(lines) == len(broken.findings)
    for line, f in zip(lines, broken.findings, strict=True):
        m = _COMMAND.match(line)
        assert m, line
        assert not _ESCAPED.search(m["props"]) and not _ESCAPED.search(m["data"]), line
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert m["cmd"] == {"error": "error", "warning": "warning", "info": "notice"}[f.severity.value]
        assert _unescape(props["file"]) == f.path
        assert (int(props["line"]), int(props["col"]), props["title"]) == (f.line, f.column, f.rule)
        assert _unescape(m["data"]) == f.message


def test_github_escapes_newlines_and_percent() -> None:
    f = Finding("a,b:c%.md", 3, 1, "KB101", Severity.ERROR, "two\nlines 100%\r")
    line = github.emit(CheckResult(files=1, findings=(f,)))
    assert line == "::error file=a%2Cb%3Ac%25.md,line=3,col=1,title=KB101::two%0Alines 100%25%0D\n"


def test_github_skips_nothing_and_is_empty_when_clean() -> None:
    assert github.emit(CheckResult(files=2)) == ""


# --- sarif ---------------------------------------------------------------------------------------


def test_sarif_matches_the_sarif_schema(broken: CheckResult) -> None:
    data = json.loads(sarif.emit(broken))
    sarif_schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(sarif_schema)
    jsonschema.Draft7Validator(sarif_schema).validate(data)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    assert len(run["results"]) == len(broken.findings)
    for r, f in zip(run["results"], broken.findings, strict=True):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"] == f.rule
        assert r["level"] == {"error": "error", "warning": "warning", "info": "note"}[f.severity.value]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (f.line, f.column)


def test_sarif_uris_are_uri_references(broken: CheckResult) -> None:
    data = json.loads(sarif.emit(broken))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]
    ]
    assert "kb_source/account/sample%20feature.md" in uris
    assert "kb_source/caf%C3%A9-cp1252.md" in uris
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~/%!$&'()*+,;=:@]+", u) for u in uris)
