"""`kb serve` shows an edited article before the rebuild that follows the edit is done.

On a large help center a rebuild takes tens of seconds even when it renders one page: it checks
every file again, stages every page and indexes the whole site. A writer who saves wants to see
the page now. When the change is to the text of articles the served build shows (the same file,
still valid, at the same URL), the preview first stages, checks and renders those pages alone
into the build being served, reading everything else a page shows of other articles (the titles
and summaries it links to, its category's pages, its other languages) from that build's
articles; the page reloads with the edit and its own findings. The rebuild that follows makes
the rest as `kb build` does: the search index, category and home pages, the pages that link to
it, and the findings as the whole check finds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator import ondemand
from generator.config import SiteConfig
from generator.model import Article, Audience, CheckResult, Finding
from generator.panel import findings_data, write_findings
from generator.paths import relative
from generator.pipeline.check import suppressions
from generator.pipeline.check.run import article_rules, check_article, configured
from generator.pipeline.load import load_checked, walk_all
from generator.pipeline.stage.alone import stage_alone
from generator.pipeline.stage.selection import Choice, Selection, select
from generator.pipeline.stage.target import Target
from generator.rules import Context
from generator.rules.base import CorpusIndex, index_entry

EDITS = "edits.txt"  # in a served build: how many edits were shown in it (the pages' reload signal)


@dataclass(frozen=True)
class Served:
    """The build being served and what it was made from, kept between rebuilds."""

    config: SiteConfig
    today: date
    articles: tuple[Article, ...]
    result: CheckResult
    build: Path  # the build's folder (serve.build_preview)
    # Worked out at the first edit shown in this build, then updated, not made again: each
    # language's selection and the check's index of the corpus (a few tenths of a second each
    # at 4,000 articles, on the way to the page).
    selections: Mapping[str, Selection] | None = None
    index: CorpusIndex | None = None


def show_edits(served: Served, changed: Iterable[Path]) -> Served | None:
    """Show the edited articles `changed` in the served build: their pages staged, rendered and
    checked again. The served state with them; None when a change is not the edit of an article
    the build shows at the same URL (nothing is changed then), or a page could not be rendered
    (the pages already shown stay until the rebuild that follows)."""
    config = served.config
    by_path = {a.path: a for a in served.articles}
    edited = [_edited(config, path, by_path) for path in changed]
    if not edited or any(a is None for a in edited):
        return None
    fresh = {a.path: a for a in edited if a is not None}
    articles = tuple(fresh.get(a.path, a) for a in served.articles)
    langs = config.languages
    targets = {lang.code: Target(config, Audience.INTERNAL, lang, langs) for lang in langs}
    if served.selections is None:
        selections = {lang.code: select(articles, targets[lang.code], lang) for lang in langs}
    else:  # the same ids in the same order: an edit that changes either is not shown here
        selections = {
            code: {
                page_id: Choice(fresh[c.article.path], c.translated) if c.article.path in fresh else c
                for page_id, c in chosen.items()
            }
            for code, chosen in served.selections.items()
        }
    now = {a.path: a for a in articles}
    for lang in langs:
        if not _show(targets[lang.code], selections, now, fresh, served.build):
            return None
    index = _index(config, articles, fresh, served.index)
    result = _checked(config, served.today, index, fresh.values(), served.result)
    write_findings(served.build, findings_data(config, articles, result))
    edits = served.build / EDITS
    count = int(edits.read_text(encoding="utf-8")) if edits.is_file() else 0
    edits.write_text(str(count + 1), encoding="utf-8")
    return replace(served, articles=articles, result=result, selections=selections, index=index)


def _index(
    config: SiteConfig, articles: Sequence[Article], fresh: Mapping[str, Article], before: CorpusIndex | None
) -> CorpusIndex:
    """The check's index of `articles` (`before`, the index of the same articles before the
    `fresh` ones changed, updated); the other files do not change while edits are shown here."""
    if before is None:
        others = walk_all(config.source_path)[1]
        return CorpusIndex(
            CorpusIndex.build(articles).entries, frozenset(config.source_prefix + o for o in others)
        )
    entries = tuple(
        index_entry(a.path, a.meta, a.anchors) if a.path in fresh else entry
        for a, entry in zip(articles, before.entries, strict=True)
    )
    return CorpusIndex(entries, before.files)


def _edited(config: SiteConfig, path: Path, by_path: Mapping[str, Article]) -> Article | None:
    """The article at `path` as it is now, when the served build shows it at the same URL in the
    same language and audience, and it has no front-matter problem (which the rebuild reports)."""
    rel = relative(path, config.root)
    old = by_path.get(rel)
    if old is None or not path.is_file():
        return None
    loaded = load_checked(path, config.source_path, config.root, config.category_ids)
    new = loaded.article
    if loaded.findings or new is None:
        return None
    same = (new.id, new.lang, new.audience, new.type) == (old.id, old.lang, old.audience, old.type)
    return new if same else None


def _show(
    target: Target,
    selections: Mapping[str, Selection],
    by_path: Mapping[str, Article],
    fresh: Mapping[str, Article],
    build: Path,
) -> bool:
    """Stage and render the pages of the `fresh` articles in `target`'s site of `build`;
    `by_path` holds every article as it is now."""
    selection = selections[target.language.code]
    if not any(choice.article.path in fresh for choice in selection.values()):
        return True
    site = next((s for s in ondemand.sites_of(build) if s["prefix"] == target.language.prefix), None)
    if site is None:
        return False
    alone = stage_alone(target, selections, by_path, fresh.keys(), Path(site["folder"]) / "docs")
    return ondemand.render_staged(site, alone.rels)


def _checked(
    config: SiteConfig,
    today: date,
    index: CorpusIndex,
    fresh: Iterable[Article],
    before: CheckResult,
) -> CheckResult:
    """`before` with the findings of the `fresh` articles found again, by every rule that reads
    an article, against `index` (the rebuild's whole check may differ slightly: its index also
    holds the files whose front matter has problems)."""
    ctx = Context(config=config, today=today, index=index)
    rules = [rule for found in article_rules(()) for rule in found]
    paths = set()
    found: list[Finding] = []
    for article in fresh:
        paths.add(article.path)
        found += suppressions.apply(article.path, article.suppressions, check_article(article, ctx, rules))
    kept = [f for f in before.findings if f.path not in paths]  # configured already
    return CheckResult(before.files, tuple(sorted([*kept, *configured(found, config)], key=Finding.sort_key)))
