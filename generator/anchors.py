"""The `#fragment`s a page has, as the renderer makes them (KB113 and the outline read them):
heading ids as Python-Markdown's toc makes them, attr_list ids and HTML ids, worked out from the
check's own parse (mdparse.parse) without importing Python-Markdown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

from markdown_it.token import Token

# `## Heading {#id .class}`: attr_list's id at the end of a heading; `{: #id }` after a block.
_ATTR_LIST = re.compile(r"\s*\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}[ ]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_BLOCK_ATTR_ID = re.compile(r"\{:?[^}\n]*?#([^\s}]+)[^}\n]*\}")
_HTML_ID = re.compile(r"""<[a-z][^>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# The three patterns above say what is read; the functions below read the same in one pass over
# the text (tests/benchmarks/test_linear.py holds them equal). Run as regexes, each scans from
# every `{` or `<` to the end of the line or text when nothing closes it: `<a ` pasted 20,000
# times cost 25 s, `{#` 1,500 times more than a minute.
_HTML_ID_ATTR = re.compile(r"""\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_TAG_START = re.compile(r"<[a-z]", re.IGNORECASE)
_ATTR_VALUE = re.compile(r"[^\s}]+")


def _html_ids(text: str) -> list[str]:
    """_HTML_ID.findall(text): a tag's id is its first `id=` or `name=` before the tag's `>`, so
    when a tag has none, no tag that starts before that `>` has one either."""
    found: list[str] = []
    at, close = 0, -1
    while tag := _TAG_START.search(text, at):
        if close < tag.end():  # else the `>` found before is still the first one after the tag
            close = text.find(">", tag.end())
            close = len(text) if close < 0 else close
        attr = _HTML_ID_ATTR.search(text, tag.end(), close)
        if attr is None:
            at = close + 1
        else:
            found.append(attr.group(1))
            at = attr.end()
    return found


def _block_attr_ids(text: str) -> list[str]:
    """_BLOCK_ATTR_ID.findall(text): the id of each `{...#id...}` on one line, where the id is
    the first `#` followed by something other than a space or `}`."""
    found: list[str] = []
    at, close = 0, -1
    while (start := text.find("{", at)) >= 0:
        if close < start:  # else the `}` found before is still the first one after this `{`
            close = text.find("}", start)
            if close < 0:
                break  # nothing closes any `{` from here on
        end = text.find("\n", start, close)
        if end >= 0:
            at = end + 1  # the line ends first: no `{` on it before the `}` is closed
            continue
        at = close + 1
        hash_ = text.find("#", start + 1, close)
        while hash_ >= 0 and (value := _ATTR_VALUE.match(text, hash_ + 1, close)) is None:
            hash_ = text.find("#", hash_ + 1, close)
        if hash_ >= 0 and value is not None:
            found.append(value.group(0))
    return found


def _attr_list(text: str) -> re.Match[str] | None:
    """_ATTR_LIST.search(text): the list can only be after the last `}` but one, so the search
    starts there."""
    last = len(text[:-1] if text.endswith("\n") else text) - 1
    while last >= 0 and text[last] == " ":
        last -= 1
    if last < 0 or text[last] != "}":
        return None
    return _ATTR_LIST.search(text, text.rfind("}", 0, last) + 1)


def anchors(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The `#fragment`s a page's own Markdown gives it, as the renderer makes them: each heading's
    id (written `{#id}`, or Python-Markdown's toc slug of its text, `_1`, `_2`... for repeats),
    and the ids of attribute lists and HTML elements.

    The slugs are the toc's (slugify, unique), so a link to a heading here is a link to the
    rendered heading. Headings the renderer drops or moves (the H1, Related articles) count
    too: a link is flagged only when no page could have the anchor."""
    written: list[str] = []
    headings: list[str] = []
    for i, tok in enumerate(tokens):
        kind = tok.type
        if kind == "inline":  # a heading's own `{#id}` is found here too
            if "{" in tok.content:
                written.extend(_block_attr_ids(tok.content))
            if "<" in tok.content:
                written.extend(_html_ids(tok.content))
        elif kind == "heading_open" and i + 1 < len(tokens):
            text = _heading_text(tokens[i + 1])
            attrs = _attr_list(text) if "{" in text else None
            if attrs is None:
                headings.append(text)
            elif not _ATTR_ID.search(attrs.group(1)):
                headings.append(text[: attrs.start()])
        elif kind == "html_block":
            written.extend(_html_ids(tok.content))
    used = set(written)
    own = [_slug(name) for name in headings]
    skips: dict[str, int] = {}
    slugs = [_unique(slug, used, skips) for slug in own]
    return tuple(dict.fromkeys([*written, *slugs, *own]))  # a repeat's own slug too, should ids move


# Python-Markdown's toc.slugify(name, "-") and toc.unique, written out: importing markdown costs
# 10-15 ms on every `kb check`, where a re-check has a second in all. tests/test_mdparse.py holds
# them to the library's own, and to the ids it renders on real articles.
@lru_cache(maxsize=4096)  # most headings are the seven parts' names, page after page
def _slug(name: str) -> str:
    value = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def _unique(slug: str, used: set[str], skips: dict[str, int]) -> str:
    """toc.unique(slug, used): `slug`, or the first free `base_n` after it.

    Counting up one `base_n` at a time makes n headings named alike take n^2 steps (`## Steps`
    pasted 11,000 times: over 10 s), so `skips` (one dict for all calls on one `used`) keeps the
    runs already counted: skips["base_k"] = c means base_k ... base_(c-1) are all taken. `used`
    only grows, so that stays true; every id passed on the way points past the new one."""
    if slug in used or not slug:
        numbered = _NUMBERED.match(slug)
        base, count = (numbered.group(1), int(numbered.group(2))) if numbered else (slug, 0)
        count += 1
        passed: list[str] = []
        while (taken := f"{base}_{count}") in used:
            passed.append(taken)
            count = skips.get(taken, count + 1)
        for taken in passed:
            skips[taken] = count + 1
        slug = f"{base}_{count}"
    used.add(slug)
    return slug


@cache
def _tag() -> re.Pattern[str]:
    """What the toc's strip_tags removes (needed only for a heading with a `<`)."""
    from markdown.inlinepatterns import HTML_RE

    return re.compile(HTML_RE, re.DOTALL)


def _heading_text(inline: Token) -> str:
    """A heading's text as the toc reads it: text and code, without markup, images or tags.
    Python-Markdown reads `<Server.contoso.com>` and `\\<name>` in text as HTML tags, which the
    toc drops, where CommonMark sees text."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(_tag().sub("", child.content) if "<" in child.content else child.content)
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())
