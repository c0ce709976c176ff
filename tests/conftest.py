"""Shared fixtures: a throwaway project on disk (site_config.yml + kb_source/) per test.

Everything is written under pytest's tmp_path, so tests can run in parallel (pytest -n).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.model import CheckResult
from generator.pipeline import check as checker
from generator.rules import REGISTRY

TODAY = date(2026, 11, 23)
FIXTURES = Path(__file__).parent / "fixtures"
RULE_FIXTURES = FIXTURES / "rules"

FRONT_MATTER = {
    "id": "sample-article",
    "title": "How do I use the sample feature?",
    "category": "account",
    "audience": "public",
    "owner": "Maya Chen",
    "last_reviewed": "2026-10-01",
}

BODY = """\
You can use the sample feature from the settings page in a few minutes.

## Prerequisites

- An account in your company's workspace.

## Steps

1. Open **Settings**.

    ![The settings page with the sample feature switch](images/sign-in.svg)

2. Turn on **Sample feature**.

## Tips

- You can turn the feature off again at any time.

## Troubleshooting

### The switch is greyed out

Ask your workspace administrator to give you permission.

## Related articles

- [How do I sign in to my workspace?](corpus/sign-in.md)
- [How do I export my data?](corpus/export-data.md)
"""


def article_text(body: str = BODY, **fields: object) -> str:
    """A valid article (at kb_source/ top level) with fields overridden; None drops a field."""
    meta = {**FRONT_MATTER, **fields}
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


class Project:
    """A project folder made of the fixture site_config.yml, the fixture corpus and test files."""

    def __init__(self, root: Path, corpus: bool = True) -> None:
        self.root = root
        self.source = root / "kb_source"
        self.source.mkdir(parents=True)
        shutil.copy(RULE_FIXTURES / "site_config.yml", root / "site_config.yml")
        shutil.copytree(RULE_FIXTURES / "images", self.source / "images")
        if corpus:
            shutil.copytree(RULE_FIXTURES / "corpus", self.source / "corpus")
            # The variables and snippets the KB008 and KB009 fixtures use (pipeline/expand/).
            for folder in ("_data", "_snippets"):
                shutil.copytree(RULE_FIXTURES / folder, self.source / folder)

    @property
    def config_path(self) -> Path:
        return self.root / "site_config.yml"

    def write(self, name: str, content: str | bytes) -> Path:
        """Write kb_source/<name>; text is written as UTF-8 with the line ends given."""
        path = self.source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def config(self) -> SiteConfig:
        return load_config(self.config_path)

    def set_config(self, extra_yaml: str) -> None:
        """Append top-level YAML (e.g. a `rules:` block replacing the fixture's) to the config."""
        text = self.config_path.read_text(encoding="utf-8")
        if extra_yaml.lstrip().startswith("rules:"):
            text = text.split("\nrules:", 1)[0] + "\n"
        self.config_path.write_text(text + extra_yaml, encoding="utf-8")

    def check(self, paths: Sequence[Path] = (), selected: tuple[str, ...] = ()) -> CheckResult:
        return checker.check(self.config(), TODAY, paths, selected)

    def messages(self, code: str) -> list[str]:
        """Messages of the findings of rule `code` over the whole project, without the rule's
        alias that ends each one (which this asserts is there)."""
        suffix = f" ({REGISTRY[code].alias})"
        found = [f.message for f in self.check().findings if f.rule == code]
        assert all(m.endswith(suffix) for m in found), found
        return [m.removesuffix(suffix) for m in found]

    def replace_in_config(self, old: str, new: str) -> None:
        text = self.config_path.read_text(encoding="utf-8")
        assert old in text
        self.config_path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project", corpus=False)


@pytest.fixture
def article() -> Callable[..., str]:
    return article_text
