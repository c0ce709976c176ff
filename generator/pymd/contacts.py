"""Python-Markdown extension: the support contacts written in an article's text become links.

An address or number of `contact.channels` (configured as `emails` and `phones`) that the text
holds as typed becomes `<a href="mailto:...">` or `<a href="tel:...">`, on the renderer's own tree
after inline parsing: text inside links, code and preformatted blocks stays as it is. Only values
that are plainly an address or a number are taken, so no configured text can make another kind of
link. Loaded by name from the generated mkdocs.yml (render/mkdocs_config.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,}[0-9]")
_SKIP = frozenset(("a", "code", "pre", "script", "style"))


def hrefs(emails: Iterable[str], phones: Iterable[str]) -> dict[str, str]:
    """Each linkable value with its href; anything else is left out."""
    out = {e: f"mailto:{e}" for e in emails if EMAIL.fullmatch(e)}
    out.update({p: "tel:" + re.sub(r"[^0-9+]", "", p) for p in phones if PHONE.fullmatch(p)})
    return out


class _Linker(Treeprocessor):
    def __init__(self, md: Markdown, links: dict[str, str]) -> None:
        super().__init__(md)
        self.links = links
        # Longest first, whole values only (not inside a longer address or number).
        values = sorted(links, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w@.+-])(" + "|".join(re.escape(v) for v in values) + r")(?![\w@-]|\.\w)"
        )

    def run(self, root: etree.Element) -> None:
        if self.links:
            self._walk(root)

    def _walk(self, parent: etree.Element) -> None:
        if parent.tag in _SKIP:
            return
        children = list(parent)
        self._split(parent, None, parent.text)
        for child in children:
            self._walk(child)
            self._split(parent, child, child.tail)

    def _split(self, parent: etree.Element, after: etree.Element | None, text: str | None) -> None:
        """Links in `text`: parent.text when `after` is None, else after.tail."""
        if not text or not self.pattern.search(text):
            return
        pieces = self.pattern.split(text)
        head, rest = pieces[0], pieces[1:]
        if after is None:
            parent.text = head
            index = 0
        else:
            after.tail = head
            index = list(parent).index(after) + 1
        for value, tail in zip(rest[0::2], rest[1::2], strict=True):
            link = etree.Element("a", {"href": self.links[value]})
            link.text, link.tail = value, tail
            parent.insert(index, link)
            index += 1


class ContactsExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "emails": [[], "support e-mail addresses to link with mailto:"],
            "phones": [[], "support numbers to link with tel:"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        links = hrefs(self.getConfig("emails"), self.getConfig("phones"))
        # After inline parsing (20) and before the table of contents and our sanitizer.
        md.treeprocessors.register(_Linker(md, links), "kb_contacts", 8)


def makeExtension(**kwargs: Any) -> ContactsExtension:
    return ContactsExtension(**kwargs)
