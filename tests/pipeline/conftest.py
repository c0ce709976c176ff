"""Real builds of the fixture project in tests/fixtures/site/ (MkDocs runs; nothing is mocked)."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config
from generator.model import Audience
from generator.pipeline import BuildResult
from generator.pipeline import build as build_pipeline
from tests.conftest import FIXTURES, TODAY

SITE_FIXTURE = FIXTURES / "site"

# Strings that exist only in agent-only content of the fixture: the internal page's id and title,
# the marker inside the `!!! internal` block, the image only that block uses, the internal host.
INTERNAL_MARKERS = (
    "quokka",
    "ZEBRA-SECRET-7731",
    "agent-console",
    "Agent playbooks",
    "agents.fixture.example",
)


def copy_project(dest: Path) -> Path:
    shutil.copytree(SITE_FIXTURE, dest)
    return dest


def config_of(project: Path) -> SiteConfig:
    return load_config(project / "site_config.yml")


def build(project: Path, out: Path, audiences: tuple[Audience, ...] = tuple(Audience)) -> BuildResult:
    return build_pipeline(config_of(project), TODAY, out, audiences)


def files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*") if p.is_file())


def text_of(path: Path) -> str:
    """A file's text, gzip files decompressed, binary bytes decoded leniently."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def tree_hash(root: Path) -> dict[str, str]:
    """Every file under root (hidden folders too) -> sha256, to prove a tree did not change."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The fixture project built once for the tests that only read the output."""
    base = tmp_path_factory.mktemp("built")
    project = copy_project(base / "project")
    out = base / "site"
    result = build(project, out)
    assert result.published, result
    return out, result
