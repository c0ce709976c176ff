"""KB2xx beyond the fixtures: each interval source and the due-soon window as configured."""

from __future__ import annotations

from tests.conftest import Project, article_text


def codes(project: Project, name: str) -> list[str]:
    return [f.rule for f in project.check().findings if f.path == f"kb_source/{name}"]


def set_review(project: Project, interval: int, soon: int) -> None:
    text = project.config_path.read_text(encoding="utf-8")
    text = text.replace("default_interval_days: 180", f"default_interval_days: {interval}")
    text = text.replace("due_soon_days: 14", f"due_soon_days: {soon}")
    project.config_path.write_text(text, encoding="utf-8")


def test_default_interval_is_configurable(project: Project) -> None:
    project.write("a.md", article_text(last_reviewed="2026-10-01"))
    assert "KB201" not in codes(project, "a.md")
    set_review(project, interval=30, soon=14)
    assert "KB201" in codes(project, "a.md")


def test_article_interval_beats_category_interval(project: Project) -> None:
    # security reviews every 90 days; the article's own 365 wins
    project.write(
        "a.md",
        article_text(
            category="security",
            last_reviewed="2026-03-01",
            review_interval_days=365,
            compliance_review="{reviewer: Priya Nair, date: 2026-03-01}",
        ),
    )
    assert "KB201" not in codes(project, "a.md")


def test_due_soon_window_is_configurable(project: Project) -> None:
    project.write("a.md", article_text(last_reviewed="2026-06-15"))  # due 2026-12-12: 19 days left
    assert "KB202" not in codes(project, "a.md")
    set_review(project, interval=180, soon=30)
    assert "KB202" in codes(project, "a.md")


def test_overdue_message_names_the_interval_and_line(project: Project) -> None:
    project.write("a.md", article_text(last_reviewed="2026-04-01"))
    (finding,) = [f for f in project.check().findings if f.rule == "KB201"]
    assert finding.line == 7
    assert "by 56 days" in finding.message and "every 180 days" in finding.message


def test_future_date_is_not_also_overdue_or_due_soon(project: Project) -> None:
    project.write("a.md", article_text(last_reviewed="2062-10-01"))
    found = codes(project, "a.md")
    assert "KB204" in found and "KB201" not in found and "KB202" not in found
