"""KB402-KB405: plain language. Passive voice, tone, sentence length and link text (the reading
grade, KB401, is in rules/grade.py).

These rules read the writer's own prose only (`rules.prose`: code, tables, headings and HTML left
out, and text quoted from the product: block quotes of messages, bold UI labels, quoted text) and
run on every page type, agent-only blocks included: agents copy playbook wording into replies to
customers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.model import Article, Hit, LinkKind, Severity
from generator.rules.base import Context, rule
from generator.rules.grade import ENGLISH, without_terms
from generator.rules.prose import STAND_IN, Prose, prose, prose_search, prose_sentences
from generator.rules.wordlists import load
from generator.text import per_article, words

if TYPE_CHECKING:
    pass

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def locate(article: Article, paragraph: Prose, needle: str) -> tuple[int, int]:
    """(file line, column) of `needle` in the source lines of a paragraph; the paragraph's first
    line when markup inside the phrase hides it from a plain search."""
    return _find(article, paragraph, needle) or (paragraph.line, 1)


def _find(
    article: Article, paragraph: Prose, needle: str, after: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """(file line, column) of `needle` in the paragraph's source lines, past `after` if given."""
    lines, folded = article.lines, _folded(article)
    start = paragraph.line - article.body_line
    first, skip = (start, 0) if after is None else (after[0] - article.body_line, after[1])
    wanted = needle.casefold().translate(_APOSTROPHES)
    for n in range(first, min(start + 40, len(lines))):
        if n not in folded:
            folded[n] = lines[n].casefold().translate(_APOSTROPHES)
        column = folded[n].find(wanted, skip if n == first else 0)
        if column >= 0:
            return article.body_line + n, column + 1
        if n > start and not lines[n].strip():
            break
    return None


@per_article
def _folded(article: Article) -> dict[int, str]:
    """The body's lines searched so far, case-folded: folded once per article, not once per
    finding (thousands of findings on one line made that quadratic)."""
    return {}


class Locator:
    """locate() for one rule's findings on one article, which come in reading order: a phrase
    found again is looked for past the place it was found last, so each finding gets its own
    column and no line is searched from its start again and again. A phrase that could not be
    found is not looked for again in that paragraph."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.last: dict[tuple[int, str], tuple[int, int] | None] = {}

    def __call__(self, paragraph: Prose, needle: str) -> tuple[int, int]:
        key = (paragraph.line, needle.casefold())
        found: tuple[int, int] | None = None
        if key not in self.last or self.last[key] is not None:
            found = _find(self.article, paragraph, needle, self.last.get(key))
        self.last[key] = found
        return found or (paragraph.line, 1)


@cache
def _passive_pattern(extra_exceptions: tuple[str, ...]) -> re.Pattern[str]:
    data = load("passive")
    be = "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in sorted(data["be"], key=len, reverse=True))
    skip = {w.casefold() for w in (*data["exceptions"], *data["not_participles"], *extra_exceptions)}
    irregular = "|".join(sorted(w for w in data["irregular"] if w.casefold() not in skip))
    regular = r"[a-z]{2,}ed"
    skipped = "|".join(sorted(re.escape(w) for w in skip))
    return re.compile(
        rf"\b(?P<be>{be})\s+(?:[a-z]+ly\s+)?(?!(?:{skipped})\b)(?P<participle>{irregular}|{regular})\b",
        re.IGNORECASE,
    )


@cache
def _states() -> frozenset[str]:
    return frozenset(w.casefold() for w in load("passive")["states"])


def is_participle(word: str) -> bool:
    """Whether `word` reads as a past participle (data/passive.yml): an irregular one, or a word
    in -ed that is not one of the words that only look like it ("need", "hundred")."""
    data = _participles()
    low = word.casefold()
    return low in data[0] or (re.fullmatch(r"[a-z]{2,}ed", low) is not None and low not in data[1])


@cache
def _participles() -> tuple[frozenset[str], frozenset[str]]:
    data = load("passive")
    return frozenset(data["irregular"]), frozenset(w.casefold() for w in data["not_participles"])


# The agent of a passive, when the sentence names it: "by the system", "by your administrator",
# "by Microsoft". Not "by default", "by email" or "by using": those say how, not who.
_AGENT = re.compile(
    r"\s+by\s+(?P<agent>(?:the|a|an|your|our|their|its|this|that|each|every|any)\s+[\w-]+(?:\s+[\w-]+)?"
    r"|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)"
)
_MODAL = re.compile(r"(can|could|may|might|must|should|will)\s+be", re.IGNORECASE)


def passive_advice(text: str, match: re.Match[str]) -> str:
    """What KB402 says of one passive in `text`: a rewrite where one applies (the sentence names
    the agent, or a modal makes the reader the likely actor), else only that the actor is hidden."""
    found = match.group(0)
    agent = _AGENT.match(text, match.end())
    if agent and agent.group("agent").split()[0].casefold() not in _NOT_AGENTS:
        return f"passive voice '{found} by {agent.group('agent')}': make '{agent.group('agent')}' the subject"
    modal = _MODAL.match(match.group("be"))
    if modal and modal.group(1).casefold() != "will":
        return f"passive voice '{found}': if the reader does it, write 'you {modal.group(1).lower()} ...'"
    return f"passive voice '{found}': it does not say who acts; name them if the reader needs to know"


_NOT_AGENTS = frozenset({"default", "design", "email", "e-mail", "phone", "hand", "mistake", "itself"})


@rule(
    "KB402",
    "passive-voice",
    Severity.WARNING,
    languages=ENGLISH,
    skip_note="the pattern is English",
    version=3,
)
def passive_voice(article: Article, ctx: Context) -> Iterator[Hit]:
    """Passive voice that hides who acts: a form of "to be" followed by a past participle.

    **What it does**: finds "is sent", "was deleted", "will be charged", "can't be undone" (with an
    optional adverb between) in the writer's own prose: text quoted from the product (a message
    in a block quote, a bold UI label, quoted text) is left out. A participle that describes a
    state rather than an action someone did is not reported: "is located", "you're signed in",
    "is enabled", "is displayed", "are listed", "is assigned to" (`data/passive.yml`, plus
    `style.passive_exceptions`). The message gives a rewrite where one applies: the agent the
    sentence names ("is calculated by the system": make 'the system' the subject), or the reader
    behind "can be" ("bins can be grouped": "you can ..."); otherwise it says who acts is not
    said. English only.

    **Why it matters**: passive sentences hide who acts. "The file is uploaded" leaves the customer
    wondering whether they still have to do it.

    **Example**: "Your invoice is sent by email." -> "We email your invoice."
    """
    pattern = _passive_pattern(ctx.config.style.passive_exceptions)
    states = _states()
    where = Locator(article)
    for p, match in prose_search(article, pattern):
        if match.group("participle").casefold() in states and not _MODAL.match(match.group("be")):
            continue  # "is displayed": a state
        line, column = where(p, match.group(0))
        yield Hit(line, passive_advice(p.text, match), column)


def _tone_entries(pairs: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """(phrase, wording to use, what must follow the phrase or "") of each tone entry: a value is
    the wording, or {use: wording, followed_by: past participle}."""
    out = []
    for phrase, value in sorted(pairs.items()):
        if isinstance(value, Mapping):
            out.append((phrase, str(value["use"]), str(value.get("followed_by") or "")))
        else:
            out.append((phrase, str(value), ""))
    return tuple(out)


@cache
def _tone_pattern(
    entries: tuple[tuple[str, str, str], ...],
) -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    """The phrases' pattern, each phrase's replacement, and the phrases that count only before a
    past participle ("you should have" + "saved" is a reproach; + "a new file" is not)."""
    swaps = {phrase.casefold().translate(_APOSTROPHES): better for phrase, better, _ in entries}
    before_participle = frozenset(
        phrase.casefold().translate(_APOSTROPHES)
        for phrase, _, after in entries
        if after == "past participle"
    )
    alternatives = "|".join(re.escape(p) for p in sorted(swaps, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), swaps, before_participle


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


@rule("KB403", "tone", Severity.WARNING, version=3)
def tone(article: Article, ctx: Context) -> Iterator[Hit]:
    """A phrase the support playbooks replace, with the wording to use instead.

    **What it does**: looks for phrases such as "I'll try", "I don't know", "Unfortunately we
    can't", "It might take a while" and "You should have (done)" (`data/tone.yml`, per language;
    add your own under `style.tone` as `phrase: replacement`) in the writer's own prose, and
    suggests the playbook wording. A phrase in text quoted from the product (a message in a block
    quote, a bold label, quoted text) is left alone, and "you should have" counts only as a
    reproach, before a past participle ("you should have saved"), not as a requirement ("you
    should have Owner permissions") or an expected result ("you should have a new file").

    **Why it matters**: positive, concrete wording tells the customer what will happen next; the
    same words in every article and every reply make the team sound like one team.

    **Example**: "It might take a while to sync." -> "This takes about 5 minutes."
    """
    pairs = {**(load("tone").get(ctx.config.language_of(article).base) or {}), **ctx.config.style.tone}
    if not pairs:
        return
    pattern, swaps, before_participle = _tone_pattern(_tone_entries(pairs))
    where = Locator(article)
    for p, match in prose_search(article, pattern, _APOSTROPHES):
        found = match.group(0)
        key = found.casefold()
        if key in before_participle:
            following = _NEXT_WORD.match(p.text, match.end())
            if following is None or not is_participle(following.group(1)):
                continue
        line, column = where(p, found)
        yield Hit(line, f"replace '{found}' with \"{swaps[key]}\" (playbook wording)", column)


@rule(
    "KB404",
    "long-sentence",
    Severity.WARNING,
    languages=("en", "es", "fr", "de", "pt", "it", "nl"),
    skip_note="sentence length is counted in space-separated words",
    version=3,
)
def long_sentence(article: Article, ctx: Context) -> Iterator[Hit]:
    """A sentence longer than `style.max_sentence_words` (25) words.

    **What it does**: splits each paragraph and list item of the writer's own prose into
    sentences and counts words. The items of a list written as lines of one paragraph (a line
    break at the end of each line, or lines that are each a link or a label alone) are sentences
    of their own. A name counts as one word: a bold UI label, a code span, quoted text, and the
    product's names listed in `style.terms`.

    **Why it matters**: long sentences are where readers lose the thread, and where translations
    go wrong. One idea per sentence.

    **Example**: split "Select Export, which opens a dialog where you choose the format, the date
    range and the columns, and then select Download to save the file to your computer." into two
    or three sentences.
    """
    limit = ctx.config.style.max_sentence_words
    terms = ctx.config.style.terms
    where = Locator(article)
    for p in prose(article):
        if len(words(p.text)) <= limit:
            continue  # none of its sentences can be longer
        for sentence in prose_sentences(p):
            count = len(words(without_terms(sentence, terms)))
            if count > limit:
                line, column = where(p, _opening(sentence))
                yield Hit(line, f"sentence has {count} words (limit {limit}): split it", column)


def _opening(sentence: str) -> str:
    """The first words of a sentence that are in the page as written: up to three, from its first
    run of words that holds no name read as STAND_IN."""
    for chunk in sentence.split(STAND_IN):
        if len(chunk.split()) >= 2 or (chunk.strip() and chunk is sentence):
            return " ".join(chunk.split()[:3])
    return " ".join(sentence.split()[:3])


_TRIM = " \t.,:;!?()[]\"'“”‘’»«"


@rule("KB405", "vague-link-text", Severity.WARNING)
def vague_link_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """Link text that does not say where the link goes ("click here", "read more").

    **What it does**: compares each link's text with `data/links.yml` (per language) and
    `style.vague_link_text`.

    **Why it matters**: screen-reader users jump from link to link, and everyone scans links; "here"
    says nothing out of context.

    **Example**: `To reset it, [click here](reset-password.md).` ->
    `[Reset your password](reset-password.md).`
    """
    vague = {
        t.casefold()
        for t in (
            *(load("links").get(ctx.config.language_of(article).base) or ()),
            *ctx.config.style.vague_link_text,
        )
    }
    for link in article.links:
        if link.kind is LinkKind.LINK and link.text.strip(_TRIM).casefold() in vague:
            yield Hit(link.line, f"link text '{link.text.strip()}' is vague: say where the link goes")
