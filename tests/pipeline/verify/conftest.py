"""One clean build of the fixture help center per session; each test tampers with its own copy."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.pipeline import build

TODAY = date(2026, 11, 23)
FIXTURE = Path(__file__).parent / "fixture"


def build_fixture(out: Path) -> tuple[Path, Path]:
    """The fixture project built with the real pipeline."""
    result = build(load_config(FIXTURE / "site_config.yml"), TODAY, out)
    assert result.published, result.check.findings
    return out / "public", out / "internal"


@dataclass(frozen=True)
class Pair:
    public: Path
    internal: Path
    config: SiteConfig


@pytest.fixture(scope="session")
def clean_pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    public, internal = build_fixture(tmp_path_factory.mktemp("verify-build"))
    return Pair(public, internal, load_config(FIXTURE / "site_config.yml"))


@pytest.fixture
def pair(clean_pair: Pair, tmp_path: Path) -> Pair:
    """A copy of the clean build to plant a leak in."""
    public, internal = tmp_path / "public", tmp_path / "internal"
    shutil.copytree(clean_pair.public, public)
    shutil.copytree(clean_pair.internal, internal)
    return Pair(public, internal, clean_pair.config)
