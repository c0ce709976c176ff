"""`kb report reuse` as text, Markdown (the internal site's reuse page) and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.mdparse import literal
from generator.reports.reuse import ReuseReport


def text(report: ReuseReport) -> str:
    out = [f"Variables ({len(report.variables)}):"]
    for v in report.variables:
        where = ", ".join(v.used_in) if v.used_in else "UNUSED"
        out.append(f"  {v.name} = {v.value!r}  {where}")
    out.append(f"Snippets ({len(report.snippets)}):")
    for s in report.snippets:
        where = ", ".join(s.used_in) if s.used_in else "UNUSED"
        out.append(f"  {s.name} ({s.audience or 'no audience'})  {where}")
    out += [f"Cannot be used: {why}" for why in report.broken]
    return "\n".join(out) + "\n"


def markdown(report: ReuseReport) -> str:
    out = ["# Variables and snippets\n"]
    unused = [v.name for v in report.variables if not v.used_in] + [
        s.name for s in report.snippets if not s.used_in
    ]
    out.append(
        f"{len(report.variables)} variables and {len(report.snippets)} snippets, "
        f"{len(unused)} used by no article.\n"
    )
    out += [f"- Cannot be used: {literal(why)}" for why in report.broken]
    if report.variables:
        out.append("\n| Variable | Value | Used in |\n| --- | --- | --- |")
        out += [
            f"| `{v.name}` | {_cell(v.value)} | {_cell(', '.join(v.used_in) or 'unused')} |"
            for v in report.variables
        ]
    if report.snippets:
        out.append("\n| Snippet | Audience | Used in |\n| --- | --- | --- |")
        out += [
            f"| `{s.name}` | {s.audience or 'none'} | {_cell(', '.join(s.used_in) or 'unused')} |"
            for s in report.snippets
        ]
    return "\n".join(out) + "\n"


def _cell(value: str) -> str:
    return literal(value)  # escapes the table's pipes too


def as_json(report: ReuseReport) -> str:
    return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
