"""The reports on a help center: review freshness, health and translations. Plain functions that
take what was loaded (and, for health, what was checked) and return frozen data; they never run the
check themselves. generator.output writes them as text, JSON, CSV and Markdown (the internal site
shows the Markdown).

    freshness.freshness(config, today, articles)          -> FreshnessReport
    health.health(config, today, result, articles)        -> HealthReport
    translations.translations(config, articles, audience) -> TranslationsReport
"""
