"""`kb serve` shows an edited article in the build it serves before the rebuild: the page it
shows is the page the rebuild makes, with the page's own findings; a change it cannot show alone
is left to the rebuild."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import ondemand
from generator.config import load_config
from generator.quickedit import EDITS, show_edits
from generator.serve import build_preview
from tests.conftest import TODAY
from tests.pipeline.conftest import copy_project

pytestmark = pytest.mark.slow


def findings_of(build: Path, url: str) -> list[str]:
    data = json.loads((build / "findings.json").read_text(encoding="utf-8"))
    return [entry["rule"] for entry in data["pages"].get(url, [])]


@pytest.fixture(params=[False, True], ids=["renderer-started-then", "renderer-started-ahead"])
def ahead(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Whether the edit's pages render with renderers started ahead (ondemand.warm_up), as `kb
    serve` renders them, or with one started when the edit comes."""
    yield request.param
    ondemand.cool_down()


def test_an_edit_is_shown_as_the_rebuild_renders_it_with_its_findings(tmp_path: Path, ahead: bool) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(project / "site_config.yml")
    root = tmp_path / "preview"
    root.mkdir()
    served = build_preview(config, TODAY, root, 1)
    if ahead:
        ondemand.warm_up(served.build)
    page = root / "current" / "internal" / "refund" / "index.html"
    before = page.read_text(encoding="utf-8")
    assert "KB301" not in findings_of(served.build, "/refund/")
    source = project / "kb_source" / "billing" / "refund.md"
    text = source.read_text(encoding="utf-8")
    # New words in the body, a real address (a finding), and a related link made its first.
    edited = text.replace(
        "You can ask for a refund within 30 days of a charge.",
        "You can ask for a refund within 45 days of a charge. Write to dana.wong@gmail.com.",
    ).replace(
        "- [How do I reset my password?](../account/reset-password.md)\n"
        "- [How do I change my email address?](../account/change-email.md)",
        "- [How do I change my email address?](../account/change-email.md)\n"
        "- [How do I reset my password?](../account/reset-password.md)",
    )
    assert edited != text
    source.write_text(edited, encoding="utf-8")
    shown = show_edits(served, [source])
    assert shown is not None
    quick = page.read_text(encoding="utf-8")
    assert quick != before and "45 days" in quick and "45 days" not in before
    assert quick.index("change-email/") < quick.index("reset-password/")
    assert (root / "current" / EDITS).read_text(encoding="utf-8") == "1"
    found = findings_of(shown.build, "/refund/")
    assert "KB301" in found
    # A second edit in the same build: its selections and index are updated, not made again.
    source.write_text(edited.replace("45 days", "60 days"), encoding="utf-8")
    again = show_edits(shown, [source])
    assert again is not None and again.selections is not None and again.index is not None
    quick = page.read_text(encoding="utf-8")
    assert "60 days" in quick and "45 days" not in quick
    assert (root / "current" / EDITS).read_text(encoding="utf-8") == "2"
    assert findings_of(again.build, "/refund/") == found
    rebuilt = build_preview(config, TODAY, root, 2)
    assert page.read_text(encoding="utf-8") == quick
    assert findings_of(rebuilt.build, "/refund/") == found


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: refund\n", "id: refunds\n"),  # a new URL: the old page would stay
        ("audience: public\n", "audience: internal\n"),
        ("title: How do I get a refund?\n", "title: [broken\n"),  # the rebuild says why
    ],
)
def test_a_change_the_page_alone_cannot_show_is_left_to_the_rebuild(
    tmp_path: Path, old: str, new: str
) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(project / "site_config.yml")
    root = tmp_path / "preview"
    root.mkdir()
    served = build_preview(config, TODAY, root, 1)
    page = root / "current" / "internal" / "refund" / "index.html"
    before = page.read_bytes()
    source = project / "kb_source" / "billing" / "refund.md"
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert show_edits(served, [source]) is None
    assert page.read_bytes() == before
    assert not (root / "current" / EDITS).exists()
    assert show_edits(served, [project / "site_config.yml"]) is None
