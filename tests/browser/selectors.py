"""Where the theme puts things (theme/partials/kb-search-*.html). One place to change if it moves."""

SEARCH_INPUT = "#kb-search-input"  # header search box, opened by "/" or "s"
HOME_SEARCH_INPUT = "#kb-home-search"  # the big box on the home page
SEARCH_RESULT_LINKS = "[data-kb-search-results] a"
HEADER_RESULT_LINKS = "#kb-search-results a"
HOME_RESULT_LINKS = "#kb-home-search-results a"
ARTICLE_CONTENT = "article.md-content__inner"
LANGUAGE_LINKS = "a[hreflang]"
