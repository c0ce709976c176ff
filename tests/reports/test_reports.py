"""The freshness and health reports, as data and through `kb report`."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from generator.cli import main
from generator.output import freshness as freshness_output
from generator.output import health as health_output
from generator.pipeline import check as checker
from generator.pipeline.load import load_site
from generator.reports.freshness import DUE_SOON, OVERDUE, freshness
from generator.reports.health import health
from tests.conftest import TODAY, Project, article_text


def reviews(project: Project) -> None:
    project.write("old.md", article_text(id="old", owner="Ana Diaz", last_reviewed="2026-03-01"))
    project.write("older.md", article_text(id="older", owner="Ana Diaz", last_reviewed="2026-01-10"))
    project.write("soon.md", article_text(id="soon", owner="Ben Ito", last_reviewed="2026-06-01"))
    project.write("fresh.md", article_text(id="fresh", owner="Ben Ito", last_reviewed="2026-11-01"))


def test_freshness_groups_by_owner_oldest_first(project: Project) -> None:
    reviews(project)
    report = freshness(project.config(), TODAY, load_site(project.config()))
    assert [g.owner for g in report.groups] == ["Ana Diaz", "Ben Ito"]
    ana, ben = report.groups
    assert [(i.path, i.status, i.days) for i in ana.items] == [
        ("kb_source/older.md", OVERDUE, 137),
        ("kb_source/old.md", OVERDUE, 87),
    ]
    assert [(i.path, i.status, i.days) for i in ben.items] == [("kb_source/soon.md", DUE_SOON, 5)]


def test_freshness_owner_filter_and_formats(project: Project) -> None:
    reviews(project)
    report = freshness(project.config(), TODAY, load_site(project.config()), owner="ben ito")
    assert [i.path for i in report.items] == ["kb_source/soon.md"]
    rows = list(csv.DictReader(io.StringIO(freshness_output.as_csv(report))))
    assert rows[0]["status"] == "due soon" and rows[0]["days"] == "5"
    assert json.loads(freshness_output.as_json(report))["groups"][0]["owner"] == "Ben Ito"
    markdown = freshness_output.markdown(report, link_base="https://git.example/blob/main/")
    assert "[kb_source/soon.md](https://git.example/blob/main/kb_source/soon.md)" in markdown
    assert "5 days left" in freshness_output.text(report)


def test_freshness_command(project: Project) -> None:
    reviews(project)
    args = ["report", "freshness", "--config", str(project.config_path), "--today", "2026-11-23"]
    result = CliRunner().invoke(main, [*args, "--format", "csv", "--owner", "Ana Diaz"])
    assert result.exit_code == 0, result.output
    assert result.output.count("kb_source/") == 2
    assert (
        "Nothing is overdue"
        in CliRunner().invoke(main, [*args, "--format", "markdown", "--owner", "Nobody"]).output
    )


def test_health_counts_per_category(project: Project) -> None:
    reviews(project)  # the corpus articles plus four in category account
    project.write("bad.md", article_text(id="bad", category="data").replace("## Tips", "## Hints"))
    report = health(project.config(), TODAY, *checker.check_and_load(project.config(), TODAY))
    overall = report.overall
    assert overall.pages == 9 and overall.internal == 1 and overall.public == 8
    account = next(h for h in report.categories if h.name == "Sign-in and account")
    assert {c.name: c.count for c in account.errors} == {"KB201": 2}
    assert {c.name: c.count for c in account.warnings} == {"KB202": 1}
    assert account.oldest_review.isoformat() == "2026-01-10"
    assert account.oldest_path == "kb_source/older.md"
    data = next(h for h in report.categories if h.name == "Data and exports")
    assert data.pages == 2 and data.clean_share == 0.5
    assert {"KB105", "KB108"} <= {c.name for c in data.errors}
    assert ("Ana Diaz", 2) in {(c.name, c.count) for c in overall.owners}


def test_health_formats(project: Project) -> None:
    reviews(project)
    report = health(project.config(), TODAY, *checker.check_and_load(project.config(), TODAY))
    assert "| **All pages** | 8 |" in health_output.markdown(report)
    assert json.loads(health_output.as_json(report))["overall"]["pages"] == 8
    result = CliRunner().invoke(
        main, ["report", "health", "--config", str(project.config_path), "--today", "2026-11-23"]
    )
    assert result.exit_code == 0, result.output
    assert "errors: KB201 2" in result.output
