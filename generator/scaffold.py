"""`kb new`: a seven-part article with its front matter filled and `TODO:` placeholders that KB111
reports until the writer replaces them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from generator.config import SiteConfig
from generator.model import Audience, PageType
from generator.pipeline.load import load_all

# Question openers that add nothing to a URL: "How do I export my data?" -> export-data.
_OPENERS = re.compile(
    r"^(how (do|can|should) (i|we|you)|how to|can (i|we|you)|what (is|are|does|do)"
    r"|why (is|are|does|do|can't|cannot)|where (is|are|do|can) (i|we|you)"
    r"|when (do|should|can|will) (i|we|you))\b\s*",
    re.IGNORECASE,
)
_FILLER = {"a", "an", "the", "my", "our", "your", "i", "we", "you", "do", "to"}


class ScaffoldError(Exception):
    """The article cannot be created; the message says why."""


class UnknownCategory(ScaffoldError):
    pass


class NotAQuestion(ScaffoldError):
    pass


@dataclass(frozen=True)
class NewArticle:
    path: Path
    id: str


def slug(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = _OPENERS.sub("", text.strip())
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _FILLER]
    return "-".join(words)[:80].strip("-")


def new_article(
    config: SiteConfig,
    title: str,
    category: str,
    owner: str,
    today: date,
    audience: Audience = Audience.PUBLIC,
    article_id: str | None = None,
    page_type: PageType = PageType.ARTICLE,
) -> NewArticle:
    """Write kb_source/<category>/<id>.md; never overwrite a file or reuse an id. An article's
    title must be the question it answers (KB101); a free-form page's need not."""
    if config.category(category) is None:
        known = ", ".join(c.id for c in config.categories)
        raise UnknownCategory(f"unknown category '{category}' (known: {known})")
    marks = tuple(dict.fromkeys(["?", "？", *(m for lang in config.languages for m in lang.question_marks)]))
    if page_type is PageType.ARTICLE and not title.strip().endswith(tuple(marks)):
        raise NotAQuestion(
            f"an article's title is the question it answers, ending in {' or '.join(marks)}: "
            f"'{title.strip()}?' (or --type page for a free-form page)"
        )
    page_id = article_id or slug(title)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", page_id or ""):
        raise ScaffoldError(f"cannot make an id from {title!r}; pass --id with lowercase words and hyphens")
    path = config.source_path / category / f"{page_id}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; not overwriting it")
    articles = load_all(config.source_path, config.root).articles
    taken = next((a for a in articles if a.id == page_id and not a.lang), None)
    if taken is not None:
        raise ScaffoldError(f"id '{page_id}' is already used by {taken.path}; pass another --id")
    front = {
        "id": page_id,
        "title": title.strip(),
        "category": category,
        "audience": audience.value,
        "owner": owner,
        "last_reviewed": today.isoformat(),
    }
    if page_type is PageType.PAGE:
        front = {
            **front,
            "type": page_type.value,
            "summary": "TODO: one sentence saying what this page is for.",
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    headings = config.language(config.default_language).sections
    text = _template(front, headings) if page_type is PageType.ARTICLE else _page(front)
    path.write_text(text, encoding="utf-8", newline="\n")
    return NewArticle(path, page_id)


def _template(front: dict[str, str], s: Mapping[str, str]) -> str:
    """The new article: front matter, and the seven parts under the default language's headings."""
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    return f"""---
{head}---

TODO: one sentence saying what this article helps the customer do.

## {s["prerequisites"]}

- TODO: what the customer needs before starting (role, plan, app version).

## {s["steps"]}

1. TODO: the first step, starting with a verb.
2. TODO: the next step. Add a screenshot where the customer has to choose:

    ![TODO: what the screenshot shows](../images/TODO.png)

3. TODO: the last step and what the customer sees when it worked.

## {s["tips"]}

- TODO: a shortcut or something that saves the next question.

## {s["troubleshooting"]}

### TODO: a problem customers run into

TODO: how to fix it.

## {s["related"]}

- [TODO: a related article](TODO.md)
- [TODO: another related article](TODO.md)
"""


def _page(front: dict[str, str]) -> str:
    """A free-form page (a playbook, a template): front matter and a first heading to replace."""
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{head}---\n\nTODO: the page's text.\n"
