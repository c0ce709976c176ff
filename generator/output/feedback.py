"""`kb report feedback` as text, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.mdparse import literal
from generator.reports.feedback import FeedbackReport


def text(report: FeedbackReport) -> str:
    out = [f"{report.votes} vote(s) in {report.source}, least helpful first:"]
    for p in report.pages:
        owner = f"  ({p.owner})" if p.owner else ""
        out.append(f"  {p.helpful:>4.0%} helpful  {p.yes} yes / {p.no} no  {p.page}  {p.title}{owner}")
        out += [f"      - {reason}" for reason in p.reasons[:3]]
    return "\n".join(out) + "\n"


def as_json(report: FeedbackReport) -> str:
    data = asdict(report)
    for page, votes in zip(data["pages"], report.pages, strict=True):
        page["helpful"] = round(votes.helpful, 3)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def markdown(report: FeedbackReport, limit: int = 10) -> str:
    """The least helpful pages, by owner: for the internal health page."""
    out = ["## Least helpful articles\n", f"From {report.votes} vote(s) of readers.\n"]
    shown = [p for p in report.pages if p.no][:limit]
    if not shown:
        return "\n".join([*out, 'No article has a "no" vote.\n'])
    for owner in sorted({p.owner for p in shown}, key=str.casefold):
        out.append(f"**{literal(owner or 'No owner')}**\n")
        out.append("| Helpful | Yes | No | Page | Latest reason |\n| ---: | ---: | ---: | --- | --- |")
        for p in (p for p in shown if p.owner == owner):
            reason = literal(p.reasons[0]) if p.reasons else ""
            out.append(f"| {p.helpful:.0%} | {p.yes} | {p.no} | {literal(p.title)} | {reason} |")
        out.append("")
    return "\n".join(out) + "\n"


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
