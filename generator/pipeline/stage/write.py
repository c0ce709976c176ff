"""A staged page's file: front matter, then the Markdown body."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.pipeline.stage.context import PageContext

# YAML reads JSON, and writing it is fifty times faster than PyYAML's (pure-Python) representer,
# which was half of the staging time. Code points YAML does not allow in a stream, or reads as
# line breaks inside a string, are escaped.
_NOT_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def front_matter(data: Mapping[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return _NOT_IN_YAML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


class Writer:
    """Writes the staged pages. The front matter's `title` and `description` are HTML (escaped
    text): Material prints them as they are, in <title>, meta tags, the header, the navigation and
    the footer. Everything under `kb:` (the PageContext) stays plain text, which the theme prints
    with `| e` (theme/main.html states the whole contract)."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.count = 0

    def page(
        self,
        rel: str,
        title: str,
        description: str,
        context: PageContext,
        body: str,
        hide: tuple[str, ...] = (),
    ) -> None:
        escaped = {"title": html.escape(title), "description": html.escape(description)}
        # `hide:` is Material's: the parts of the layout a page goes without.
        hidden = {"hide": list(hide)} if hide else {}
        front = front_matter({**escaped, **hidden, "kb": context.as_front_matter()})
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n\n{body.strip(chr(10))}\n", encoding="utf-8", newline="\n")
        self.count += 1
