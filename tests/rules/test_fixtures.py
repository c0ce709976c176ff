"""Every rule has fixtures: each `bad*.md` yields its code, each `good*.md` yields nothing at all.

A fixture is checked inside a project made of tests/fixtures/rules/site_config.yml, the articles
in tests/fixtures/rules/corpus/ (at kb_source/corpus/) and the fixture at kb_source/<name>.md.
A bad fixture may pin its findings, markdownlint style, with `<!-- expect: KB104@23, KB107@30 -->`:
then the (code, line) pairs of the codes named must be exactly those.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.model import Finding
from generator.rules import ALIASES, REGISTRY
from tests.conftest import RULE_FIXTURES, Project

CODE_DIR = re.compile(r"^KB\d{3}$")
EXPECT = re.compile(r"<!--\s*expect:\s*(?P<items>[^>]*?)\s*-->")
ITEM = re.compile(r"(KB\d{3})@(\d+)")
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def fixture_dirs() -> list[Path]:
    return sorted(p for p in RULE_FIXTURES.iterdir() if p.is_dir() and CODE_DIR.match(p.name))


def fixtures(prefix: str) -> list[pytest.param]:
    return [
        pytest.param(d.name, f, id=f"{d.name}/{f.name}")
        for d in fixture_dirs()
        for f in sorted(d.glob(f"{prefix}*.md"))
    ]


def expectations(raw: bytes) -> set[tuple[str, int]]:
    text = raw.decode("utf-8", errors="replace")
    return {
        (code, int(line))
        for match in EXPECT.finditer(text)
        for code, line in ITEM.findall(match.group("items"))
    }


def run(tmp_path: Path, fixture: Path) -> list[Finding]:
    project = Project(tmp_path / "project")
    target = project.write(fixture.name, fixture.read_bytes())
    result = project.check([target])
    return [f for f in result.findings if f.path == f"kb_source/{fixture.name}"]


def show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.rule}@{f.line}: {f.message}" for f in findings) or "  (none)"


@pytest.mark.parametrize(("code", "fixture"), fixtures("bad"))
def test_bad_fixture_is_reported(tmp_path: Path, code: str, fixture: Path) -> None:
    findings = run(tmp_path, fixture)
    assert any(f.rule == code for f in findings), f"{fixture.name}: no {code} finding; got\n{show(findings)}"
    expected = expectations(fixture.read_bytes())
    if expected:
        codes = {c for c, _ in expected}
        got = {(f.rule, f.line) for f in findings if f.rule in codes}
        assert got == expected, f"{fixture.name}: expected {sorted(expected)}; got\n{show(findings)}"


@pytest.mark.parametrize(("code", "fixture"), fixtures("good"))
def test_good_fixture_is_clean(tmp_path: Path, code: str, fixture: Path) -> None:
    findings = run(tmp_path, fixture)
    assert not findings, f"{fixture.name} should have no findings; got\n{show(findings)}"


def test_corpus_is_clean(tmp_path: Path) -> None:
    """The articles fixtures link to are themselves clean, so a finding belongs to the fixture."""
    result = Project(tmp_path / "project").check()
    assert result.findings == ()
    assert result.files == len(list((RULE_FIXTURES / "corpus").glob("*.md")))


# KB001 cases that cannot be committed as files: links and folders are made at test time.
def _link_outside(project: Project, tmp_path: Path) -> Path:
    outside = tmp_path / "outside.md"
    outside.write_text(
        (project.source / "corpus" / "sign-in.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    link = project.source / "linked.md"
    link.symlink_to(outside)
    return link


def _broken_link(project: Project, tmp_path: Path) -> Path:
    link = project.source / "broken.md"
    link.symlink_to(project.source / "missing.md")
    return link


def _folder(project: Project, tmp_path: Path) -> Path:
    folder = project.source / "folder.md"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("make", [_link_outside, _broken_link, _folder], ids=lambda f: f.__name__.strip("_"))
def test_kb001_made_at_test_time(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    project = Project(tmp_path / "project")
    target = make(project, tmp_path)
    whole = project.check()  # a bad entry among good files: reported, and the check goes on
    findings = [f for f in whole.findings if f.path == f"kb_source/{target.name}"]
    assert [(f.rule, f.line) for f in findings] == [("KB001", 1)], show(findings)
    assert [f for f in whole.findings if f.path != f"kb_source/{target.name}"] == []


def test_link_inside_the_tree_is_read(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    (project.source / "corpus" / "alias.md").symlink_to(project.source / "corpus" / "sign-in.md")
    findings = project.check().findings
    # Read like any file: it is a second copy of sign-in, so the duplicate id is what is reported.
    assert {f.rule for f in findings} == {"KB004"}


def test_kb001_good_fixture_really_has_bom_and_crlf() -> None:
    """Guards against a checkout that rewrote the bytes (see .gitattributes)."""
    raw = (RULE_FIXTURES / "KB001" / "good-café.md").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


# Meta: the registry and the fixtures agree.
@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_is_documented_and_has_fixtures(code: str) -> None:
    rule = REGISTRY[code]
    assert rule.summary, f"{code} has no docstring"
    for heading in ("**What it does**", "**Why it matters**", "**Example**"):
        assert heading in rule.doc, f"{code} docstring lacks {heading}"
    assert KEBAB.match(rule.alias), f"{code} alias {rule.alias!r} is not kebab-case"
    assert ALIASES[rule.alias] == code
    folder = RULE_FIXTURES / code
    assert list(folder.glob("bad*.md")), f"no tests/fixtures/rules/{code}/bad*.md"
    assert list(folder.glob("good*.md")), f"no tests/fixtures/rules/{code}/good*.md"


def test_every_fixture_folder_names_a_rule() -> None:
    unknown = [d.name for d in fixture_dirs() if d.name not in REGISTRY]
    assert not unknown, f"fixture folders for rules that are not registered: {unknown}"


def test_expect_marker_parser() -> None:
    assert expectations(b"x\n<!-- expect: KB104@23, KB107@30 -->\n") == {("KB104", 23), ("KB107", 30)}
    assert expectations(b"<!--expect:KB001@1-->") == {("KB001", 1)}
    assert expectations(b"no markers") == set()


def test_kb112_an_image_linked_from_outside_the_tree_is_not_a_file(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    outside = tmp_path / "secret.svg"
    outside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (project.source / "images" / "linked.svg").symlink_to(outside)
    (project.source / "images" / "inside.svg").symlink_to(project.source / "images" / "sign-in.svg")
    good = (RULE_FIXTURES / "KB112" / "good.md").read_text(encoding="utf-8")
    page = good.replace("images/sign-in.svg)", "images/inside.svg)").replace(
        "corpus/../images/sign-in.svg", "images/linked.svg"
    )
    target = project.write("linked-image.md", page)
    findings = [f for f in project.check([target]).findings if f.path == "kb_source/linked-image.md"]
    assert [(f.rule, "linked.svg" in f.message) for f in findings] == [("KB112", True)], show(findings)
