"""YAML parsing for front matter and configuration: safe, fast, and strict about surprises.

- The C loader where PyYAML has it (about 9x faster than the pure-Python one).
- Dates stay strings, so the JSON Schema decides what a valid date is and an impossible date
  (2024-02-30) is a schema finding instead of a constructor crash.
- Duplicate keys are an error, not a silent "last one wins".
- Anchors and aliases are refused before anything is built, so an alias bomb costs a scan of the
  text, never an expansion.
- An error is said in a writer's words, with the fix, on the line to fix (an unclosed quote is
  reported where it opens, not where the parser ran out of text).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # PyYAML keeps the last of two equal keys; a repeated field is a typo the writer must see.
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise YamlError(
                    key_node.start_mark.line + 1,
                    f"field '{key}' is written twice: keep one of the two lines",
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Drop the timestamp resolver, and read booleans as YAML 1.2 does (true/false only): in YAML 1.1
# `KB109: off` is False and `lang: no` (Norwegian) is False, which no writer means.
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, _BOOL_1_2 if tag == _BOOL else rx)
        for tag, rx in resolvers
        if tag != "tag:yaml.org,2002:timestamp" and (tag != _BOOL or first in "tTfF")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_MAYBE_ALIAS = re.compile(r"[&*]")


@dataclass(frozen=True)
class YamlError(Exception):
    line: int  # 1-based line within the parsed text
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def load_yaml(text: str) -> Any:
    try:
        if _MAYBE_ALIAS.search(text):
            _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _located(exc, text) from exc
    except (ValueError, TypeError, RecursionError) as exc:
        raise YamlError(1, f"invalid YAML value: {exc}") from exc


def _refuse_aliases(text: str) -> None:
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            line = token.start_mark.line + 1
            raise YamlError(
                line,
                "YAML anchors and aliases (& and *) are not allowed: write the value out, or put a value "
                "that starts with & or * in quotes",
            )


def _located(exc: yaml.YAMLError, text: str) -> YamlError:
    """The parser's error with its line, in plain words: a syntax error has a mark; a character the
    reader refuses (a control character such as a pasted BEL) has only its position in the text."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _explained(exc, text.split("\n"))
    if isinstance(exc, yaml.reader.ReaderError):
        # Its position counts bytes in the C reader and characters in the Python one: the first
        # occurrence of the character itself is where the reader stopped.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line = text.count("\n", 0, max(text.find(chr(code)), 0)) + 1
        return YamlError(
            line,
            f"character U+{code:04X} is not allowed in YAML ({exc.reason}): it is invisible, so "
            "retype the line",
        )
    return YamlError(1, str(exc).splitlines()[0] if str(exc) else "invalid YAML")


# A top-level `name: value` line; `value` (trailing spaces included: strip it) is None when
# nothing follows the colon.
_FIELD = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*))?$")
# What YAML reads as more than text at the start of a value (a list, a mapping, an alias, a tag,
# a block of text, a comment, a reserved sign), or anywhere in it (`: ` starts a field, ` #` a
# comment).
_SIGNS = tuple("[]{}*&!|>%@`#,")
_INSIDE = (": ", " #")


def _explained(exc: yaml.MarkedYAMLError, lines: list[str]) -> YamlError:
    """A syntax error in a writer's words, with the fix, on the line to fix."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    at = min(mark.line if mark else 0, len(lines) - 1)
    start = min(exc.context_mark.line, at) if exc.context_mark else at  # what the parser was reading
    opened = _unclosed_quote(lines, at)
    if opened is not None:
        n, key, quote = opened
        return YamlError(
            n + 1, f"the {quote} that opens the value of '{key}' is never closed: end the value with {quote}"
        )
    if "tab" in problem:
        return YamlError(at + 1, "a tab indents this line: YAML indents with spaces only; replace the tab")
    if "could not find expected ':'" in problem:
        return YamlError(start + 1, "this line is not a field: write it as 'name: value' (with ': ')")
    for bracket, closing in (("[", "]"), ("{", "}")):
        if f"'{closing}'" in problem and start != at:
            return YamlError(
                start + 1, f"the {bracket} opened on this line is never closed: end it with {closing}"
            )
    for n in dict.fromkeys((at, start)):  # the line the parser stopped on, then the one it read
        hint = _quote_hint(lines[n])
        if hint:
            return YamlError(n + 1, hint)
    if "mapping values" in problem and lines[at][:1] in (" ", "\t"):
        return YamlError(
            at + 1,
            "this line is indented, so YAML reads it as part of the field above: remove the "
            "spaces at its start",
        )
    return YamlError(
        at + 1,
        f"YAML cannot read this line ({problem}): write each field as 'name: value' on a line of its "
        "own, and put a value in quotes when it holds ': ' or ' #' or starts with a sign such as [ { * & !",
    )


def _quote_hint(line: str) -> str:
    """How to write a field whose value YAML reads as more than text: in quotes ('' when the line
    is no such field)."""
    field = _FIELD.match(line)
    value = (field.group("value") or "").strip() if field else ""
    if not field or not value:
        return ""
    if value.startswith(('"', "'")):
        why = "has text after its closing quote"
    elif value.startswith(_SIGNS) or value.startswith(("- ", "? ")):
        why = f"starts with '{value[0]}', which YAML reads as more than text"
    elif any(sign in value for sign in _INSIDE):
        sign = next(sign for sign in _INSIDE if sign in value)
        why = f"holds '{sign.strip()}{' ' if sign == ': ' else ''}', which YAML reads as " + (
            "the start of another field" if sign == ": " else "the start of a comment"
        )
    else:
        return ""
    key = field.group("key")
    return f"the value of '{key}' {why}: put the value in quotes: {key}: {quoted(value)}"


def quoted(value: str) -> str:
    """`value` as a YAML quoted string: in double quotes, or single ones when it holds a double."""
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _unclosed_quote(lines: list[str], upto: int) -> tuple[int, str, str] | None:
    """(line index, field, quote) of the first field up to line `upto` whose value opens a quote that
    its line never closes. YAML lets a quoted value run on over lines, so a quote left open reads
    the fields after it as its text, and the parser stops lines later."""
    for n, line in enumerate(lines[: upto + 1]):
        field = _FIELD.match(line)
        value = (field.group("value") or "").strip() if field else ""
        if value and value[0] in "\"'" and _closing(value) < 0:
            return n, field.group("key"), value[0]  # type: ignore[union-attr]
    return None


def _closing(value: str) -> int:
    """Offset of the quote that closes the quoted `value`, -1 when none on its line."""
    quote, at = value[0], 1
    while at < len(value):
        if value[at] == "\\" and quote == '"':
            at += 2
        elif value[at] == quote and quote == "'" and value[at + 1 : at + 2] == "'":
            at += 2  # '' is a quote inside single quotes
        elif value[at] == quote:
            return at
        else:
            at += 1
    return -1


# A field of a mapping as written at the top level: `name:` at the start of a line.
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def key_lines(lines: list[str]) -> dict[str, int]:
    """The 1-based line of each top-level field in the lines of a YAML mapping (the last, when a
    field is written twice)."""
    return {m.group(1): n + 1 for n, line in enumerate(lines) if (m := _KEY.match(line))}


def fields_alone(text: str) -> tuple[dict[str, Any], frozenset[str]]:
    """What can be read of a mapping that does not parse as a whole: each top-level field read
    alone (its `name:` line and the indented or list lines under it), and the names of the fields
    that cannot be read that way, or are written twice."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        key = _KEY.match(line)
        if key:
            blocks.append((key.group(1), [line]))
        elif blocks and (not line.strip() or line.startswith((" ", "\t", "-"))):
            blocks[-1][1].append(line)
        else:
            blocks.append(("", [line]))  # a line that is no field: nothing to read
    fields: dict[str, Any] = {}
    unread: set[str] = set()
    for key, block in blocks:
        if not key:
            continue
        try:
            value = load_yaml("\n".join(block))
        except YamlError:
            value = None
        if key in fields or key in unread or not (isinstance(value, dict) and list(value) == [key]):
            fields.pop(key, None)
            unread.add(key)
        else:
            fields[key] = value[key]
    return fields, frozenset(unread)
