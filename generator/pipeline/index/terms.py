"""What the index step adds to a built site for search in customers' words.

Before Pagefind reads the pages: the language's synonyms and symptoms (`search:` in
site_config.yml, staged beside the search page as `search/terms.json`). A page whose lead (title,
summary, keywords and error codes, headings) holds a phrase of a synonym group gets the group's
other phrases, and one holding a phrase a symptom `matches` gets the symptom's `query` phrases, in
a hidden, weighted paragraph of its searchable region, as the theme's keywords are.

After Pagefind: the vocabulary of those leads, one file per first letter in the bundle
(`pagefind/kb-words/<letter>.json`, most common word first), which kb-search-query.js loads only to
correct a word the index does not hold ("pasword" -> "password").
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TERMS_FILE = "search/terms.json"  # written by staging (stage/generated.py search_files)
WORDS_DIR = "kb-words"
# A page's added terms weigh less than its own keywords (5) and more than its text (1).
WEIGHT = 3
_BODY = re.compile(r"<[a-z][a-z0-9]*\b[^>]*\sdata-pagefind-body\b[^>]*>")
# The paragraph this step adds, so that indexing a site again does not add it twice.
_ADDED = re.compile(r'<p class="kb-search-synonyms"[^>]*>[^<]*</p>')
_LEAD = re.compile(
    r"<(h[1-4])\b[^>]*>(.*?)</\1>"
    r"|<p\b[^>]*(?:data-pagefind-meta=\"summary\"|class=\"kb-search-terms\")[^>]*>(.*?)</p>",
    re.DOTALL,
)
_PERMALINK = re.compile(r"<a\b[^>]*class=\"headerlink\"[^>]*>.*?</a>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_LATIN_WORD = re.compile(r"^[a-z]{3,}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SUFFIXES = ("s", "es", "ed", "d", "ing")


@dataclass(frozen=True)
class Group:
    """Phrases that, once one is found in a page's lead, are added to the page."""

    found_by: tuple[str, ...]  # folded phrases looked for
    adds: tuple[str, ...]  # phrases added, as written


@dataclass(frozen=True)
class Terms:
    groups: tuple[Group, ...] = ()

    @property
    def longest(self) -> int:
        return max((len(p.split()) for g in self.groups for p in g.found_by), default=0)


def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: as kb-search-query.js folds."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def read_terms(site_dir: Path) -> Terms:
    """The staged synonyms and symptoms of the site's language; none when staging wrote none."""
    try:
        data = json.loads((site_dir / TERMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Terms()
    groups = [Group(tuple(fold(p) for p in group), tuple(group)) for group in data.get("synonyms") or ()]
    groups += [
        Group(tuple(fold(p) for p in s["matches"]), tuple(s["query"])) for s in data.get("symptoms") or ()
    ]
    return Terms(tuple(groups))


@dataclass(frozen=True)
class Lead:
    """What a page shows first, folded: the text searched for phrases and read for words."""

    path: Path
    text: str
    added: tuple[str, ...]  # phrases the page was given


def add_terms(site_dir: Path, terms: Terms) -> list[Lead]:
    """Give each searchable page the phrases its lead calls for (rewriting the page in place);
    every searchable page's lead, for the vocabulary."""
    leads = []
    for path in sorted(site_dir.rglob("*.html")):
        if "pagefind" in path.relative_to(site_dir).parts:
            continue
        original = path.read_text(encoding="utf-8")
        page = _ADDED.sub("", original, count=1)
        body = _BODY.search(page)
        if body is None:
            continue
        text = fold(" ".join(_lead_parts(page[body.end() :])))
        added = _added(text, terms)
        if added:
            hidden = (
                f'<p class="kb-search-synonyms" hidden aria-hidden="true" data-pagefind-weight="{WEIGHT}">'
                f"{html.escape(' · '.join(added))}</p>"
            )
            page = page[: body.end()] + hidden + page[body.end() :]
        if page != original:
            # A new file renamed over the page: an incremental build's unchanged pages are hard
            # links to the last build's (incremental.assemble), which must stay as they were.
            fresh = path.with_name(f".{path.name}.kb-terms")
            fresh.write_text(page, encoding="utf-8")
            os.replace(fresh, path)
        leads.append(Lead(path, text, added))
    return leads


def _lead_parts(body: str) -> Iterator[str]:
    for match in _LEAD.finditer(body):
        inner = match.group(2) if match.group(2) is not None else match.group(3)
        yield html.unescape(_TAG.sub(" ", _PERMALINK.sub("", inner)))


def _added(text: str, terms: Terms) -> tuple[str, ...]:
    """The phrases of every group found in `text`, less those it already holds, in order."""
    if not terms.groups:
        return ()
    grams = _grams(text, terms.longest)
    out: dict[str, None] = {}
    for group in terms.groups:
        if any(_holds(text, grams, phrase) for phrase in group.found_by):
            out.update((p, None) for p in group.adds if not _holds(text, grams, fold(p)))
    return tuple(out)


def _grams(text: str, longest: int) -> set[str]:
    """Every run of up to `longest` words of `text`, also with the last word's plural or verb
    ending taken off ("charges" holds "charge", "signing in" does not hold "sign in")."""
    words = _WORD.findall(text)
    grams = set()
    for n in range(1, longest + 1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            grams.add(" ".join(run))
            last = run[-1]
            for suffix in _SUFFIXES:
                if last.endswith(suffix) and len(last) - len(suffix) >= 3:
                    grams.add(" ".join([*run[:-1], last[: -len(suffix)]]))
    return grams


def _holds(text: str, grams: set[str], phrase: str) -> bool:
    if _CJK.search(phrase):
        return phrase in text  # no spaces between words: anywhere in the text
    return " ".join(_WORD.findall(phrase)) in grams


def write_vocabulary(bundle: Path, leads: Iterable[Lead]) -> int:
    """The words of the leads and of the phrases added, by first letter, most pages first; the
    number of words written."""
    counts: Counter[str] = Counter()
    for lead in leads:
        words = set(_WORD.findall(lead.text))
        words.update(w for phrase in lead.added for w in _WORD.findall(fold(phrase)))
        counts.update(w for w in words if _LATIN_WORD.match(w))
    shards: dict[str, list[str]] = {}
    for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        shards.setdefault(word[0], []).append(word)
    folder = bundle / WORDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for letter, words in shards.items():
        (folder / f"{letter}.json").write_text(json.dumps(words, separators=(",", ":")), encoding="utf-8")
    return len(counts)
