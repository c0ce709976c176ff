"""`kb report health` as text, Markdown (the internal site's health page) and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.mdparse import literal
from generator.reports.health import Count, Health, HealthReport


def _list(counts: tuple[Count, ...]) -> str:
    return ", ".join(f"{c.name} {c.count}" for c in counts) or "none"


def _lines(h: Health) -> list[str]:
    grade = f"{h.median_grade:.1f}" if h.median_grade is not None else "n/a"
    oldest = f"{h.oldest_review} ({h.oldest_path})" if h.oldest_review else "n/a"
    return [
        f"pages: {h.pages} ({h.public} public, {h.internal} internal)",
        f"errors: {_list(h.errors)}",
        f"warnings: {_list(h.warnings)}",
        f"clean: {h.clean_share:.0%}",
        f"median reading grade: {grade}",
        f"pages per owner: {_list(h.owners)}",
        f"oldest review: {oldest}",
    ]


def text(report: HealthReport) -> str:
    out = [f"Help center health on {report.today}"]
    for h in (report.overall, *report.categories):
        out.append(f"\n{h.name}")
        out += ["  " + line for line in _lines(h)]
    if report.unreadable:
        out.append(f"\n{report.unreadable} file(s) could not be read as articles; run kb check.")
    return "\n".join(out) + "\n"


def markdown(report: HealthReport) -> str:
    """Markdown for the internal site."""
    out = [f"# Help center health\n\nOn {report.today}.\n"]
    out.append(
        "| Category | Pages | Public | Internal | Clean | Median grade | Errors | Warnings | Oldest review |"
    )
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for h in (*report.categories, report.overall):
        grade = f"{h.median_grade:.1f}" if h.median_grade is not None else "n/a"
        name = f"**{h.name}**" if h is report.overall else literal(h.name)
        out.append(
            f"| {name} | {h.pages} | {h.public} | {h.internal} | {h.clean_share:.0%} | {grade} | "
            f"{_list(h.errors)} | {_list(h.warnings)} | {h.oldest_review or 'n/a'} |"
        )
    out.append("\n## Pages per owner\n")
    out += [f"- {literal(c.name)}: {c.count}" for c in report.overall.owners]
    if report.unreadable:
        out.append(f"\n{report.unreadable} file(s) could not be read as articles; run `kb check`.")
    return "\n".join(out) + "\n"


def as_json(report: HealthReport) -> str:
    return json.dumps(asdict(report), indent=2, default=str, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
