"""The languages a site is built in, from `languages:` in site_config.yml, and the few words the
generated pages need in each of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.config import SiteConfig
from generator.rules.structure import ENGLISH

# Words on generated pages (home, categories, error codes, reports). A language entry in
# site_config.yml may override any of them under `strings:`; unknown languages fall back to English.
STRINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "home": "Home",
        "search_hint": "Type your question in the search box above, or browse a category.",
        "code_column": "Code",
        "article_column": "Article",
        "categories": "Browse by category",
        "featured": "Popular articles",
        "articles": "articles",
        "article": "article",
        "error_codes": "Error codes",
        "error_codes_intro": "Look up an error message by its code.",
        "no_error_codes": "No articles list error codes yet.",
    },
    "zh": {
        "home": "首页",
        "search_hint": "在上方的搜索框中输入您的问题，或浏览以下分类。",
        "code_column": "代码",
        "article_column": "文章",
        "categories": "按分类浏览",
        "featured": "热门文章",
        "articles": "篇文章",
        "article": "篇文章",
        "error_codes": "错误代码",
        "error_codes_intro": "按代码查找错误信息。",
        "no_error_codes": "暂无列出错误代码的文章。",
    },
    "es": {
        "home": "Inicio",
        "search_hint": ("Escriba su pregunta en el cuadro de búsqueda de arriba o explore una categoría."),
        "code_column": "Código",
        "article_column": "Artículo",
        "categories": "Explorar por categoría",
        "featured": "Artículos populares",
        "articles": "artículos",
        "article": "artículo",
        "error_codes": "Códigos de error",
        "error_codes_intro": "Busque un mensaje de error por su código.",
        "no_error_codes": "Todavía ningún artículo indica códigos de error.",
    },
}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    sections: Mapping[str, str]  # part -> heading, e.g. "steps" -> "操作步骤"
    strings: Mapping[str, str] = field(default_factory=dict)
    default: bool = False

    @property
    def prefix(self) -> str:
        """URL path of this language's home below the site root: "" or "zh/"."""
        return "" if self.default else f"{self.code}/"

    def word(self, key: str) -> str:
        return self.strings.get(key) or STRINGS["en"][key]


def languages(config: SiteConfig) -> tuple[Language, ...]:
    """Every configured language, the default first; just the default when none are configured."""
    entries = [e for e in config.raw.get("languages") or () if isinstance(e, Mapping)]
    default = config.default_language
    if not any(e.get("code") == default for e in entries):
        entries.insert(0, {"code": default, "name": default})
    out = []
    for entry in entries:
        code = str(entry["code"])
        base = code.split("-")[0]
        strings = {**STRINGS["en"], **STRINGS.get(base, {}), **(entry.get("strings") or {})}
        out.append(
            Language(
                code=code,
                name=str(entry.get("name") or code),
                sections=MappingProxyType({**ENGLISH, **(entry.get("sections") or {})}),
                strings=MappingProxyType(strings),
                default=code == default,
            )
        )
    out.sort(key=lambda lang: not lang.default)  # stable: configured order otherwise
    return tuple(out)
