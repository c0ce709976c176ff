"""Where the theme puts things (theme/partials/kb-search-*.html). One place to change if it moves."""

SEARCH_INPUT = "#kb-search-input"  # header search box, opened by "/" or "s"
HOME_SEARCH_INPUT = "#kb-home-search"  # the big box on the home page
SEARCH_RESULT_LINKS = "[data-kb-search-results] a"
HEADER_RESULT_LINKS = "#kb-search-results a"
HOME_RESULT_LINKS = "#kb-home-search-results a"
ARTICLE_CONTENT = "article.md-content__inner"
LANGUAGE_LINKS = "a[hreflang]"
HOME_BOX = ".kb-search"  # the home page's box: its status line and help are inside
STATUS = "[data-kb-search-status]"
HELP = "[data-kb-search-help]"  # popular articles and contact channels when a search finds little
PAGE_SEARCH_INPUT = "#kb-page-search"  # the results page, /search/?q=
PAGE_RESULT_LINKS = ".kb-results-page__link"
PAGE_OTHER_LABEL = ".kb-results-page__group"  # "Results in English" above the default language's
