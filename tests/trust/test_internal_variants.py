"""The audience boundary holds for every shape of agent-only block the renderer accepts.

For each generated variant (tests/trust/grammar.py) either `kb check` reports it (KB310), or the
public site lacks its text while the internal site shows it: after a full build, and after a
public-only build. Every fifth variant is also written in a public snippet that a page includes
(`{% include %}`, expanded before Markdown): included text is held to the same boundary. The
builds run with KB310 turned off, so the renderer's own removal and the verification are what is
tested, not the check that would stop them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.trust.conftest import findings, holding, kb, project, site_text
from tests.trust.grammar import Variant, opener_variants, raw_variants

SEED = int(os.environ.get("KB_VARIANT_SEED", "20261204"))
COUNT = 160
DIRECT = [*opener_variants(COUNT, SEED), *raw_variants(COUNT + 2)]
SNIPPET_START = 5000  # the numbers (and tokens) of the variants written in snippets


def via_snippet(variant: Variant) -> tuple[Variant, str]:
    """`variant` written in a public snippet: the page that includes it, and the snippet's text."""
    n = SNIPPET_START + variant.n
    include = f'{{% include "variant-{n:04d}.md" %}}'
    page = Variant(n, f"{variant.shape}, in a snippet", f"Public text.\n\n{include}\n\nMore public text.\n")
    return page, "---\naudience: public\n---\n\n" + variant.markdown.replace(variant.token, page.token)


SNIPPETS = [via_snippet(v) for v in DIRECT[::5]]
VARIANTS = [*DIRECT, *(page for page, _ in SNIPPETS)]
# Rules that also fire on some shapes (HTML, odd indentation); off so the build runs.
OTHER_RULES = ("KB116", "KB117", "KB118", "KB119", "KB306")


def page_id(variant: Variant) -> str:
    return f"variant-{variant.n:04d}"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("variants")
    pages = [(page_id(v), v.markdown) for v in VARIANTS]
    checked = project(base / "checked", pages)
    built = project(base / "built", pages, rules_off=("KB310", *OTHER_RULES))
    for root in (checked, built):
        (root / "kb_source" / "_snippets").mkdir(exist_ok=True)
        for page, text in SNIPPETS:
            (root / "kb_source" / "_snippets" / f"{page_id(page)}.md").write_text(text, encoding="utf-8")
    reported = {
        Path(str(f["path"])).stem
        for f in findings(checked)
        if f["rule"] == "KB310" and f["severity"] == "error"
    }
    full = kb(built, "build", "--out", str(base / "full"))
    assert full.returncode == 0, full.stdout + full.stderr
    public_only = kb(built, "build", "--audience", "public", "--out", str(base / "public-only"))
    assert public_only.returncode == 0, public_only.stdout + public_only.stderr
    return {
        "reported": reported,
        "public": site_text(base / "full" / "public"),
        "internal": site_text(base / "full" / "internal"),
        "public only": site_text(base / "public-only" / "public"),
    }


@pytest.mark.slow
def test_every_variant_is_reported_or_kept_off_the_public_site(outcome: dict[str, object]) -> None:
    failures = []
    removed = shown = 0
    for variant in VARIANTS:
        token = variant.token
        public = holding(outcome["public"], token) + holding(outcome["public only"], token)  # type: ignore[arg-type]
        internal = holding(outcome["internal"], token)  # type: ignore[arg-type]
        shown += bool(public)
        removed += bool(internal and not public)
        if page_id(variant) not in outcome["reported"] and (public or not internal):  # type: ignore[operator]
            failures.append(f"{variant.shape}: public files {public[:3]}, internal files {internal[:2]}")
    assert not failures, f"seed {SEED}:\n" + "\n".join(failures)
    # Both outcomes occur: the grammar reaches shapes the renderer removes and shapes it shows.
    assert removed > 20 and shown > 20, (removed, shown)


@pytest.mark.slow
def test_the_documented_form_is_never_reported_and_never_public(outcome: dict[str, object]) -> None:
    documented = [v for v in VARIANTS if v.documented]
    assert documented
    for variant in documented:
        assert page_id(variant) not in outcome["reported"]  # type: ignore[operator]
        assert not holding(outcome["public"], variant.token)  # type: ignore[arg-type]
        assert holding(outcome["internal"], variant.token)  # type: ignore[arg-type]


@pytest.mark.slow
def test_raw_html_and_attribute_forms_are_reported(outcome: dict[str, object]) -> None:
    raw = [v for v in VARIANTS if v.shape.startswith("raw")]
    missed = [v.shape for v in raw if page_id(v) not in outcome["reported"]]  # type: ignore[operator]
    assert not missed
