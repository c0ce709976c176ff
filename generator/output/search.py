"""`kb report search` and `kb report search-gaps` as text and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.reports.search import Figures, GapsReport, SearchReport


def _row(f: Figures) -> str:
    return (
        f"  {f.name:<13} {f.queries:>4}  {f.top1:>6.1%}  {f.top3:>6.1%}  {f.mrr:>5.3f}  {f.zero_results:>4}"
    )


def text(report: SearchReport) -> str:
    out = [f"Search quality: {report.overall.queries} queries from {report.queries_file}", ""]
    out.append(f"  {'':<13} {'n':>4}  {'top-1':>6}  {'top-3':>6}  {'MRR':>5}  {'zero':>4}")
    out.append(_row(report.overall))
    out += [_row(f) for f in report.by_lang]
    out += [_row(f) for f in report.by_kind]
    zero = [o for o in report.outcomes if o.zero]
    if zero:
        out += ["", "Found nothing:"]
        out += [f"  {o.query.lang}  {o.query.text}  (line {o.query.line})" for o in zero]
    missed = [o for o in report.missed if not o.zero]
    if missed:
        out += ["", "Answer not in the first three:"]
        for o in missed:
            where = f"rank {o.rank}" if o.rank else "not in the first 10"
            first, wanted = ", ".join(o.shown[:3]), ", ".join(o.query.answers)
            out.append(f"  {o.query.lang}  {o.query.text}  -> {first}  ({where}; wanted {wanted})")
    out.append("")
    if report.failures:
        out += [f"FAIL: {f}" for f in report.failures]
    else:
        out.append("The search.quality gate holds.")
    return "\n".join(out) + "\n"


def as_json(report: SearchReport) -> str:
    data = asdict(report)
    data["passed"] = not report.failures
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "json": as_json}


def gaps_text(report: GapsReport) -> str:
    out = [f"Search gaps: {report.searches} searches in {report.source}"]
    for lang in report.languages:
        out += ["", f"{lang.lang}: {lang.searches} searches"]
        out.append(f"  Found nothing ({len(lang.zero_results)}): an article may be missing")
        out += [f"    {g.searches:>4}  {g.query}" for g in lang.zero_results]
        out.append(f"  No result chosen ({len(lang.no_click)}): the results may not answer")
        out += [f"    {g.searches:>4}  {g.query}" for g in lang.no_click]
    return "\n".join(out) + "\n"


def gaps_json(report: GapsReport) -> str:
    return json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"


GAP_FORMATS = {"text": gaps_text, "json": gaps_json}
