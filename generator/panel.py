"""`kb serve`'s findings panel: each page of the preview shows the check's findings for the file it
was made from (rule, line, message, a link to the rule on the internal site's rules page), and a
page that could not be built shows why instead of a bare 404.

The preview writes `findings.json` beside each build (`findings_data`); the preview server reads
it and adds the panel (theme/partials/kb-findings.html) to a page as it serves it. A built site
never holds the panel: `kb build` neither writes the data nor serves pages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from generator.config import SiteConfig
from generator.model import Article, CheckResult, Finding
from generator.resources import theme_dir
from generator.rules import REGISTRY

FINDINGS_FILE = "findings.json"
RULES_PAGE = "/rules/"  # the internal site's rules reference (stage/reports.py)


def findings_data(config: SiteConfig, articles: Sequence[Article], result: CheckResult) -> dict[str, Any]:
    """`pages`: a page's URL path (`/reset-password/`, `/zh/reset-password/`) -> its file's
    findings; `unbuilt`: the findings of files that make no page (a broken front matter)."""
    urls: dict[str, list[str]] = {}
    for article in articles:
        prefix = config.language_of(article).prefix
        urls.setdefault(article.path, []).append(f"/{prefix}{article.id}/")
    pages: dict[str, list[dict[str, Any]]] = {}
    unbuilt: list[dict[str, Any]] = []
    for finding in sorted(result.findings, key=Finding.sort_key):
        entry = _entry(finding)
        for url in urls.get(finding.path, ()):
            pages.setdefault(url, []).append(entry)
        if finding.path not in urls:
            unbuilt.append(entry)
    return {"pages": pages, "unbuilt": unbuilt}


def write_findings(folder: Path, data: Mapping[str, Any]) -> None:
    (folder / FINDINGS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_findings(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / FINDINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"pages": {}, "unbuilt": []}
    return data if isinstance(data, dict) else {"pages": {}, "unbuilt": []}


def page_key(path: str) -> str:
    """A request's path as findings_data keys pages: `/id/index.html` and `/id` are `/id/`."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    path = path.removesuffix("index.html")
    return path if path.endswith("/") else path + "/"


def panel(data: Mapping[str, Any], path: str, failure: str = "") -> str:
    """The panel for the page at `path`, or "" when it has nothing to show."""
    findings = data.get("pages", {}).get(page_key(path), [])
    if not findings and not failure:
        return ""
    return _render(findings, failure, _heading(findings, failure))


def missing_page(data: Mapping[str, Any], path: str, failure: str = "") -> str:
    """A whole page for a path the preview has no page for: why it could not be built (the
    findings of the files named like it, else of every file that makes no page)."""
    slug = page_key(path).strip("/").rsplit("/", 1)[-1]
    unbuilt = list(data.get("unbuilt", []))
    named = [f for f in unbuilt if Path(f["path"]).stem == slug]
    shown = named or unbuilt
    heading = (
        f"No page at {path}: the files below could not be built."
        if shown
        else f"No page at {path}: no article has the id '{slug}'."
    )
    body = _render(shown, failure, heading).replace("position:fixed", "position:static", 1)
    head = '<head><meta charset="utf-8"><title>Not built</title></head>'
    return f'<!doctype html><html lang="en">{head}<body>{body}</body></html>'


def _heading(findings: Sequence[Mapping[str, Any]], failure: str) -> str:
    if failure:
        return "The last change could not be built; this is the last good build."
    errors = sum(1 for f in findings if f["severity"] == "error")
    return f"{len(findings)} finding(s) on this page, {errors} error(s)"


def _render(findings: Sequence[Mapping[str, Any]], failure: str, heading: str) -> str:
    errors = failure or any(f["severity"] == "error" for f in findings)
    return _template().render(findings=findings, failure=failure, heading=heading, errors=errors)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme_dir())), autoescape=True)
    return env.get_template("partials/kb-findings.html")


def _entry(finding: Finding) -> dict[str, Any]:
    rule = REGISTRY.get(finding.rule)
    anchor = f"#{finding.rule.lower()}-{rule.alias}" if rule is not None else ""
    return {
        "path": finding.path,
        "line": finding.line,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "docs": RULES_PAGE + anchor,
    }
