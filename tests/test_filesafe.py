"""generator.filesafe: an SVG with anything that runs or calls out is refused, with its line, and
so is a file browsers run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.filesafe import file_problems, svg_problems

NS = "http://www.w3.org/2000/svg"
SVG = f'<svg xmlns="{NS}">'
XLINK = f'<svg xmlns="{NS}" xmlns:xlink="http://www.w3.org/1999/xlink">'
PLAIN = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/>'
    '<use href="#g"/><a href="https://example.com/help"><text>Help</text></a></svg>'
)


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "image.svg"
    path.write_text(text, encoding="utf-8")
    return svg_problems(path)


def test_a_plain_drawing_passes(tmp_path: Path) -> None:
    assert problems(tmp_path, PLAIN) == []


@pytest.mark.parametrize(
    ("svg", "expected"),
    [
        (f'{SVG}<script>alert(1)</script></svg>', "line 1: <script>"),
        (f'{SVG}\n<rect onload="alert(1)"/></svg>', "line 2: the event handler onload="),
        (f'{SVG}<svg:script xmlns:svg="{NS}"/></svg>', "<svg:script>"),
        (f'{SVG}<foreignObject/></svg>', "<foreignObject>"),
        (f'{SVG}<a href="javascript:alert(1)"><text>x</text></a></svg>', "javascript: link"),
        (f'{XLINK}<image xlink:href="https://t.example/p.png"/></svg>', "refers outside the image"),
        (f'{SVG}<use href="other.svg#icon"/></svg>', "refers outside the image"),
        (f'{SVG}<rect style="fill:url(https://t.example/x)"/></svg>', "url(...) in style="),
        (f'{SVG}<style>@import "https://t.example/x.css";</style></svg>', "the <style> refers outside"),
        (f'<?xml-stylesheet href="https://t.example/x.css"?>{SVG}</svg>', "xml-stylesheet"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>', "declares entities"),
        ("<svg><rect></svg>", "not well-formed XML"),
        ("\x89PNG\r\n\x1a\n", "not well-formed XML"),
    ],
)  # fmt: skip
def test_what_is_refused(tmp_path: Path, svg: str, expected: str) -> None:
    found = problems(tmp_path, svg)
    assert any(expected in p for p in found), found


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.svg"
    path.write_bytes(b"<svg>" + b" " * 3_000_000 + b"</svg>")
    assert svg_problems(path) == ["is larger than 2 MB: export it as PNG"]


@pytest.mark.parametrize(
    "name", ["export.html", "Report.HTM", "app.js", "module.mjs", "icon.svgz", "page.xhtml"]
)
def test_files_browsers_run_are_refused_by_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("harmless today", encoding="utf-8")
    assert file_problems(path) and "runs in the reader's browser" in file_problems(path)[0]


@pytest.mark.parametrize("name", ["guide.pdf", "template.csv", "logs.zip", "notes.txt", "shot.png"])
def test_other_attachments_pass(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    assert file_problems(path) == []
