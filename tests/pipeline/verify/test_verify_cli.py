"""`kb verify`: exit status and the three report formats, on a real build."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.pipeline.verify.conftest import FIXTURE, Pair


def run(site: Path, *args: str) -> tuple[int, str]:
    config = str(FIXTURE / "site_config.yml")
    result = CliRunner().invoke(
        main,
        ["verify", "--site", str(site), "--config", config, "--today", "2026-11-23", "--no-links", *args],
    )
    return result.exit_code, result.output


def test_clean_pair_exits_0(clean_pair: Pair) -> None:
    code, out = run(clean_pair.public.parent)
    assert code == 0, out
    assert out.endswith("OK, safe to publish.\n")


def test_leak_exits_1_naming_file_and_cause_in_every_format(pair: Pair) -> None:
    shutil.copytree(
        pair.internal / "duplicate-charge-escalation", pair.public / "duplicate-charge-escalation"
    )
    leaked = (pair.public / "duplicate-charge-escalation" / "index.html").as_posix()

    code, out = run(pair.public.parent)
    assert code == 1
    assert f"{leaked}: leak: internal page id 'duplicate-charge-escalation'" in out

    code, out = run(pair.public.parent, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert {"file": leaked, "kind": "leak"}.items() <= data["problems"][0].items()

    code, out = run(pair.public.parent, "--format", "junit")
    cases = ET.fromstring(out).findall(".//testcase")
    assert code == 1 and leaked in [c.get("name") for c in cases]
    assert all(f.get("type") == "leak" for c in cases for f in c.findall("failure"))
