"""`kb check --fix`: apply the fixes of the rules that have one (Rule.fix), file by file.

A fix is written only when it keeps what CommonMark reads (the same blocks and inline content,
so GitHub shows the page as before). A file keeps its line endings and byte order mark; a
suppressed or turned-off rule is not fixed, and a symbolic link is left alone.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from generator.config import SiteConfig
from generator.mdparse import parse
from generator.model import Article, Severity, decoded
from generator.paths import relative
from generator.pipeline.check import severity_of, suppressions
from generator.pipeline.load import discover, load_file
from generator.rules import Rule, select


@dataclass(frozen=True)
class Fixed:
    path: str  # project-relative, as findings name it
    codes: tuple[str, ...]  # the rules whose fixes were written


def fix(config: SiteConfig, paths: Sequence[Path] = (), selected: tuple[str, ...] = ()) -> tuple[Fixed, ...]:
    """Apply the fix of every selected rule not turned off to the articles under `paths` (default:
    the source folder)."""
    rules = [
        r for r in select(selected) if r.fix is not None and severity_of(r.code, config) is not Severity.OFF
    ]
    done = []
    for path in discover(config.source_path, paths) if rules else ():
        if path.is_symlink():
            continue
        article = load_file(path, config.source_path, config.root, config.category_ids)
        codes = []
        for rule in rules:
            if isinstance(article, Article) and _fixed(config, path, article, rule):
                codes.append(rule.code)
                # The file changed: the next rule's fix reads it as written.
                article = load_file(path, config.source_path, config.root, config.category_ids)
        if codes:
            done.append(Fixed(relative(path, config.root), tuple(codes)))
    return tuple(done)


def _fixed(config: SiteConfig, path: Path, article: Article, rule: Rule) -> bool:
    """Whether `rule`'s fix of `article` was written to `path`."""
    if not rule.fix or not rule.applies_to(article, config):
        return False
    if article.expansion is not None:
        return False  # its body holds printed variables and included snippets: never written back
    if rule.code in suppressions.silenced(article.suppressions):
        return False
    body = rule.fix(article)
    if body is None or body == article.body:
        return False
    if not rule.fix_checked and _blocks(body) != _blocks(article.body):
        return False
    _write_body(path, article, body)
    return True


def _blocks(body: str) -> list[tuple[str, str, bool, str]]:
    """What CommonMark reads: each token's type, tag and whether it shows (a tight list hides its
    paragraphs), the text of code, and the text of inline tokens without the spaces that begin
    their lines (a paragraph's lines may start anywhere)."""
    return [(t.type, t.tag, t.hidden, _content(t)) for t in parse(body)]


def _content(tok: Token) -> str:
    if tok.type == "inline":
        return "\n".join(line.lstrip(" ") for line in tok.content.split("\n"))
    return tok.content if tok.type in ("fence", "code_block") else ""


def _write_body(path: Path, article: Article, body: str) -> None:
    """Replace the file's body, keeping its front matter, line endings and byte order mark; the new
    file replaces the old in one rename."""
    raw = path.read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    newline = "\r\n" if b"\r\n" in raw else "\r" if b"\r" in raw else "\n"
    head = decoded(raw).split("\n")[: article.body_line - 1]
    new = "\n".join([*head, *body.split("\n")]).replace("\n", newline)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".kb-fix")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write((codecs.BOM_UTF8 if bom else b"") + new.encode("utf-8"))
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
