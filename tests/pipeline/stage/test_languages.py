"""Languages: the default at the root, others under /<lang>/, missing translations fall back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline.conftest import INTERNAL_MARKERS, build, copy_project, files, text_of

pytestmark = pytest.mark.slow

LANGUAGES = """
languages:
  - code: en
    name: English
  - code: zh
    name: 中文
    question_marks: ["？", "?"]
    sections:
      prerequisites: 前提条件
      steps: 操作步骤
      tips: 提示
      troubleshooting: 故障排除
      related: 相关文章
"""

TRANSLATION = """\
---
id: reset-password
title: 如何重置密码？
category: account
audience: public
owner: Li Wei
last_reviewed: 2026-10-05
lang: zh
translation_of_date: 2026-10-01
---

您可以在登录页面上用大约两分钟设置新密码。

## 前提条件

- 您用于登录的电子邮件地址。

## 操作步骤

1. 打开登录页面并选择**忘记密码？**。

    ![登录页面](../images/sign-in.svg)

2. 输入您的电子邮件地址并选择**发送重置链接**。

!!! internal "客服备注"
    ZEBRA-SECRET-7731：请按照 [quokka escalation](../playbooks/quokka-escalation.md) 处理。

## 提示

- 使用密码管理器保存新密码。

## 故障排除

### 没有收到重置邮件

等待五分钟，然后检查垃圾邮件文件夹。

## 相关文章

- [如何更改电子邮件地址？](../account/change-email.md)
- [如何申请退款？](../billing/refund.md)
"""


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("languages")
    project = copy_project(base / "project")
    with (project / "site_config.yml").open("a", encoding="utf-8") as config:
        config.write(LANGUAGES)
    (project / "kb_source" / "zh").mkdir()
    (project / "kb_source" / "zh" / "reset-password.md").write_text(TRANSLATION, encoding="utf-8")
    result = build(project, base / "site")
    assert result.published, [f"{f.path}:{f.line} {f.rule} {f.message}" for f in result.check.findings]
    return base / "site"


def test_translation_is_built_under_its_language(multilingual: Path) -> None:
    page = (multilingual / "public" / "zh" / "reset-password" / "index.html").read_text()
    assert "如何重置密码？" in page
    assert 'lang="zh"' in page
    assert "kb-untranslated" not in page
    assert '<link rel="canonical" href="https://help.fixture.example/zh/reset-password/">' in page
    assert 'hreflang="en" href="https://help.fixture.example/reset-password/"' in page


def test_missing_translation_falls_back_visibly(multilingual: Path) -> None:
    page = (multilingual / "public" / "zh" / "change-email" / "index.html").read_text()
    assert "How do I change my email address?" in page
    assert "kb-untranslated" in page
    english = (multilingual / "public" / "change-email" / "index.html").read_text()
    assert "kb-untranslated" not in english
    assert (
        'hreflang="zh" href="https://help.fixture.example/zh/reset-password/"'
        in (multilingual / "public" / "reset-password" / "index.html").read_text()
    )


def test_every_language_of_the_public_site_is_free_of_internal_content(multilingual: Path) -> None:
    for path in files(multilingual / "public"):
        text = text_of(path)
        for marker in INTERNAL_MARKERS:
            assert marker.casefold() not in text.casefold(), f"{marker!r} in {path}"
    assert (
        "ZEBRA-SECRET-7731"
        in (multilingual / "internal" / "zh" / "reset-password" / "index.html").read_text()
    )


def test_every_link_in_a_language_resolves(multilingual: Path) -> None:
    zh = multilingual / "public" / "zh"
    for name in ("reset-password", "change-email", "refund", "error-codes", "category/account"):
        assert (zh / name / "index.html").is_file(), name
    assert (multilingual / "public" / "zh" / "sitemap.xml").is_file()
    assert not (zh / "robots.txt").exists()
