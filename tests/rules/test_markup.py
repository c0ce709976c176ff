"""KB115-KB119, KB121 and KB122 against the renderer: each good fixture renders alike with
Python-Markdown and CommonMark, each bad one does not, so what the rules report is where the two
part ways."""

from __future__ import annotations

import markdown
import pytest

from generator.rules.markup import BLOCK_ELEMENTS, WRAPPERS
from tests.conftest import RULE_FIXTURES
from tests.shapes import commonmark, renderer


@pytest.mark.parametrize("code", ["KB115", "KB116", "KB117", "KB118", "KB119", "KB121", "KB122"])
def test_the_renderer_reads_the_good_fixture_as_commonmark_does_and_the_bad_one_not(code: str) -> None:
    good, bad = ((RULE_FIXTURES / code / f"{n}.md").read_text(encoding="utf-8") for n in ("good", "bad"))
    assert renderer(good) == commonmark(good)
    assert renderer(bad) != commonmark(bad)


def test_the_block_elements_are_the_renderers() -> None:
    assert frozenset(markdown.util.BLOCK_LEVEL_ELEMENTS) == BLOCK_ELEMENTS
    assert WRAPPERS <= BLOCK_ELEMENTS
