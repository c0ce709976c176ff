"""One fixed, small, broken project whose `kb check` report is kept in tests/golden/."""

from __future__ import annotations

from pathlib import Path

from generator.model import CheckResult
from generator.pipeline import check as checker
from tests.conftest import BODY, TODAY, Project, article_text

# Only the families this project is about, so other families' new rules do not move the goldens.
RULES = ("KB0", "KB1")


def build(root: Path) -> Project:
    project = Project(root)
    project.set_config("rules:\n  KB109: warning\n  KB105: info\n")
    body = (
        BODY.replace(
            "1. Open **Settings**.\n\n    ![The settings page with the sample feature switch]"
            "(images/sign-in.svg)\n\n",
            "1. Open **Settings**.\n",
        )
        .replace("## Tips\n\n- You can turn the feature off again at any time.\n\n", "")
        .replace(
            "Turn on **Sample feature**.", "TODO: name the switch, see [100%, really: yes](odd,name%.md)."
        )
    )
    project.write(
        "account/sample feature.md",
        article_text(title="Sample feature", body=body.replace("corpus/", "../corpus/")),
    )
    project.write("café-cp1252.md", "---\nid: cafe\ntitle: Caf\xe9?\n---\n".encode("cp1252"))
    project.write("no-front-matter.md", "# How do I start?\n\nJust start.\n")
    return project


def result(root: Path) -> CheckResult:
    project = build(root)
    return checker.check(project.config(), TODAY, (), RULES)
