"""`kb report freshness` as text, Markdown (the internal site's review queue), JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from generator.mdparse import literal
from generator.reports.freshness import OVERDUE, FreshnessReport, ReviewItem


def _when(item: ReviewItem) -> str:
    days = f"{item.days} day{'s' if item.days != 1 else ''}"
    return f"{days} overdue" if item.status == OVERDUE else f"{days} left"


def text(report: FreshnessReport) -> str:
    if not report.groups:
        return f"No reviews overdue or due soon on {report.today}.\n"
    out = [f"Reviews overdue or due soon on {report.today}:"]
    for group in report.groups:
        out.append(f"\n{group.owner} ({len(group.items)})")
        out += [f"  {_when(i):<18} due {i.due}  {i.path}  {i.title}" for i in group.items]
    return "\n".join(out) + "\n"


def markdown(report: FreshnessReport, link_base: str = "") -> str:
    """Markdown for the internal site; each path links to `link_base + path`."""
    out = [f"# Review schedule\n\nOverdue and due-soon reviews on {report.today}.\n"]
    if not report.groups:
        out.append("Nothing is overdue or due soon.\n")
    for group in report.groups:
        out.append(f"## {group.owner}\n")
        out.append("| Status | Due | Last reviewed | Page | File |\n| --- | --- | --- | --- | --- |")
        out += [
            f"| {_when(i)} | {i.due} | {i.last_reviewed} | {literal(i.title)} "
            f"| [{i.path}]({link_base}{i.path}) |"
            for i in group.items
        ]
        out.append("")
    return "\n".join(out)


def as_json(report: FreshnessReport) -> str:
    data = {"today": report.today, "groups": [asdict(g) for g in report.groups]}
    return json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n"


def as_csv(report: FreshnessReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["owner", "status", "days", "due", "last_reviewed", "path", "title"])
    for i in report.items:
        writer.writerow([i.owner, i.status, i.days, i.due, i.last_reviewed, i.path, i.title])
    return buffer.getvalue()


FORMATS = {"text": text, "json": as_json, "csv": as_csv, "markdown": markdown}
