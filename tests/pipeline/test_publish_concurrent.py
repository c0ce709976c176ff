"""Builds into one folder at the same time: one publishes, the others refuse at once naming its
pid; the live pair is never a mix and no build fails any other way (no `Errno 39`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.pipeline.conftest import copy_project

KB = Path(sys.executable).parent / "kb"
PUBLISHER = r"""
import os, sys, time
from pathlib import Path
from generator.pipeline import publish

out, version, start, hold = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
while not start.exists():  # all publishers start together
    time.sleep(0.001)
try:
    with publish.scratch(out) as work:
        for name in ("public", "internal"):
            (work / name).mkdir()
            (work / name / "index.html").write_text(f"{name} {version}")
        time.sleep(hold)  # a build takes a while: the others arrive while this one holds the folder
        publish.swap(work, out, ["public", "internal"])
except publish.OutputRefused as exc:
    print(exc, file=sys.stderr)
    sys.exit(3)
print("published")
"""


def pair(out: Path) -> tuple[str, str]:
    versions = tuple(
        (out / n / "index.html").read_text().removeprefix(f"{n} ") for n in ("public", "internal")
    )
    assert len({Path(os.path.realpath(out / n)).parent for n in ("public", "internal")}) == 1
    return versions  # type: ignore[return-value]


def test_publishers_started_together_never_mix_and_never_fail_otherwise(tmp_path: Path) -> None:
    script = tmp_path / "publisher.py"
    script.write_text(PUBLISHER)
    out = tmp_path / "site"
    for round_ in range(3):
        start = tmp_path / f"start-{round_}"
        procs = {
            f"v{round_}.{i}": subprocess.Popen(
                [sys.executable, str(script), str(out), f"v{round_}.{i}", str(start), "0.3"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(6)
        }
        time.sleep(0.5)  # let every interpreter start and wait at the line
        start.touch()
        pids = {str(p.pid) for p in procs.values()}
        winners = []
        for version, proc in procs.items():
            stderr = proc.communicate(timeout=120)[1]
            assert "Errno" not in stderr and "Traceback" not in stderr, stderr
            if proc.returncode == 0:
                winners.append(version)
                continue
            assert proc.returncode == 3, stderr
            assert "another kb build (pid " in stderr and "is writing it" in stderr, stderr
            holder = stderr.split("(pid ", 1)[1].split(")", 1)[0]
            assert holder in pids and holder != str(proc.pid), stderr
        assert winners, "no publisher published"
        assert len(winners) < len(procs), "no publisher was refused: they did not overlap"
        live = pair(out)
        assert live[0] == live[1] and live[0] in winners, (live, winners)
    assert len(os.listdir(out / ".kb" / "releases")) == 2


def test_a_second_kb_build_into_the_same_folder_refuses_at_once(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    args = [
        str(KB),
        "build",
        "--config",
        str(project / "site_config.yml"),
        "--today",
        "2026-11-23",
        "--out",
        str(out),
    ]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = out / ".kb" / "lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.01)
    assert lock.read_text() == f"{first.pid}\n"
    second = subprocess.run(args, capture_output=True, text=True, timeout=120)
    still_building = first.poll() is None
    stderr = first.communicate(timeout=300)[1]
    assert first.returncode == 0, stderr
    assert second.returncode == 2, second.stderr
    assert second.stderr.splitlines() == [
        f"kb: refusing to build into '{out}': another kb build (pid {first.pid}) is writing it;"
        " wait for it to finish or choose another --out"
    ]
    assert second.stdout == ""
    assert still_building  # refused at once, not after its own check and render
    assert (out / "public" / "index.html").is_file() and (out / "internal" / "index.html").is_file()
    assert os.listdir(out / ".kb" / "releases") == ["000001"]
    assert lock.read_text() == ""
