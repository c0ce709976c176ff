"""Seven-part headings get their part name as id in every language."""

from __future__ import annotations

from generator.mdparse import parse
from generator.pipeline.stage.markdown import part_ids

ZH = {"prerequisites": "准备工作", "steps": "操作步骤", "tips": "提示"}


def test_localized_headings_get_canonical_ids() -> None:
    text = "摘要。\n\n## 准备工作\n\n- 账户\n\n## 操作步骤\n\n1. 打开\n\n## 其他\n"
    out = part_ids(text, parse(text), ZH).split("\n")
    assert "## 准备工作 {#prerequisites}" in out
    assert "## 操作步骤 {#steps}" in out
    assert "## 其他" in out  # not a part: left alone


def test_heading_with_its_own_attributes_is_left_alone() -> None:
    text = "## 提示 {#my-tips}\n\n- x\n"
    assert part_ids(text, parse(text), ZH) == text
