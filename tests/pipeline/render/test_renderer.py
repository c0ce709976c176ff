"""What `run_renderer` says when the renderer fails (generator/pipeline/render/renderer.py). The renderer
here is a real child process standing in for MkDocs: it prints what MkDocs prints and fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator.pipeline.render.renderer import TAIL, RenderError, run_renderer


def fake_mkdocs(script: str) -> tuple[str, ...]:
    return (sys.executable, "-c", script)


def test_the_warning_that_stopped_a_strict_build_is_in_the_error(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    script = (
        "print(\"WARNING -  Doc file 'a.md' contains a link 'b c', but the target is not found\")\n"
        "for n in range(200): print(f\"INFO    -  Doc file 'p{n}.md' contains an absolute link '/x'\")\n"
        "print('Aborted with 1 warnings in strict mode!'); raise SystemExit(1)"
    )
    with pytest.raises(RenderError) as failure:
        run_renderer(config, {}, fake_mkdocs(script))
    message = str(failure.value)
    assert "contains a link 'b c', but the target is not found" in message
    assert "INFO" not in message


def test_without_warnings_the_last_lines_are_shown(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    script = "for n in range(200): print(f'line {n}')\nraise SystemExit(2)"
    with pytest.raises(RenderError, match=r"exit 2") as failure:
        run_renderer(config, {}, fake_mkdocs(script))
    shown = str(failure.value).splitlines()[1:]
    assert shown == [f"line {n}" for n in range(200 - TAIL, 200)]
