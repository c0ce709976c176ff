"""Incremental rendering (generator/pipeline/incremental.py): after random sequences of edits,
renames, deletions, config and theme changes, a build that renders only what changed is byte for
byte the clean build of the same sources, search index and sitemaps included. Changes are
batched into a few builds, each compared with a clean one, so the test stays short."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.model import Audience
from generator.pipeline import build_site, check, incremental
from generator.pipeline import site as site_module
from generator.pipeline.render.renderer import renderer_env
from generator.resources import theme_dir
from tests.conftest import TODAY
from tests.pipeline.conftest import copy_project, tree_hash

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("KB_INCREMENTAL_SEED", "18"))


def _build(project: Path, out: Path, audience: Audience, state: Path | None) -> dict[str, str]:
    config = load_config(project / "site_config.yml")
    result, articles = check.check_and_load(config, TODAY)
    build_site(config, TODAY, articles, result, audience, out, state=state)
    return tree_hash(out / audience.value)


def _articles(project: Path) -> list[Path]:
    return sorted((project / "kb_source").rglob("*.md"))


def _sub(path: Path, pattern: str, make) -> None:  # type: ignore[no-untyped-def]
    path.write_text(re.sub(pattern, make, path.read_text(encoding="utf-8"), count=1, flags=re.M))


def _edit_body(project: Path, rng: random.Random) -> str:
    path = rng.choice(_articles(project))
    word = rng.choice(["wombat", "numbat", "quoll"])
    _sub(path, r"^## Tips\n", lambda m: f"## Tips\n\n- A {word} tip for this page.\n")
    return f"body of {path.name}"


def _edit_title(project: Path, rng: random.Random) -> str:
    path = rng.choice(_articles(project))
    _sub(path, r"^title: (.*)\?$", lambda m: f"title: {m.group(1)} now?")
    return f"title of {path.name}"


def _rename_file(project: Path, rng: random.Random) -> str:
    path = rng.choice(_articles(project))
    path.rename(path.with_name("moved-" + path.name))
    return f"file {path.name} moved"


def _change_id(project: Path, rng: random.Random) -> str:
    path = rng.choice(_articles(project))
    _sub(path, r"^id: (.*)$", lambda m: f"id: {m.group(1)}-x")
    return f"id of {path.name}"


def _delete(project: Path, rng: random.Random) -> str:
    paths = _articles(project)
    if len(paths) <= 2:
        return "nothing deleted"
    path = rng.choice(paths)
    path.unlink()
    return f"{path.name} deleted"


def _add(project: Path, rng: random.Random) -> str:
    path = rng.choice(_articles(project))
    number = rng.randrange(1000)
    copy = path.with_name(f"copy-{number}-{path.name}")
    shutil.copyfile(path, copy)
    _sub(copy, r"^id: (.*)$", lambda m: f"id: {m.group(1)}-copy-{number}")
    return f"copy of {path.name} added"


def _category(project: Path, rng: random.Random) -> str:
    # Staged into the category page only: the site's key (mkdocs.yml) stays, so this renders
    # incrementally.
    _sub(
        project / "site_config.yml",
        r"^    description: (.*)\.$",
        lambda m: f"    description: {m.group(1)}, now.",
    )
    return "a category description"


def _site_name(project: Path, rng: random.Random) -> str:
    _sub(project / "site_config.yml", r"^  name: (.*)$", lambda m: f"  name: {m.group(1)} {rng.randrange(9)}")
    return "the site name"


def _theme(theme: Path, rng: random.Random) -> str:
    main = theme / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + f"\n{{#- change {rng.randrange(1000)} -#}}\n")
    return "the theme"


ARTICLE_CHANGES = (_edit_body, _edit_body, _edit_title, _rename_file, _change_id, _delete, _add)


def test_incremental_builds_equal_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    theme = tmp_path / "theme"
    shutil.copytree(theme_dir(), theme)
    monkeypatch.setattr(site_module, "theme_dir", lambda: theme)
    partial: list[int] = []  # the incremental renders, so the test proves it used them
    real_render_pages = site_module.render_pages

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        partial.append(len(args[2]))
        return real_render_pages(*args, **kwargs)

    monkeypatch.setattr(site_module, "render_pages", counted)
    rng = random.Random(SEED)
    state = tmp_path / "state"
    _build(project, tmp_path / "first", Audience.INTERNAL, state)
    _build(project, tmp_path / "first-public", Audience.PUBLIC, state)
    # Rounds 0 and 1 render incrementally; round 2 changes the site's key (the config's site
    # name or the theme), so it renders everything again through the same state.
    rounds = (
        (Audience.INTERNAL, ()),
        (Audience.PUBLIC, (lambda rng: _category(project, rng),)),
        (Audience.INTERNAL, (lambda rng: _site_name(project, rng), lambda rng: _theme(theme, rng))),
    )
    for number, (audience, site_changes) in enumerate(rounds):
        made = [rng.choice(ARTICLE_CHANGES)(project, rng) for _ in range(rng.randint(2, 4))]
        made += [change(rng) for change in site_changes]
        before = len(partial)
        kept = _build(project, tmp_path / f"inc-{number}", audience, state)
        assert (len(partial) > before) is (number < 2), f"round {number}: incremental render expected"
        clean = _build(project, tmp_path / f"clean-{number}", audience, None)
        differ = sorted(rel for rel in set(kept) | set(clean) if kept.get(rel) != clean.get(rel))
        assert not differ, f"seed {SEED}, round {number} ({audience.value}) after {made}: {differ}"
        assert any(rel.startswith("pagefind/") for rel in kept)
        assert "sitemap.xml" in kept


def test_one_edit_renders_only_its_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    state = tmp_path / "state"
    _build(project, tmp_path / "first", Audience.INTERNAL, state)
    source = project / "kb_source" / "billing" / "refund.md"
    source.write_text(source.read_text().replace("working days", "working days (WOMBAT)"))
    config = load_config(project / "site_config.yml")
    result, articles = check.check_and_load(config, TODAY)
    work = tmp_path / "staged"
    build_site(config, TODAY, articles, result, Audience.INTERNAL, work, render=False)
    folder = work / ".work" / "internal-en"
    plan = incremental.plan(
        state / "internal-en", folder / "mkdocs.yml", folder / "docs", renderer_env(articles, TODAY), True
    )
    assert not plan.full
    assert plan.changed == ("refund.md",)
    assert plan.removed == ()


def test_dest_of() -> None:
    assert incremental.dest_of("index.md") == "index.html"
    assert incremental.dest_of("refund.md") == "refund/index.html"
    assert incremental.dest_of("category/billing.md") == "category/billing/index.html"
    assert incremental.dest_of("zh/index.md") == "zh/index.html"
    assert incremental.dest_of("images/sign-in.svg") == "images/sign-in.svg"
