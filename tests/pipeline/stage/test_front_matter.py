"""Staged pages carry their front matter as JSON, which MkDocs reads as YAML."""

from __future__ import annotations

import pytest
from mkdocs.utils.meta import get_data

from generator.pipeline.stage.write import front_matter

AWKWARD = [
    "Why does my export stop at 10,000 rows?",
    'Quotes " and \\ backslashes, colons: hashes # anchors &a aliases *b tags !t',
    "yes",
    "2026-01-01",
    "---",
    "如何重置密码？",
    "emoji 😀 and NEL \x85, DEL \x7f, line separator \u2028",
]


@pytest.mark.parametrize("title", AWKWARD)
def test_mkdocs_reads_back_what_was_written(title: str) -> None:
    data = {"title": title, "description": "", "kb": {"tags": ["a", "b"], "n": 3, "on": True, "none": None}}
    body, meta = get_data(f"---\n{front_matter(data)}---\n\nBody text.\n")
    assert meta == data
    assert body.strip() == "Body text."
