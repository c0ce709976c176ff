"""The one table of interface strings (stage/strings.yml): complete in every built-in language,
the keys site_config.yml may override are exactly its keys, and what the theme gets is the
language's table with the configured overrides and the site's name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.config import Language
from generator.model import Audience
from generator.pipeline.stage.languages import STRINGS, site_name, strings
from generator.pipeline.stage.target import Target
from tests.pipeline.conftest import SITE_FIXTURE, config_of

SCHEMA = Path(__file__).parents[3] / "schemas" / "site_config.schema.json"
THEME = Path(__file__).parents[3] / "theme"
# kbt.t("key") or t('key') inside kb-i18n.html; not Material's lang.t().
_T_CALL = re.compile(r"""(?:\bkbt\.t|(?<![.\w])t)\(\s*["']([a-z_]+)["']\s*\)""")


def test_every_built_in_language_has_every_string() -> None:
    keys = set(STRINGS["en"])
    for code in ("zh", "es"):
        missing = keys - set(STRINGS[code]) - {"site_name", "site_description"}  # from the config
        assert not missing, f"{code} lacks {sorted(missing)}"
        assert set(STRINGS[code]) <= keys


def test_the_schema_accepts_exactly_the_table_keys() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    accepted = schema["properties"]["languages"]["items"]["properties"]["strings"]["properties"]
    assert set(accepted) == set(STRINGS["en"])


def test_every_key_the_theme_asks_for_is_in_the_table() -> None:
    """kb-i18n.html's t(key) (Material's own lang.t() strings are Material's)."""
    asked = set()
    for template in THEME.rglob("*.html"):
        asked |= set(_T_CALL.findall(template.read_text(encoding="utf-8")))
    assert asked and asked <= set(STRINGS["en"]), sorted(asked - set(STRINGS["en"]))


def test_overrides_and_site_name_per_language() -> None:
    es = Language("es", "Español", strings={"home": "Portada", "site_name": "Centro de ayuda"})
    table = strings(es, "Help Center")
    assert table["home"] == "Portada" and table["related"] == STRINGS["es"]["related"]
    assert table["site_name"] == "Centro de ayuda"
    assert strings(Language("de", "Deutsch"), "Help Center")["site_name"] == "Help Center"
    assert strings(Language("de", "Deutsch"), "Help Center")["home"] == "Home"  # English fills gaps
    config = config_of(SITE_FIXTURE)
    default = config.languages[0]
    internal = Target(config, Audience.INTERNAL, default, config.languages)
    assert site_name(internal) == f"{config.site.name} · Agent site"
    assert site_name(Target(config, Audience.PUBLIC, default, config.languages)) == config.site.name
