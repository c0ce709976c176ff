"""A tiny project whose front matter and configuration carry markup, built with kb's own pipeline
(stage, generated mkdocs.yml, the theme, the post-render steps), and a small DOM to read the result.

Every value a writer or a config maintainer types is here with the payloads of issue 15: an SVG
with an event handler, an attribute break-out, an entity that must stay an entity, and a `</title>`
followed by a script."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.config import load_config
from generator.model import Audience, CheckResult
from generator.pipeline import build_site
from generator.pipeline.load import load_site

TODAY = date(2026, 11, 23)

SVG = "<svg/onload=alert(11)>"
BREAKOUT = '"><img src=x onerror=alert(12)>'
ENTITY = "&lt;script&gt;"
TITLE_CLOSE = "</title><script>alert(13)</script>"
PAYLOADS = (SVG, BREAKOUT, ENTITY, TITLE_CLOSE)

TITLE = f"How do I {SVG} use {BREAKOUT} this {ENTITY} {TITLE_CLOSE}?"
SUMMARY = f"Summary {SVG} and {BREAKOUT} with {ENTITY} then {TITLE_CLOSE} end."
KEYWORD = f"keyword {SVG} {BREAKOUT} {ENTITY} {TITLE_CLOSE}"
SITE_NAME = f"Help {SVG} {BREAKOUT} {ENTITY} {TITLE_CLOSE}"
SITE_DESCRIPTION = f"About {SVG} {BREAKOUT} {ENTITY}"
CATEGORY = f"Account {SVG} {BREAKOUT} {ENTITY} {TITLE_CLOSE}"
CATEGORY_DESCRIPTION = f"Passwords {SVG} {BREAKOUT} {ENTITY}"
LABEL = f"Email {SVG} {BREAKOUT} {ENTITY}"
# A contact value with no safe scheme: shown as text, never a link.
SCRIPT_URL = "javascript:alert(14)"
CHAT_URL = 'https://chat.example/?a=1&b="><img src=x onerror=alert(15)>'
PLAIN_TITLE = "How do I reset my password?"

CONFIG = {
    "site": {
        "name": SITE_NAME,
        "description": SITE_DESCRIPTION,
        "public_url": "https://help.hostile.example/",
        "internal_url": "https://agents.hostile.example/",
        "source_dir": "kb_source",
        "default_language": "en",
    },
    "categories": [{"id": "account", "title": CATEGORY, "description": CATEGORY_DESCRIPTION}],
    "featured": ["hostile", "reset-password"],
    "contact": {
        "channels": [
            {"channel": "email", "label": LABEL, "value": "support@hostile.example", "plans": [SVG]},
            {"channel": "web", "label": "Web", "value": SCRIPT_URL},
            {"channel": "chat", "label": "Chat", "value": CHAT_URL},
        ]
    },
    "languages": [
        {"code": "en", "name": "English"},
        {
            "code": "zh",
            "name": "简体中文",
            "sections": {
                "prerequisites": "准备工作",
                "steps": "操作步骤",
                "tips": "提示",
                "troubleshooting": "故障排除",
                "related": "相关文章",
            },
            "question_marks": ["？"],
        },
    ],
}

HOSTILE = {
    "id": "hostile",
    "title": TITLE,
    "type": "page",
    "category": "account",
    "audience": "public",
    "owner": "Maya Chen",
    "last_reviewed": "2026-10-01",
    "summary": SUMMARY,
    "keywords": [KEYWORD],
}

PLAIN = {
    "id": "reset-password",
    "title": PLAIN_TITLE,
    "category": "account",
    "audience": "public",
    "owner": "Maya Chen",
    "last_reviewed": "2026-10-01",
}

PLAIN_BODY = """\
You can set a new password from the sign-in page.

## Prerequisites

- Your email address.

## Steps

1. Open the sign-in page.
2. Select **Forgot password?**.

## Tips

- Use a password manager.

## Troubleshooting

### The email does not arrive

Check your spam folder.

## Related articles

- [The hostile page](hostile.md)
- [The hostile page again](hostile.md)
"""


def _article(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def write_project(root: Path) -> Path:
    """site_config.yml and kb_source/ under `root`; returns the config path."""
    source = root / "kb_source" / "account"
    source.mkdir(parents=True)
    (source / "hostile.md").write_text(_article(HOSTILE, "Free-form text of the page.\n"), encoding="utf-8")
    (source / "reset-password.md").write_text(_article(PLAIN, PLAIN_BODY), encoding="utf-8")
    path = root / "site_config.yml"
    path.write_text(yaml.safe_dump(CONFIG, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(root: Path, audience: Audience) -> Path:
    """The audience's site (default language at its root, /zh/ inside), as kb renders it."""
    config = load_config(write_project(root / "project"))
    work = root / "work"
    build_site(config, TODAY, load_site(config), CheckResult(files=0), audience, work)
    return work / audience.value


VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr")
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The text inside, whitespace collapsed (entities decoded: what a reader sees)."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> list[Node]:
        out: list[Node] = [self]
        for child in self.children:
            if isinstance(child, Node):
                out += child.iter()
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        """Elements named `tag` whose attributes hold these values (`class_` matches one class)."""
        found = []
        for node in self.iter():
            if node.tag != tag:
                continue
            ok = True
            for key, value in attrs.items():
                name = key.rstrip("_").replace("_", "-")
                have = node.attrs.get(name)
                if name == "class":
                    ok = ok and have is not None and value in have.split()
                else:
                    ok = ok and have == value
            if ok:
                found.append(node)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def dom(path: Path) -> Node:
    return parse(path.read_text(encoding="utf-8"))
