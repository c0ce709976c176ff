"""KB008-KB010: what one source of truth for repeated facts and kept URLs can get wrong: a
variable that cannot be printed, a snippet that cannot be included, a redirect that cannot work.

KB008 and KB009 report what the loader met expanding a body (pipeline/expand/: Article.expansion);
the check reports each at the line of the article it came from, and for a snippet's text at the
snippet's line too (check/run.py). KB010 reads `redirect_from:` across the corpus.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule


def _problems(article: Article, kind: str) -> Iterator[Hit]:
    expansion = article.expansion
    if expansion is None:
        return
    for problem in expansion.problems:
        if problem.kind == kind:
            yield Hit(article.body_line + problem.index, problem.message)


@rule("KB008", "bad-variable", Severity.ERROR)
def bad_variable(article: Article, ctx: Context) -> Iterator[Hit]:
    """A `{{ variable }}` that cannot be printed.

    **What it does**: articles print facts kept once in `kb_source/_data/*.yml` (a file is a
    name: `plans.yml` holds `plans.enterprise.p1_first_response`). This rule reports a name the
    data does not define (with the closest one it does), a template syntax error, a value that is
    a mapping or a list rather than a string or number, a data file that is not valid YAML (with
    its line), and anything the sandbox refuses (Python attributes such as `__class__`, `**`).
    Code blocks and inline code are left as written, so code samples may show `{{ }}`; elsewhere
    wrap literal braces in `{% raw %}...{% endraw %}`.

    **Why it matters**: an article that cannot be rendered is not published, and a misspelt name
    would otherwise show customers the braces instead of the fact.

    **Example**: `Enterprise customers hear back within {{ plans.enterprise.p1_first_response }}.`
    Misspelt as `plans.enterprize...`, the finding says "did you mean 'plans.enterprise'?".
    """
    return _problems(article, "variable")


@rule("KB009", "bad-snippet", Severity.ERROR)
def bad_snippet(article: Article, ctx: Context) -> Iterator[Hit]:
    """A `{% include "name.md" %}` that cannot be included.

    **What it does**: snippets are reusable Markdown in `kb_source/_snippets/`, with front matter
    that says `audience: public` or `audience: internal`. The include goes on a line of its own,
    indented as the text it belongs to (in a step, in an agent note). This rule reports a snippet
    that does not exist (with the closest name), one that includes itself (directly or through
    others), one whose front matter is missing or does not say its audience, and an internal
    snippet included in text customers see: a public article outside an `!!! internal` note.

    **Why it matters**: an internal snippet in public text would publish agent-only procedures;
    a missing one would leave a gap in the steps.

    **Example**:
    ```
    !!! internal "Agent note"
        {% include "escalation-contact.md" %}
    ```
    """
    return _problems(article, "snippet")


@rule("KB010", "bad-redirect", Severity.ERROR, uses_corpus=True)
def bad_redirect(article: Article, ctx: Context) -> Iterator[Hit]:
    """A `redirect_from:` entry that cannot work.

    **What it does**: `redirect_from: [old-id]` keeps an article's old URLs: the build writes a
    small page at `/<old-id>/` (on each site the article is on, in every language) that sends the
    reader on. This rule reports an old id that is a live article's id (the two pages would
    claim one URL), an article that names its own id (a redirect to itself, the smallest cycle),
    and an old id that two articles both claim. As no old id may be a live id, no longer cycle
    can form.

    **Why it matters**: customers' bookmarks, links in old tickets and macros and search results
    lead to the old URL; it must lead to exactly one page.

    **Example**: `reset-password` renamed from `forgot-password`:
    `redirect_from: [forgot-password]`.
    """
    old_ids = article.meta.get("redirect_from")
    if not isinstance(old_ids, list) or not old_ids:
        return
    line = article.field_line("redirect_from")
    seen: set[str] = set()
    for old in map(str, old_ids):
        if old in seen:
            yield Hit(line, f"'{old}' is listed twice in redirect_from")
            continue
        seen.add(old)
        if old == article.id:
            yield Hit(line, f"'{old}' is this article's own id: a redirect to itself would never end")
            continue
        live = [e for e in ctx.index.by_id(old) if e.path != article.path]
        if live:
            yield Hit(
                line, f"'{old}' is the id of a live article ({live[0].path}): remove it from redirect_from"
            )
        others = sorted(
            e.path
            for e in ctx.index.entries
            if old in e.redirects and e.id != article.id and e.path != article.path
        )
        if others:
            yield Hit(
                line, f"'{old}' is also in redirect_from of {others[0]}: an old URL can lead to one page"
            )
