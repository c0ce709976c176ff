"""KB307: images without alt text, in Markdown and in HTML."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.html import article_elements


@rule("KB307", "image-alt-text", Severity.ERROR)
def image_alt_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """An image without alt text (Markdown `![](...)` or HTML `<img>`).

    **What it does**: every image needs a description of what it shows: the text in the brackets
    of `![...](...)`, or an `alt="..."` attribute on `<img>`.

    **Why it matters**: screen readers read the alt text aloud, and it shows when the image does
    not load; a screenshot without it leaves those readers without the step.

    **Example**: `![](../images/export.png)` ->
    `![The Export button in the Reports toolbar](../images/export.png)`
    """
    lines = article.lines
    for tok in article.tokens:
        if tok.type == "inline" and tok.map:
            # Images come in order: each is looked for from where the last one was found.
            line, column = tok.map[0], 0
            for child in tok.children or ():
                if child.type != "image":
                    continue
                src = str(child.attrGet("src") or "")
                line, column = _next(lines, line, column, min(tok.map[1] - 1, line + 40), src)
                if not child.content.strip():
                    yield Hit(article.body_line + line, f"image '{src}' has no alt text")
    for number, column, element in article_elements(article):
        if (
            element is not None
            and str(element.tag).lower() == "img"
            and not str(element.get("alt") or "").strip()
        ):
            yield Hit(
                article.body_line + number - 1,
                '<img> has no alt text: add alt="what the image shows"',
                column,
            )


def _next(lines: tuple[str, ...], line: int, column: int, last: int, needle: str) -> tuple[int, int]:
    """(line, column) of the next `needle` from (line, column) up to line `last`; where it started
    when it is not there (markdown-it normalises some targets)."""
    for n in range(line, min(last, len(lines) - 1) + 1):
        at = lines[n].find(needle, column if n == line else 0) if needle else -1
        if at != -1:
            return n, at + len(needle)
    return line, column
