"""End-to-end builds of the fixture project: audience split, determinism, atomic publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli
from generator.model import Audience
from generator.pipeline import BuildError, BuildResult, build_site
from generator.pipeline.check import check_and_load
from tests.conftest import TODAY
from tests.pipeline.conftest import (
    INTERNAL_MARKERS,
    build,
    config_of,
    copy_project,
    files,
    text_of,
    tree_hash,
)

pytestmark = pytest.mark.slow


def test_public_site_has_no_internal_content_in_any_file(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    public = out / "public"
    checked = 0
    for path in files(public):
        text = text_of(path)
        for marker in INTERNAL_MARKERS:
            assert marker.casefold() not in text.casefold(), f"{marker!r} in {path.relative_to(out)}"
        checked += 1
    assert checked > 10
    assert not (public / "quokka-escalation").exists()
    assert not (public / "images" / "agent-console.svg").exists()
    assert not (public / "review-queue").exists() and not (public / "health").exists()


def test_internal_site_has_every_page_and_the_agent_notes(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    internal = out / "internal"
    assert "ZEBRA-SECRET-7731" in (internal / "reset-password" / "index.html").read_text()
    playbook = (internal / "quokka-escalation" / "index.html").read_text()
    assert "kb-badge--internal" in playbook
    assert (internal / "images" / "agent-console.svg").is_file()
    for page in ("review-queue", "health", "rules", "error-codes"):
        assert (internal / page / "index.html").is_file(), page
    assert "KB101" in (internal / "rules" / "index.html").read_text()


def test_internal_pages_say_noindex_and_robots_disallows_all(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    assert (out / "internal" / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    public_robots = (out / "public" / "robots.txt").read_text()
    assert "Allow: /" in public_robots
    assert "Sitemap: https://help.fixture.example/sitemap.xml" in public_robots
    for path in files(out / "internal"):
        if path.suffix == ".html":
            assert '<meta name="robots" content="noindex' in path.read_text(), path
    assert 'content="noindex' not in (out / "public" / "index.html").read_text()


def test_public_article_keeps_its_public_parts(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    html = (out / "public" / "reset-password" / "index.html").read_text()
    assert "Send reset link" in html
    assert "../images/sign-in.svg" in html
    assert '<link rel="canonical" href="https://help.fixture.example/reset-password/">' in html
    assert "../change-email/" in html  # related link rewritten from change-email.md
    assert "../refund/#steps" in html  # and the section a related link names, kept
    assert (out / "public" / "error-codes" / "index.html").read_text().count("PAY-2001") >= 1


def test_a_linked_file_is_published_beside_the_pages_that_link_to_it(
    built: tuple[Path, BuildResult],
) -> None:
    out, _ = built
    page = (out / "public" / "refund" / "index.html").read_text(encoding="utf-8")
    assert 'href="../files/refund-form.txt"' in page
    copied = out / "public" / "files" / "refund-form.txt"
    assert copied.read_text(encoding="utf-8").startswith("Refund request")


def test_an_image_naming_an_article_is_never_copied_even_with_kb112_off(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config_file = project / "site_config.yml"
    config_file.write_text(config_file.read_text().replace("rules:\n", "rules:\n  KB112: off\n"), "utf-8")
    page = project / "kb_source" / "account" / "change-email.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("](../images/sign-in.svg)", "](../playbooks/quokka-escalation.md)"), "utf-8")
    config = config_of(project)
    result, articles = check_and_load(config, TODAY, use_cache=False)
    assert result.errors == 0  # the rule that would stop it is off
    work = tmp_path / "work"
    build_site(config, TODAY, articles, result, Audience.PUBLIC, work, render=False)
    staged = list(files(work))
    assert not [p for p in staged if "quokka" in p.name]
    assert not [p for p in staged if any(m in text_of(p) for m in INTERNAL_MARKERS)]


def test_sitemap_lists_only_public_pages(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    sitemap = text_of(out / "public" / "sitemap.xml.gz")
    assert "https://help.fixture.example/refund/" in sitemap
    assert "category/playbooks" not in sitemap


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = copy_project(tmp_path / "project")
    build(project, tmp_path / "one")
    build(project, tmp_path / "two")
    for audience in ("public", "internal"):
        first = tree_hash(tmp_path / "one" / audience)
        second = tree_hash(tmp_path / "two" / audience)
        differ = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
        assert not differ, differ
        assert "sitemap.xml.gz" in first


def test_a_build_with_an_error_publishes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(project, out).published
    before = tree_hash(out)
    article = project / "kb_source" / "billing" / "refund.md"
    article.write_text(article.read_text().replace("How do I get a refund?", "Refunds"))
    result = build(project, out)
    assert not result.published
    assert any(f.rule == "KB101" and f.path.endswith("refund.md") for f in result.check.findings)
    assert tree_hash(out) == before


def test_kb_build_exits_1_and_prints_findings_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    article = project / "kb_source" / "billing" / "refund.md"
    article.write_text(article.read_text().replace("How do I get a refund?", "Refunds"))
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli.main,
        ["build", "--config", str(project / "site_config.yml"), "--today", "2026-11-23", "--out", str(out)],
    )
    assert result.exit_code == 1
    assert "kb_source/billing/refund.md:3" in result.output
    assert "KB101" in result.output
    assert not (out / "public").exists()


def test_a_broken_theme_template_leaves_the_live_site_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import generator.pipeline as render
    from generator.resources import theme_dir

    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(project, out).published
    before = tree_hash(out)
    broken = tmp_path / "theme"
    shutil.copytree(theme_dir(), broken)
    (broken / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ oops( }}{% endblock %}')
    monkeypatch.setattr(render.site, "theme_dir", lambda: broken)
    with pytest.raises(BuildError, match="renderer failed"):
        build(project, out)
    assert tree_hash(out) == before


def test_a_step_that_raises_mid_build_leaves_the_live_site_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.pipeline as render

    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build(project, out).published
    before = tree_hash(out)

    def crash(*args: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(render.verify, "before_publishing", crash)
    with pytest.raises(KeyboardInterrupt):
        build(project, out)
    assert tree_hash(out) == before


def test_a_second_build_keeps_the_previous_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build(project, out)
    first = tree_hash(out / "public")
    article = project / "kb_source" / "billing" / "refund.md"
    article.write_text(article.read_text().replace("five to ten working days", "three to five working days"))
    build(project, out)
    releases = out / ".kb" / "releases"
    assert sorted(p.name for p in releases.iterdir()) == ["000001", "000002"]
    assert tree_hash(releases / "000001" / "public") == first
    assert "three to five" in (out / "public" / "refund" / "index.html").read_text()
    assert sorted(p.name for p in out.iterdir()) == [".kb", ".kb-site", "internal", "public"]


def test_building_one_audience_leaves_the_other_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build(project, out)
    internal = tree_hash(out / "internal")
    result = build(project, out, (Audience.PUBLIC,))
    assert result.sites == (out / "public",)
    assert tree_hash(out / "internal") == internal


def test_kb_build_in_ci_prints_a_plain_line_per_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    args = ["build", "--config", str(project / "site_config.yml"), "--today", "2026-11-23", "--out", str(out)]
    result = CliRunner().invoke(cli.main, [*args, "--audience", "public"])
    assert result.exit_code == 0, result.output
    steps = [line for line in result.output.splitlines() if line.startswith("kb: [")]
    assert steps[0].startswith("kb: [1/") and "checking articles" in steps[0]
    assert any("rendered public/" in line for line in steps)
    assert steps[-1].split("]")[1].startswith(" publishing (")
    assert result.output.splitlines()[-1].startswith("Built ")
