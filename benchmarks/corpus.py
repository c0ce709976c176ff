"""A deterministic synthetic help center of any size, valid under the article schema and rules.

`write_project(root, n, seed)` writes `site_config.yml` and `kb_source/` with `n` seven-part
articles spread over the configured categories, related links to other generated articles,
screenshots, public and internal audiences, and German translations of some public articles.
The same (n, seed) always gives byte-identical files, so timings compare across runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = (
    ("getting-started", "Getting started", "Set up your workspace and learn the basics."),
    ("account", "Sign-in and account", "Passwords, two-step sign-in and account access."),
    ("billing", "Plans and billing", "Plans, invoices, charges and refunds."),
    ("data", "Data, imports and exports", "Sync, import and export."),
    ("integrations", "API and integrations", "API keys, webhooks and connected apps."),
    ("mobile", "Mobile app", "Installing and using the mobile app."),
    ("security", "Security and privacy", "Permissions and data protection."),
    ("agent-playbooks", "Agent playbooks", "Internal procedures for the support team."),
)
OBJECTS = (
    "report", "dashboard", "workspace", "invoice", "webhook", "export", "import", "API key", "team",
    "project", "filter", "chart", "alert", "schedule", "template", "connector", "dataset", "view",
)  # fmt: skip
ACTIONS = (
    ("create", "Create"), ("rename", "Rename"), ("share", "Share"), ("delete", "Delete"),
    ("archive", "Archive"), ("copy", "Copy"), ("move", "Move"), ("restore", "Restore"),
)  # fmt: skip
SCREENSHOTS = ("toolbar", "settings-menu", "share-dialog", "save-button")
TRANSLATION_SHARE = 20  # one public article in TRANSLATION_SHARE gets a German translation
INTERNAL_SHARE = 5  # one article in INTERNAL_SHARE is agent-only
DATES = ("2026-08-14", "2026-09-02", "2026-09-30", "2026-10-12", "2026-11-02")

CONFIG = """\
site:
  name: Benchmark Help Center
  description: A generated help center for benchmarks.
  public_url: https://help.bench.example/
  internal_url: https://agents.bench.example/
  source_dir: kb_source
  default_language: en

categories:
{categories}
languages:
  - code: en
    name: English
  - code: de
    name: Deutsch
    sections:
      prerequisites: Voraussetzungen
      steps: Schritte
      tips: Tipps
      troubleshooting: Fehlerbehebung
      related: Verwandte Artikel
"""

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80" viewBox="0 0 320 80">'
    '<rect width="320" height="80" fill="#eef"/><text x="16" y="44">{name}</text></svg>\n'
)


@dataclass(frozen=True)
class Planned:
    n: int
    id: str
    category: str
    verb: str
    verb_title: str
    thing: str
    audience: str

    @property
    def path(self) -> str:
        return f"{self.category}/{self.id}.md"

    @property
    def title(self) -> str:
        return f"How do I {self.verb} a {self.thing} ({self.n})?"


def plan(n: int, seed: int = 7) -> list[Planned]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        verb, verb_title = ACTIONS[i % len(ACTIONS)]
        thing = OBJECTS[(i // len(ACTIONS)) % len(OBJECTS)]
        category = CATEGORIES[rng.randrange(len(CATEGORIES) - 1)][0]
        audience = "public"
        if i % INTERNAL_SHARE == INTERNAL_SHARE - 1:
            category, audience = "agent-playbooks", "internal"
        slug = f"{verb}-{thing.replace(' ', '-').lower()}-{i}"
        out.append(Planned(i, slug, category, verb, verb_title, thing, audience))
    return out


def write_project(root: Path, n: int, seed: int = 7) -> Path:
    """Write a complete project (site_config.yml + kb_source/) under `root`; returns `root`."""
    rng = random.Random(seed)
    articles = plan(n, seed)
    source = root / "kb_source"
    (source / "images").mkdir(parents=True, exist_ok=True)
    categories = "".join(f"  - id: {c}\n    title: {t}\n    description: {d}\n" for c, t, d in CATEGORIES)
    (root / "site_config.yml").write_text(CONFIG.format(categories=categories), encoding="utf-8")
    for name in SCREENSHOTS:
        (source / "images" / f"{name}.svg").write_text(SVG.format(name=name), encoding="utf-8")
    for a in articles:
        related = _related(a, articles, rng)
        reviewed = DATES[rng.randrange(len(DATES))]
        text = _article(a, related, reviewed, rng)
        target = source / a.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if a.audience == "public" and a.n % TRANSLATION_SHARE == 0 and len(articles) > 2:
            german = source / "de" / a.path
            german.parent.mkdir(parents=True, exist_ok=True)
            german.write_text(_german(a, related, reviewed), encoding="utf-8")
    return root


def _related(a: Planned, articles: list[Planned], rng: random.Random) -> list[Planned]:
    # Public articles link public ones only, so the public site has no links to agent pages.
    pool = [b for b in articles if b.audience == "public" or a.audience == "internal"]
    picks: list[Planned] = []
    while len(pool) > 2 and len(picks) < 3:
        b = pool[rng.randrange(len(pool))]
        if b is not a and b not in picks:
            picks.append(b)
    return picks


def _link(source: Planned, target: Planned) -> str:
    return f"../{target.path}" if source.category != target.category else f"{target.id}.md"


def _article(a: Planned, related: list[Planned], reviewed: str, rng: random.Random) -> str:
    shot = SCREENSHOTS[rng.randrange(len(SCREENSHOTS))]
    links = "\n".join(f"- [{b.title}]({_link(a, b)})" for b in related)
    review = _review(a, reviewed)
    note = ""
    if a.audience == "public" and a.n % 3 == 0:
        note = (
            '\n!!! internal "Agent note"\n'
            f"    If the customer cannot {a.verb} the {a.thing}, check their role in the admin console.\n"
        )
    return f"""---
id: {a.id}
title: {a.title}
category: {a.category}
audience: {a.audience}
owner: Team {chr(65 + a.n % 6)}
last_reviewed: {reviewed}
keywords: [{a.verb} {a.thing}, {a.thing}]
tags: [{a.thing.replace(" ", "-").lower()}]
{review}---

You can {a.verb} a {a.thing} from its menu in a few steps.

## Prerequisites

- A DataFlow account with the Editor role.
- A {a.thing} you can open.

## Steps

1. Open the {a.thing} and select the **More** menu.

    ![The More menu in the {a.thing} toolbar](../images/{shot}.svg)

2. Select **{a.verb_title}**.
3. Check the details in the dialog, then select **Save**.
{note}
## Tips

- You can undo the last change from the **History** panel.
- Ask an administrator if the menu item is grey.

## Troubleshooting

### The {a.verb_title} item is missing

Your role may not allow it. Ask an administrator to give you the Editor role.

### Nothing happens when I select Save

Reload the page and try again. DataFlow keeps your changes for one hour.

## Related articles

{links}
"""


def _review(a: Planned, reviewed: str) -> str:
    # Security pages are sensitive: they carry a compliance review no older than their last change.
    return (
        f"compliance_review: {{reviewer: Priya Nair, date: {reviewed}}}\n" if a.category == "security" else ""
    )


def _german(a: Planned, related: list[Planned], reviewed: str) -> str:
    links = "\n".join(f"- [{b.title}](../../{b.path})" for b in related)
    return f"""---
id: {a.id}
lang: de
title: Wie kann ich {a.thing} Nummer {a.n} bearbeiten?
category: {a.category}
audience: public
owner: Team {chr(65 + a.n % 6)}
last_reviewed: {reviewed}
translation_of_date: {reviewed}
{_review(a, reviewed)}---

Sie können das Element in wenigen Schritten über das Menü bearbeiten.

## Voraussetzungen

- Ein DataFlow-Konto mit der Rolle Editor.

## Schritte

1. Öffnen Sie das Element und wählen Sie **Mehr**.

    ![Das Menü Mehr in der Werkzeugleiste](../../images/toolbar.svg)

2. Wählen Sie **{a.verb_title}**.

## Tipps

- Sie können die letzte Änderung im Bereich **Verlauf** rückgängig machen.

## Fehlerbehebung

### Der Menüpunkt fehlt

Bitten Sie eine Administratorin um die Rolle Editor.

## Verwandte Artikel

{links}
"""
