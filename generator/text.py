"""Prose out of an article: sentences and words, with code, tables and markup left out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.mdparse import internal_blocks, plain_text
from generator.model import Article

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]*\s+|(?<=[。！？])")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’.-][A-Za-z0-9\u00C0-\u024F]+)*")


@dataclass(frozen=True)
class Paragraph:
    line: int  # file line where the paragraph starts
    text: str
    internal: bool  # inside an `!!! internal` block


def paragraphs(article: Article, *, include_headings: bool = False) -> list[Paragraph]:
    """Prose paragraphs and list items of the body; code, tables and HTML are left out."""
    lines = article.body.split("\n")
    internal = {k for b in internal_blocks(lines) for k in range(b.start, b.end)}
    out: list[Paragraph] = []
    in_table = False
    heading = False
    for tok in article.tokens:
        if tok.type == "table_open":
            in_table = True
        elif tok.type == "table_close":
            in_table = False
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline" and not in_table and tok.map and (include_headings or not heading):
            text = plain_text(tok).strip()
            if text:
                start = tok.map[0]
                out.append(Paragraph(article.body_line + start, text, start in internal))
    return out


def sentences(text: str) -> list[str]:
    protected = text
    for abbr in _ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", "\x00"))
    parts = [p.replace("\x00", ".").strip() for p in _SENTENCE_END.split(protected)]
    return [p for p in parts if p]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’) ").endswith((".", "!", "?", "。", "！", "？"))
