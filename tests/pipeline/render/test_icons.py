"""A category's `icon:` must be one of the theme's icons: a misspelt one is refused with the
category named, rather than leaving the home page's card without an icon."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import load_config
from generator.model import Audience
from generator.pipeline.render.mkdocs_config import mkdocs_config
from generator.pipeline.stage import StageError, Target
from generator.resources import theme_dir

ROOT = Path(__file__).parents[3]


def _target(config):  # type: ignore[no-untyped-def]
    return Target(config, Audience.PUBLIC, config.languages[0], config.languages)


def test_the_sample_icons_exist() -> None:
    config = load_config(ROOT / "site_config.yml")
    assert all(c.icon for c in config.categories)
    assert mkdocs_config(_target(config), [], theme_dir())["theme"]["name"] == "material"


def test_a_misspelt_icon_is_refused_naming_the_category() -> None:
    config = load_config(ROOT / "site_config.yml")
    first = replace(config.categories[0], icon="material/rocket-lunch")
    broken = replace(config, categories=(first, *config.categories[1:]))
    with pytest.raises(StageError, match=r"categories \(getting-started\): icon 'material/rocket-lunch'"):
        mkdocs_config(_target(broken), [], theme_dir())
