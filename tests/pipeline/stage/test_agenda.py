"""The internal report pages' additions: reviews ahead, health column notes, rules summary."""

from __future__ import annotations

from datetime import date, timedelta

from generator.pipeline.load import load_site
from generator.pipeline.stage.agenda import HEALTH_COLUMNS, ahead, health_notes, rules_summary
from generator.rules import select
from generator.rules.freshness import review_due
from tests.pipeline.conftest import SITE_FIXTURE, config_of


def test_reviews_ahead_are_banded_by_days_left_and_grouped_by_owner() -> None:
    config = config_of(SITE_FIXTURE)
    articles = load_site(config)
    dues = [review_due(a, config, date(2030, 1, 1)) for a in articles]  # every one reviewed by then
    first = min(d.due for d in dues if d is not None)
    # A day chosen so the earliest review is 40 days ahead: in the 31-60 band, not the 15-30 one.
    today = first - timedelta(days=40)
    text = ahead(config, today, articles, "src:")
    bands = text.split("### ")[1:]
    assert [b.splitlines()[0].split(" (")[0] for b in bands] == [
        "In 15 to 30 days",
        "In 31 to 60 days",
        "In 61 to 90 days",
    ]
    assert "Nothing due." in bands[0]
    soonest = next(a for a, d in zip(articles, dues, strict=True) if d is not None and d.due == first)
    assert f"(src:{soonest.path})" in bands[1] and f"**{soonest.owner}**" in bands[1]
    assert str(first) in bands[1]


def test_health_notes_explain_every_column_of_the_table() -> None:
    notes = health_notes()
    for name, _ in HEALTH_COLUMNS:
        assert f"- **{name}**: " in notes
    assert [n for n, _ in HEALTH_COLUMNS][-1] == "Oldest review"


def test_rules_summary_has_a_row_per_rule_linking_to_its_details() -> None:
    rules = list(select())
    summary = rules_summary(rules)
    rows = [line for line in summary.splitlines() if line.startswith("| [KB")]
    assert len(rows) == len(rules)
    first = rules[0]
    assert rows[0].startswith(f"| [{first.code}](#{first.code.lower()}-{first.alias}) | `{first.alias}` |")
    assert first.default.value in rows[0]
