"""kb report feedback: the exported votes per article, least helpful first, with reasons and
owners; a bad export is one line naming the file and line (exit 2), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.output.feedback import FORMATS, markdown
from generator.pipeline.load import load_site
from generator.reports.feedback import FeedbackError, feedback
from tests.pipeline.conftest import SITE_FIXTURE, config_of

CSV = """page,vote,reason,date
reset-password/,yes,,2026-11-20
reset-password/,no,,2026-11-20
reset-password/,no,The button in step 3 is gone,2026-11-21
gone-page/,no,,2026-11-22
"""


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    config = config_of(SITE_FIXTURE)
    return config, load_site(config)


def test_votes_per_page_least_helpful_first_with_reasons_and_owner(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config, articles = site
    path = tmp_path / "votes.csv"
    path.write_text(CSV, encoding="utf-8")
    report = feedback(config, path, articles)
    assert report.votes == 3  # the reason is a second record of a vote already counted
    assert [p.page for p in report.pages] == ["gone-page/", "reset-password/"]
    reset = report.pages[1]
    assert (reset.yes, reset.no, reset.helpful) == (1, 1, 0.5)
    assert reset.reasons == ("The button in step 3 is gone",)
    article = next(a for a in articles if a.id == "reset-password" and config.language_of(a).default)
    assert (reset.title, reset.owner) == (article.title, article.owner)
    page = markdown(report)
    assert f"**{article.owner}**" in page and "The button in step 3 is gone" in page
    assert set(FORMATS) == {"text", "json", "markdown"}


def test_json_lines_as_the_widget_sends_them(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config, articles = site
    path = tmp_path / "votes.jsonl"
    records = [
        {"page": "reset-password/", "lang": "en", "vote": "yes", "reason": "", "date": "2026-11-20"}
    ] * 3
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (only,) = feedback(config, path, articles).pages
    assert (only.yes, only.no, only.helpful) == (3, 0, 1.0)
    assert "No article has a" in markdown(feedback(config, path, articles))


@pytest.mark.parametrize(
    ("text", "where"),
    [("page,vote\nx/,maybe\n", ":2: needs a page and a vote"), ("page\nx/\n", ":1: a CSV export needs"),
     ('{"page": "x/", "vote": "yes"}\n{oops\n', ":2: not a JSON object")],
)  # fmt: skip
def test_a_bad_export_names_file_and_line(site, tmp_path: Path, text: str, where: str) -> None:  # type: ignore[no-untyped-def]
    config, articles = site
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedbackError, match=where):
        feedback(config, path, articles)
    run = CliRunner().invoke(
        main, ["report", "feedback", "--from", str(path), "--config", str(SITE_FIXTURE / "site_config.yml")]
    )
    assert run.exit_code == 2 and where in run.output and "Traceback" not in run.output
