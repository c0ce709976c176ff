"""`kb report translations` as text, Markdown (the internal site's translations page) and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.mdparse import literal
from generator.reports.translations import TranslationsReport


def text(report: TranslationsReport) -> str:
    if not report.languages:
        return "No languages besides the default are configured (site_config.yml languages:).\n"
    out: list[str] = []
    for lang in report.languages:
        out.append(
            f"{lang.name} ({lang.code}): {lang.translated} translated, {len(lang.missing)} missing, "
            f"{len(lang.stale)} stale"
        )
        out += [f"  stale    {s.path}  made from {s.made}, source changed {s.changed}" for s in lang.stale]
        out += [f"  missing  {m.path}  {m.title}" for m in lang.missing]
        out += [f"  orphan   {path}  (no source with this id)" for path in lang.orphans]
    return "\n".join(out) + "\n"


def markdown(report: TranslationsReport) -> str:
    out = ["# Translations\n"]
    for lang in report.languages:
        out.append(f"## {lang.name} ({lang.code})\n")
        out.append(f"{lang.translated} translated, {len(lang.missing)} missing, {len(lang.stale)} stale.\n")
        if lang.stale:
            out.append("| Stale translation | Made from | Source changed |\n| --- | --- | --- |")
            out += [f"| {s.path} | {s.made} | {s.changed} |" for s in lang.stale]
            out.append("")
        if lang.missing:
            out.append("Missing:\n")
            out += [f"- {literal(m.title)} ({m.path})" for m in lang.missing]
            out.append("")
    return "\n".join(out) + "\n"


def as_json(report: TranslationsReport) -> str:
    return json.dumps(asdict(report), indent=2, default=str, ensure_ascii=False) + "\n"


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
