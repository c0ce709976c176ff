"""`kb rules` and the internal site's rules reference: every rule's registration and docstring, as
text or Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from generator.rules import Rule

# Written by `python -m benchmarks --precision` (benchmarks/precision_data.py), never by hand: how
# often each rule was right on a judged sample of its findings on real articles.
PRECISION_DATA = Path(__file__).resolve().parents[1] / "rules" / "data" / "precision.yml"


def precision_lines(path: Path = PRECISION_DATA) -> dict[str, str]:
    """Per rule code, one line saying how often the rule was right on real articles, read from the
    committed data file (nothing is measured here); {} when the file is missing or unreadable."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        return {}
    return {str(code): _precision_line(entry) for code, entry in rules.items() if isinstance(entry, dict)}


def _precision_line(entry: Mapping[str, object]) -> str:
    kind = "fresh sample" if entry.get("fresh") else "baseline sample"
    when = f"{kind}, {entry.get('measured', '?')}"
    reported = int(str(entry.get("reported", 0)))
    if not reported:
        return f"precision on real articles: none of its judged findings reported now ({when})"
    right, debatable = int(str(entry.get("right", 0))), int(str(entry.get("debatable", 0)))
    extra = f", {debatable} debatable" if debatable else ""
    return f"precision on real articles: {right}/{reported} right{extra} ({when})"


def reference(
    rules: Iterable[Rule], markdown: bool = False, precision: Mapping[str, str] | None = None
) -> str:
    """The rules reference, generated from each rule's registration and docstring; with
    `precision` (precision_lines()), each measured rule's line on real articles too."""
    out: list[str] = []
    for r in rules:
        measured = (precision or {}).get(r.code)
        scope = []
        if r.public_only:
            scope.append("public pages only")
        if len(r.types) == 1:
            scope.append(f"type: {next(iter(r.types)).value} only")
        if r.languages is not None:
            scope.append(f"languages: {', '.join(sorted(r.languages))}")
        if r.skip_note:
            scope.append(f"skipped elsewhere: {r.skip_note}")
        if r.fix is not None:
            scope.append("fixable: kb check --fix")
        if markdown:
            out.append(f"## {r.code} `{r.alias}`\n")
            out.append(
                f"Default severity: **{r.default.value}**"
                + (f" · {'; '.join(scope)}" if scope else "")
                + "\n"
            )
            if measured:
                out.append(f"Measured {measured}.\n")
            out.append(r.doc + "\n")
        else:
            out.append(
                f"{r.code}  {r.alias}  [{r.default.value}]" + (f"  ({'; '.join(scope)})" if scope else "")
            )
            if measured:
                out.append(f"    {measured}")
            out.extend("    " + line if line else "" for line in r.doc.splitlines())
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
