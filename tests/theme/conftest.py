from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.theme.sitefixture import write_site


def build(root: Path, audience: str, lang: str) -> Path:
    config = write_site(root, audience, lang)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return root / "site"


@pytest.fixture(scope="session")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("public"), "public", "en")


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("internal"), "internal", "en")


@pytest.fixture(scope="session")
def zh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("zh"), "public", "zh")
