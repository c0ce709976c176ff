"""The few words the generated pages need in each language (`languages:` itself is read by
generator.config)."""

from __future__ import annotations

from collections.abc import Mapping

from generator.config import Language

# Words on generated pages (home, categories, error codes, reports). A language entry in
# site_config.yml may replace any of them under `strings:`; unknown languages fall back to English.
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


def word(lang: Language, key: str) -> str:
    """A word of generated pages in `lang`: as configured under `strings:`, else built in (in
    English where the language has none)."""
    return lang.strings.get(key) or STRINGS.get(lang.base, {}).get(key) or STRINGS["en"][key]
