"""Front matter in a writer's words: each problem `schemas/article.schema.json` finds (KB003),
said with its fix, on the line of its field; and what can still be read of a block with
problems, which the loader gives the rules that read the body.

Every problem is reported at once, one per field: the first that the order of `_FIRST` finds
(that a value is text before what the text may hold). Patterns and enums are explained in
words: each pattern of the schema has an entry in PATTERN_WORDS (a test holds them together).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema

from generator.model import FrontMatter, Hit
from generator.resources import schema
from generator.yamlsafe import fields_alone, key_lines, quoted

# What each pattern of the schema allows, in words.
PATTERN_WORDS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "lowercase letters and digits, words joined by single hyphens "
    "(it becomes the page's URL)",
    "^\\d{4}-\\d{2}-\\d{2}$": "a date written YYYY-MM-DD, such as 2026-10-01",
    "^[A-Z]+-[0-9]+$": "capital letters, a hyphen and digits, such as DS-1001",
    "^[a-z]{2}(-[A-Za-z]{2,4})?$": "a language code: two lowercase letters such as zh, or with a "
    "region such as pt-BR",
}

# A value for each required field (of an article, and of its compliance_review), for the line a
# missing one says to add.
EXAMPLES = {
    "id": "reset-password",
    "title": "How do I reset my password?",
    "category": "account",
    "audience": "public",
    "owner": "Maya Chen",
    "last_reviewed": "2026-10-01",
    "reviewer": "Ana Ruiz",
    "date": "2026-10-01",
}

_TYPES = {
    "string": "text",
    "array": "a list, such as [billing, invoices]",
    "integer": "a whole number, such as 180",
    "object": "fields, such as {reviewer: Ana Ruiz, date: 2026-10-01}",
}

# Which of a field's problems is said when it has several: what it is before what it holds.
_FIRST = ("type", "required", "additionalProperties", "enum", "pattern", "format")


@dataclass(frozen=True)
class Problem:
    field: str  # the top-level field it is about
    hit: Hit


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # Building a validator costs about 0.3 ms; once per process, not once per file.
    return jsonschema.Draft202012Validator(
        schema("article.schema.json"), format_checker=jsonschema.FormatChecker()
    )


def known_fields() -> tuple[str, ...]:
    return tuple(schema("article.schema.json")["properties"])


def required_fields() -> tuple[str, ...]:
    return tuple(schema("article.schema.json")["required"])


def readable(head: FrontMatter) -> tuple[dict[str, Any], frozenset[str]] | None:
    """The fields of a closed front matter block that can be read, and the names of those that
    cannot: all of a mapping, or each field read alone when the block is not YAML as a whole
    (yamlsafe.fields_alone). None when there is no block of fields to read."""
    if head.close is None:
        return None
    if head.error is not None:
        return fields_alone("\n".join(head.text.split("\n", head.close + 1)[1 : head.close]))
    if isinstance(head.fields, dict):
        return {str(k): v for k, v in head.fields.items()}, frozenset()
    return None


def problems(head: FrontMatter) -> list[Problem]:
    """Every problem of the front matter's readable fields, in line order."""
    found = readable(head)
    if found is None:
        return []
    fields, unread = found
    lines = head.text.split("\n", head.close + 1)[: (head.close or 0) + 1]
    at = key_lines(lines)
    close = (head.close or 0) + 1
    out = [*_names(fields, unread, at, close, head.categories), *_values(fields, at, lines)]
    return sorted(out, key=lambda p: p.hit.line)


def usable(head: FrontMatter) -> tuple[dict[str, Any], frozenset[str]] | None:
    """What the rules that read an article may read of front matter with problems: the fields with
    none, and the names of the fields they may not read (written but wrong or unreadable, or
    required and missing). None when there is nothing to read."""
    found = readable(head)
    if found is None:
        return None
    fields, unread = found
    wrong = {p.field for p in problems(head)}
    good = {k: v for k, v in fields.items() if k not in wrong}
    return good, frozenset((set(fields) | unread | set(required_fields())) - set(good))


def _names(
    fields: dict[str, Any],
    unread: frozenset[str],
    at: Mapping[str, int],
    close: int,
    categories: frozenset[str] | None,
) -> Iterator[Problem]:
    """Unknown fields (with the closest known one), missing required fields, and a category the
    site does not have."""
    known = known_fields()
    missing = [k for k in required_fields() if k not in fields and k not in unread]
    meant: set[str] = set()
    for key in [k for k in (*fields, *sorted(unread)) if k not in known]:
        close_match = difflib.get_close_matches(key, known, n=1)
        if close_match:
            also = f" ('{close_match[0]}' is required and missing)" if close_match[0] in missing else ""
            meant.add(close_match[0])
            message = f"unknown field '{key}': did you mean '{close_match[0]}'? Rename it{also}"
        else:
            message = f"unknown field '{key}': remove it, or use a field an article has ({', '.join(known)})"
        yield Problem(key, Hit(at.get(key, 1), message))
    for key in missing:
        if key not in meant:
            example = sorted(categories)[0] if key == "category" and categories else EXAMPLES.get(key, "...")
            yield Problem(
                key,
                Hit(
                    close,
                    f"required field '{key}' is missing: add a line such as '{key}: {example}' "
                    "before the closing '---'",
                ),
            )
    category = fields.get("category")
    if categories is not None and isinstance(category, str) and category and category not in categories:
        choices = ", ".join(sorted(categories)) or "none configured"
        hint = _did_you_mean(category, sorted(categories))
        yield Problem(
            "category",
            Hit(
                at.get("category", 1),
                f"'category' is '{category}', which is not a category of "
                f"site_config.yml{hint}: write one of {choices}, or add it under categories:",
            ),
        )


def _values(fields: dict[str, Any], at: Mapping[str, int], lines: list[str]) -> Iterator[Problem]:
    """The first problem of each field's value, in words."""
    errors = sorted(
        (e for e in _validator().iter_errors(fields) if e.absolute_path),
        key=lambda e: _FIRST.index(e.validator) if e.validator in _FIRST else len(_FIRST),
    )
    said: set[str] = set()
    for error in errors:
        key = str(error.absolute_path[0])
        if key not in said:
            said.add(key)
            line = at.get(key, 1)
            yield Problem(key, Hit(line, _words(error, key, lines[line - 1] if line <= len(lines) else "")))


def _words(error: jsonschema.ValidationError, key: str, line: str) -> str:
    """One schema error of field `key` (written on `line`) as a writer's message with its fix."""
    path = list(error.absolute_path)
    where = f"'{key}'"
    if len(path) > 1:
        where = f"item {path[1] + 1} of '{key}'" if isinstance(path[1], int) else f"'{key}: {path[1]}'"
    value, kind, rule = error.instance, error.validator, error.validator_value
    written = line.split(":", 1)[1].strip() if ":" in line else ""
    if value is None:
        return f"{where} is empty: {_fill(kind, rule, key, written)}"
    if kind == "type":
        return _wrong_type(where, key, value, str(rule), written if len(path) == 1 else str(value))
    if kind == "enum":
        choices = [str(c) for c in rule]
        return f"{where} is '{value}'{_did_you_mean(str(value), choices)}: write one of {', '.join(choices)}"
    if kind == "pattern":
        words = PATTERN_WORDS.get(str(rule), f"text that matches {rule}")
        better = _suggestion(str(rule), str(value))
        fix = f"write '{better}'" if better else "rewrite it"
        return f"{where} is '{value}', but it must be {words}: {fix}"
    if kind == "format":
        return f"{where} is '{value}', which is not a real date: write a date that exists, as YYYY-MM-DD"
    if kind == "minLength":
        return f"{where} is empty: write it, or remove it"
    if kind == "maxLength":
        return f"{where} is {len(value)} characters long: keep it to {rule}"
    if kind == "uniqueItems":
        return f"{where} lists '{_repeated(value)}' more than once: keep one"
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"{where} is {value}: write a number from {low} to {high}"
    if kind == "required":
        lacking = [str(r) for r in rule if r not in value]
        example = ", ".join(f"{name}: {EXAMPLES.get(name, '...')}" for name in rule)
        return f"{where} lacks {', '.join(lacking)}: add it, as in {key}: {{{example}}}"
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [str(k) for k in value if k not in allowed]
        return f"{where} has an unknown field {', '.join(extra)}: it holds only {', '.join(allowed)}"
    return f"{where}: {error.message}"


def _fill(kind: str, rule: Any, key: str, written: str) -> str:
    """What to write in a field left empty (`written`: what its line holds after the colon)."""
    if written.startswith("#"):
        return f"YAML reads what follows '#' as a comment; put the value in quotes: {key}: {quoted(written)}"
    if kind == "enum":
        return f"write one of {', '.join(str(c) for c in rule)}"
    return f"write {_TYPES.get(str(rule), 'a value')} after '{key}:', or remove the line"


def _wrong_type(where: str, key: str, value: Any, expected: str, written: str) -> str:
    """A value of another type than the schema's, with the line that would be right."""
    if isinstance(value, list | dict):
        got = "a list" if isinstance(value, list) else "fields"
    elif isinstance(value, bool):
        got = "true or false"
    else:
        got = "a number" if isinstance(value, int | float) else "text"
    if expected == "string" and not isinstance(value, list | dict):
        return f"{where} must be text, not {got}: put it in quotes: {key}: {quoted(written)}"
    if expected == "array" and not isinstance(value, list | dict):
        return f"{where} must be a list, not {got}: write {key}: [{written}]"
    return f"{where} must be {_TYPES.get(expected, expected)}, not {got}"


def _repeated(values: list[Any]) -> str:
    """The first item of `values` written before (as text; a set, so a long list costs one pass)."""
    seen: set[str] = set()
    for value in map(str, values):
        if value in seen:
            return value
        seen.add(value)
    return ""


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _suggestion(pattern: str, value: str) -> str:
    """The value rewritten to match `pattern`, when a plain rewrite does: as a slug, in capitals or
    small letters, or as a date with its month and day in two digits; '' when none does."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    date = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    padded = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else ""
    for candidate in (slug, value.upper(), value.lower(), padded):
        if candidate and candidate != value and re.search(pattern, candidate):
            return candidate
    return ""
