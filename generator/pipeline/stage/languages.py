"""The interface strings of both sites in each language (`languages:` itself is read by
generator.config)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from generator.config import Language
from generator.model import Audience
from generator.pipeline.stage.target import Target

# The one table of interface strings (strings.yml): per language, English where one lacks a key.
STRINGS: Mapping[str, Mapping[str, str]] = yaml.safe_load(
    (Path(__file__).parent / "strings.yml").read_text(encoding="utf-8")
)


def word(lang: Language, key: str) -> str:
    """A word of generated pages in `lang`: as configured under `strings:`, else built in (in
    English where the language has none)."""
    return lang.strings.get(key) or STRINGS.get(lang.base, {}).get(key) or STRINGS["en"][key]


def strings(lang: Language, site_name: str) -> dict[str, str]:
    """Every interface string in `lang`, as the theme reads it (mkdocs.yml `extra.kb.strings`):
    built in, English filling gaps, then what `strings:` configures; `site_name` (the configured
    name) where the language names the site no other way."""
    table = {**STRINGS["en"], **STRINGS.get(lang.base, {}), **lang.strings}
    table["site_name"] = table["site_name"] or site_name
    return table


def site_description(target: Target) -> str:
    """The site's description in the target's language (`strings: {site_description}`), else
    the configured one."""
    return strings(target.language, "")["site_description"] or target.config.site.description


def site_name(target: Target) -> str:
    """The site's name in the target's language; the agents' site says it is one."""
    words = strings(target.language, target.config.site.name)
    if target.audience is Audience.INTERNAL:
        return f"{words['site_name']} · {words['agent_site']}"
    return words["site_name"]
