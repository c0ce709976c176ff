"""`kb report reuse`: each variable and snippet with the articles that use it, and unused ones.
The project is the rule fixtures' (tests/fixtures/rules/_data and _snippets)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main
from generator.pipeline.check import check_and_load
from generator.pipeline.load import load_site
from generator.reports.reuse import reuse
from tests.conftest import BODY, TODAY, Project, article_text

USES = BODY.replace(
    "## Tips\n",
    "## Tips\n\n- On Starter, we reply within {{ plans.starter.p1_first_response }}.\n\n"
    '{% include "reply-times.md" %}\n',
)


def test_uses_and_unused_ones_are_listed(project: Project) -> None:
    project.write("uses.md", article_text(USES))
    report = reuse(project.config(), load_site(project.config()))
    used = {v.name: v.used_in for v in report.variables}
    # Printed by the article, or by the snippet it includes: its page shows them either way.
    assert used["plans.starter.p1_first_response"] == ("kb_source/uses.md",)
    assert used["plans.enterprise.name"] == ("kb_source/uses.md",)
    assert used["contact.email"] == ()
    snippets = {s.name: (s.audience, s.used_in) for s in report.snippets}
    assert snippets["reply-times.md"] == ("public", ("kb_source/uses.md",))
    assert snippets["agent-escalation.md"] == ("internal", ())


def test_the_checks_articles_give_the_same_report(project: Project) -> None:
    """The build's articles come from the check (its workers or cache): they carry what they use."""
    project.write("uses.md", article_text(USES))
    config = project.config()
    assert reuse(config, check_and_load(config, TODAY)[1]) == reuse(config, load_site(config))
    assert reuse(config, check_and_load(config, TODAY)[1]) == reuse(config, load_site(config))  # cached


def test_kb_report_reuse_as_json(project: Project) -> None:
    project.write("uses.md", article_text(USES))
    project.write("_data/broken.yml", "a: [1\n")
    args = ["report", "reuse", "--format", "json", "--config", str(project.config_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"name": "contact.email", "value": "support@fixture.example", "used_in": []} in data["variables"]
    assert data["broken"] and data["broken"][0].startswith("kb_source/_data/broken.yml:")
