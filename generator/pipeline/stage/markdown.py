"""Rewrites of an article's Markdown for a staged site: links, images, comments, agent-only blocks.

These work on the text, line by line, outside fenced code, so what the writer wrote is what the
renderer sees apart from the rewritten targets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from markdown_it.token import Token

from generator import mdparse
from generator.mdparse import plain_text, resolve_href, summary_index

# [text](target "title") and ![alt](target): the text may hold two levels of brackets, as a
# linked screenshot `[![alt](shot.png)](page.md)` or docfx's `[Work with [!INCLUDE[x](x.md)]](y.md)`,
# and line breaks, but no blank line: a link never spans two paragraphs. The target stops before
# a `](`: otherwise the target of every `[a](` in `[a]([a]([a](…` runs on to the end of the line,
# and 100 KB of them take over 10 s. Neither renderer reads a target with `](` in it as one
# (`[a](x](y.md)` is no link to them), and the 3,770 real articles of the shared corpora have their
# links rewritten exactly as before.
_CHAR = r"(?:[^\[\]\n]|\n(?![ \t]*\n))"
_LINK = re.compile(
    rf"(?P<bang>!?)\[(?P<text>(?:{_CHAR}|\[(?:{_CHAR}|\[{_CHAR}*\])*\])*)\]"
    r"\(\s*<?(?P<href>(?:[^)\s>\]]|\](?!\())+)>?(?P<title>\s+\"[^\"]*\")?\s*\)"
)
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*)(?P<href>\S+)(?P<rest>.*)$")


class _Comments:
    """`re.compile(r"<!--.*?-->", re.DOTALL)` whose sub() takes linear time: the regex alone
    scans from every `<!--` after the last `-->` to the end of the text (11 s a site for
    `<!-- ` pasted 20,000 times), so it runs only up to the last `-->`, where all its matches lie."""

    pattern = re.compile(r"<!--.*?-->", re.DOTALL)

    def sub(self, repl: str, text: str) -> str:
        end = text.rfind("-->") + 3
        return self.pattern.sub(repl, text[:end]) + text[end:] if end >= 3 else text


_COMMENT = _Comments()

# Given the project-relative path a link points at (and whether it is an image), return the new
# target (relative to the staged page), or None to drop the link and keep its text.
Resolver = Callable[[str, bool], str | None]


def code_blocks(tokens: Sequence[Token]) -> tuple[tuple[int, int], ...]:
    """Line ranges [start, end) of the code blocks, fenced or indented, in a parse."""
    return tuple(sorted(tuple(t.map) for t in tokens if t.type in ("fence", "code_block") and t.map))


def rewrite(text: str, source_path: str, resolver: Resolver, code: Sequence[tuple[int, int]]) -> str:
    """Relative links and images resolved against `source_path` and replaced via `resolver`;
    HTML comments (suppressions, writer notes) removed. Code blocks, fenced or indented, are left
    as written: `code` (code_blocks of the parse of `text`) says where they are, as the checker
    saw them."""
    out: list[str] = []
    for code_block, chunk in _chunks(text, code):
        if code_block:
            out.append(chunk)
            continue
        chunk = _COMMENT.sub("", chunk)
        chunk = _LINK.sub(lambda m: _link(m, source_path, resolver), chunk)
        chunk = "\n".join(_ref_def(line, source_path, resolver) for line in chunk.split("\n"))
        out.append(chunk)
    return "".join(out)


def _chunks(text: str, code: Sequence[tuple[int, int]]) -> Iterator[tuple[bool, str]]:
    """(a code block?, text) pieces that join back to `text`."""
    lines = text.split("\n")
    ends = [line + "\n" for line in lines[:-1]] + lines[-1:]
    done = 0
    for start, end in code:
        if start >= done:
            yield False, "".join(ends[done:start])
            yield True, "".join(ends[start:end])
            done = end
    yield False, "".join(ends[done:])


def _link(match: re.Match[str], source_path: str, resolver: Resolver) -> str:
    # The text first: a screenshot inside a link is an image of the page like any other.
    text = _LINK.sub(lambda m: _link(m, source_path, resolver), match.group("text"))
    bang = match.group("bang")
    target = resolve_href(match.group("href"), source_path)
    if target is None:
        return f"{bang}[{text}{match.group(0)[match.end('text') - match.start() :]}"  # from its "]"
    new = resolver(target[0], bool(bang))
    if new is None:
        return "" if bang else text
    return f"{bang}[{text}]({new}{target[1]}{match.group('title') or ''})"


def _ref_def(line: str, source_path: str, resolver: Resolver) -> str:
    match = _REF_DEF.match(line)
    if not match:
        return line
    target = resolve_href(match.group("href"), source_path)
    if target is None:
        return line
    new = resolver(target[0], False)
    return f"{match.group('lead')}{new or '#'}{target[1]}{match.group('rest')}"


def strip_h1(text: str) -> str:
    """Drop a leading `# Title` line: the theme renders the title from the front matter."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            if line.startswith("# "):
                del lines[i]
            break
    return "\n".join(lines)


def summary(tokens: list[Token]) -> str:
    """Plain text of the summary paragraph (mdparse.summary_index), or ''."""
    i = summary_index(tokens)
    return "" if i is None else " ".join(plain_text(tokens[i + 1]).split())


def section_tokens(tokens: list[Token], heading: str) -> list[Token]:
    """Tokens of the `## heading` section (heading compared case-insensitively)."""
    wanted = heading.casefold()
    spans = mdparse.sections(tokens)
    return [tok for s in spans if s.title.casefold() == wanted for tok in tokens[s.start + 1 : s.stop]]


def steps(tokens: list[Token]) -> list[str]:
    """Plain text of each item of the first numbered list in `tokens`."""
    out: list[str] = []
    level: int | None = None
    take = False
    for tok in tokens:
        if level is None and tok.type == "ordered_list_open":
            level = tok.level
        elif level is not None and tok.type == "ordered_list_close" and tok.level == level:
            break
        elif level is not None and tok.type == "list_item_open" and tok.level == level + 1:
            take = True
        elif take and tok.type == "inline":
            out.append(" ".join(plain_text(tok).split()))
            take = False
    return [s for s in out if s]


def hrefs(tokens: list[Token]) -> list[str]:
    """Targets of the links (not images) in `tokens`, in order."""
    return [
        str(child.attrGet("href") or "")
        for tok in tokens
        if tok.type == "inline"
        for child in tok.children or ()
        if child.type == "link_open"
    ]


def summary_lines(tokens: list[Token]) -> tuple[int, int] | None:
    """Body line range [start, end) of the paragraph `summary` reads."""
    i = summary_index(tokens)
    return None if i is None else (tokens[i].map[0], tokens[i].map[1])


def section_lines(tokens: list[Token], heading: str) -> tuple[int, int] | None:
    """Body line range [start, end) of the `## heading` section, heading line included."""
    wanted = heading.casefold()
    found = next((s for s in mdparse.sections(tokens) if s.title.casefold() == wanted), None)
    return None if found is None else (found.line, 10**9 if found.end is None else found.end)


def part_ids(text: str, tokens: list[Token], sections: Mapping[str, str]) -> str:
    """Give each seven-part `##` heading its part name as id (`{#steps}`), whatever the language,
    so anchors and the theme's section styles are the same in every translation."""
    names = {heading.casefold(): part for part, heading in sections.items()}
    lines = text.split("\n")
    for section in mdparse.sections(tokens):
        part = names.get(section.title.casefold())
        if part is not None and "{" not in lines[section.line]:
            lines[section.line] = f"{lines[section.line].rstrip()} {{#{part}}}"
    return "\n".join(lines)


def blank(text: str, ranges: list[tuple[int, int] | None]) -> str:
    """`text` with the given line ranges emptied (line count kept)."""
    lines = text.split("\n")
    for span in ranges:
        if span is not None:
            for k in range(span[0], min(span[1], len(lines))):
                lines[k] = ""
    return "\n".join(lines)
