"""KB301: personal data on a public page: e-mail addresses, phone and card numbers, customer
and ticket numbers; and what in a help article only looks like them (data/privacy.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.wordlists import load

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w-])"
)
_DOTTED_PHONE = re.compile(r"(?:\+?\d{1,3}\.)?\d{3}\.\d{3}\.\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# No payment card number starts with 0 (ISO/IEC 7812), and one is never part of a word, a hex
# number, a GUID or the decimals of a number: `0x0000000000000500`, `00000002-0000-0ff1-ce00-...`.
_CARD = re.compile(r"(?<![\w.-])[1-9](?:[ -]?\d){12,18}(?![\w-])")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def support_contacts(ctx: Context) -> tuple[set[str], set[str]]:
    """(e-mail addresses, phone digit strings) the site publishes on purpose."""
    values = [c.value for c in ctx.config.contact.channels]
    values += ctx.config.compliance.allowed_contacts
    emails = {v.casefold() for v in values if "@" in v}
    phones = {d for v in values if "@" not in v and len(d := _digits(v)) >= 7}
    return emails, phones


@cache
def _compiled(patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(p)) for name, p in patterns)


def _phone_numbers(text: str) -> Iterator[re.Match[str]]:
    for match in _PHONE.finditer(text):
        value = match.group(0)
        count = len(_digits(value))
        if ("." in value and not _DOTTED_PHONE.fullmatch(value)) or _ISO_DATE.match(value):
            continue  # versions, IP addresses, dates and times
        if _DATE.match(value) or _TIME_AFTER.match(text, match.end()) or _in_byte_dump(text, match):
            continue
        if (10 <= count <= 15) or (value.startswith("+") and count >= 8):
            yield match


# `01-01-1601 00:00:00`: a day and month before a year, or the hour of a time.
_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])-(?:0?[1-9]|[12]\d|3[01])-(?:1[6-9]|20)\d\d\b")
_TIME_AFTER = re.compile(r":\d\d")
# Bytes written as pairs: `8C FE 01 50 04 83 83 C9`, `00 11 22 33 44 55 66 77`. Five pairs alone
# are a French phone number, so only a run that goes on past the match is a dump of bytes, or
# one on a line that holds a run of more than five pairs elsewhere (`11 22 22 22 22 22 22 33 ->
# 11 22 90 06 33`: a table of bytes).
_PAIRS = re.compile(r"\d\d(?: \d\d)+")
_PAIR_BEFORE = re.compile(r"(?:^|\s)(?:\d\d|[0-9A-F]{2}) $")
_PAIR_AFTER = re.compile(r" (?:\d\d|[0-9A-F]{2})(?![\w-])")
_LONG_PAIRS = re.compile(r"(?<![\w-])[0-9A-F]{2}(?: [0-9A-F]{2}){5,}(?![\w-])")


def _in_byte_dump(text: str, match: re.Match[str]) -> bool:
    if not _PAIRS.fullmatch(match.group(0)):
        return False
    before = text[max(0, match.start() - 4) : match.start()]
    if _PAIR_BEFORE.search(before) or _PAIR_AFTER.match(text, match.end()):
        return True
    return any(m.span() != match.span() for m in _LONG_PAIRS.finditer(text))


# Phone and card numbers are runs of 8+ digits with separators: the lines without such a run are
# not searched with their (much slower) patterns.
_NUMBER_RUN = re.compile(r"[\d(+][\d .()+-]{7,}")


def _marked_lines(
    text: str, patterns: Iterable[re.Pattern[str]], keep: Callable[[str], bool] | None = None
) -> set[int]:
    """Indexes of the lines of `text` that a line-by-line search with `patterns` could match
    (and whose match passes `keep`).

    One search of the whole text per pattern instead of one per line: most pages match none.
    Searched with `^` and `$` at line ends, and every line a match spans is marked, so a match
    within one line is never missed."""
    marked: set[int] = set()
    for pattern in patterns:
        for match in _multiline(pattern).finditer(text):
            if keep is not None and not keep(match.group(0)):
                continue
            first = text.count("\n", 0, match.start())
            marked.update(range(first, first + text.count("\n", match.start(), match.end()) + 1))
    return marked


@cache
def _multiline(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags | re.MULTILINE)


@rule("KB301", "personal-data", Severity.ERROR, public_only=True, version=3)
def personal_data(article: Article, ctx: Context) -> Iterator[Hit]:
    """Personal data in a public page: e-mail addresses, phone numbers, card numbers, customer or
    ticket identifiers.

    **What it does**: flags e-mail addresses and phone numbers other than the support contacts
    (`contact.channels[].value` and `compliance.allowed_contacts` in site_config.yml),
    Luhn-valid payment card numbers (13-19 digits, never a run that starts with 0 or belongs to a
    hex number, a GUID or a decimal), and ticket and customer numbers after the words that make
    them one ("ticket 48213", "case #48213", "customer ID 1003"; `data/privacy.yml`, plus the
    regular expressions in `compliance.identifier_patterns`). Addresses are examples, not personal
    data, at the domains reserved for documentation (`example.com`, `*.test`, `*.invalid`: RFC
    2606 and 6761), at placeholder domains (`domain.com`), at the fictitious companies of
    vendors' documentation (`contoso.com`, `fabrikam.com` and their subdomains and
    `*.onmicrosoft.com` tenants, misspellings by one letter such as `constoso.com` included) and
    at the domains in `compliance.example_domains`, subdomains included; so are role mailboxes
    such as `postmaster@` or `no-reply@`. A customer or ticket number that is round ("customer
    no. 10000") or on a page that says it works in a demonstration company ("the CRONUS
    demonstration company") is made up. HTML comments are not checked: the site drops them, and
    agent-only blocks are internal text. Dates, times, versions, IP addresses, error codes such as
    `(#10054)` and bytes written in pairs (`8C FE 01 50 04 83 83 C9`) are not phone or ticket
    numbers; five pairs alone are a phone number, as French numbers are written, unless the line
    holds a longer run of pairs (a dump of bytes).

    **Why it matters**: an article drafted from a real ticket can carry a customer's address or card
    number onto a public page, where search engines keep it long after the fix.

    **Example**: "Customer ID 1003 saw this error" -> "Some customers saw this error"; write
    addresses as `name@example.com`.
    """
    emails, phones = support_contacts(ctx)
    opts = ctx.config.compliance
    examples = _examples(tuple(str(d).casefold() for d in opts.example_domains))
    identifiers = _identifiers(tuple(opts.identifier_patterns.items()))
    body = _without_comments("\n".join(article.public_lines))
    lines = body.split("\n")
    demo: bool | None = None  # whether the page is a demonstration's: read when a number is found
    lowered = body.lower() if body.isascii() else None
    searched = [i.pattern for i in identifiers if i.absent is None or not i.absent(body, lowered)]
    marked = _marked_lines(body, searched)
    if "@" in body:
        marked |= _marked_lines(body, [_EMAIL])
    marked |= _marked_lines(body, [_NUMBER_RUN], lambda run: sum(c.isdigit() for c in run) >= 8)
    for n in sorted(marked):
        text, line = lines[n], article.body_line + n
        if not text.strip():
            continue
        for match in _EMAIL.finditer(text):
            address = match.group(0).casefold()
            before = text[max(0, match.start() - _BEFORE) : match.start()]
            if address not in emails and not examples.covers(address, before):
                yield Hit(line, f"e-mail address '{match.group(0)}' in a public page", match.start() + 1)
        cards = set()
        for match in _CARD.finditer(text):
            if 13 <= len(digits := _digits(match.group(0))) <= 19 and luhn(digits):
                cards.add(match.span())
                yield Hit(line, "payment card number in a public page", match.start() + 1)
        for match in _phone_numbers(text):
            digits = _digits(match.group(0))
            known = any(digits.endswith(p) or p.endswith(digits) for p in phones) or _toll_free(digits)
            if not known and not any(s <= match.start() < e for s, e in cards):
                yield Hit(line, f"phone number '{match.group(0)}' in a public page", match.start() + 1)
        for identifier in identifiers:
            for match in identifier.pattern.finditer(text):
                if demo is None:
                    demo = _demo_page(body)
                if demo or _round(match.group(0)):
                    continue
                if not examples.context.search(text[max(0, match.start() - _BEFORE) : match.start()]):
                    what = f"{identifier.name} '{match.group(0)}'"
                    yield Hit(line, f"{what} in a public page", match.start() + 1)


# HTML comments: the site's Markdown drops them, so what they hold is on no page.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _without_comments(text: str) -> str:
    """`text` with its closed HTML comments blanked, line ends kept."""
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _demo_page(body: str) -> bool:
    """Whether the page says it works with a demonstration company's data (data/privacy.yml)."""
    return _demo_context().search(body) is not None


@cache
def _demo_context() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_words(load('privacy')['demo_context'])})(?!\w)", re.IGNORECASE)


def _round(identifier: str) -> bool:
    """Whether the number of an identifier ("customer no. 10000") is round: a made-up value."""
    zeros = int(load("privacy")["round_zeros"])
    number = re.search(r"\d+$", identifier)
    return number is not None and number.group(0).endswith("0" * zeros) and number.group(0).strip("0") != ""


# How much of a line before an address is read for its context words: enough for six words and
# a Markdown link's `[...](mailto:` around the address, bounded so a long line costs nothing more.
_BEFORE = 120


def _toll_free(digits: str) -> bool:
    """Whether a phone number's digits are a North American toll-free number: a business's line."""
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return len(national) == 10 and national[:3] in _toll_free_prefixes()


@cache
def _toll_free_prefixes() -> frozenset[str]:
    return frozenset(str(p) for p in load("privacy")["toll_free_prefixes"])


@dataclass(frozen=True)
class Examples:
    """What makes an e-mail address an example, a role or not an address at all, rather than a
    person's (data/privacy.yml and `compliance.example_domains`)."""

    domains: frozenset[str]  # these and their subdomains
    labels: frozenset[str]  # a domain with one of these as a label (placeholders)
    companies: tuple[str, ...]  # a domain with a label that starts with one of these
    roles: frozenset[str]  # local parts of role mailboxes
    role_words: tuple[str, ...]  # a local part that holds one is a role's
    extensions: frozenset[str]  # a last label that is one names a file
    context: re.Pattern[str]  # the words before an address that make it an example or a contact
    not_after: re.Pattern[str]  # the words before an address that make it something else

    def covers(self, address: str, before: str = "") -> bool:
        """Whether `address` (case-folded), with `before` it on its line, is not a person's."""
        local, _, domain = address.rpartition("@")
        labels = domain.split(".")
        return (
            self._role(local)
            or any(".".join(labels[i:]) in self.domains for i in range(len(labels)))
            or any(label in self.labels or self._company(label) for label in labels[:-1])
            or labels[-1] in self.extensions
            or bool(self.context.search(before) or self.not_after.search(before))
        )

    def _company(self, label: str) -> bool:
        """A fictitious company's name, or a misspelling of one (`constoso`: one letter more, less
        or changed; names of six letters or more, so a real short name is not caught)."""
        return label.startswith(self.companies) or any(
            len(name) >= 6 and _one_edit(label, name) for name in self.companies
        )

    def _role(self, local: str) -> bool:
        return local in self.roles or any(word in local for word in self.role_words)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one letter added, removed or changed."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] or a[i + 1 :] == b[i:] or a[i:] == b[i + 1 :]


@cache
def _examples(configured: tuple[str, ...]) -> Examples:
    data = load("privacy")
    words = int(data["context_words"])
    return Examples(
        frozenset([*(str(d).casefold() for d in data["example_domains"]), *configured]),
        frozenset(str(c).casefold() for c in data["placeholder_labels"]),
        tuple(str(c).casefold() for c in data["fictitious_companies"]),
        frozenset(str(r).casefold() for r in data["role_mailboxes"]),
        tuple(str(r).casefold() for r in data["role_words"]),
        frozenset(str(e).casefold() for e in data["file_extensions"]),
        # One of the phrases, then at most `words` - 1 more words up to the address.
        re.compile(
            rf"(?<!\w)(?:{_words(data['example_context'])})(?!\w)\W*(?:\w+\W+){{0,{words - 1}}}$", re.I
        ),
        re.compile(rf"(?<!\w)(?:{_words(data['not_an_address_after'])})(?!\w)\W*$", re.I),
    )


def _words(words: Iterable[object]) -> str:
    """An alternation of `words`, longest first, each space as any run of spaces."""
    ordered = sorted((str(w) for w in words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def identifier_pattern(spec: Mapping[str, Any]) -> str:
    """The regular expression of one of data/privacy.yml's `identifiers`: a context word, a
    qualifier (optional unless `qualifier_required`; `#` stands for the sign before the number),
    then the number."""
    qualifiers = [str(q) for q in spec.get("qualifiers") or () if str(q) != "#"]
    hash_sign = "#" in [str(q) for q in spec.get("qualifiers") or ()]
    qualifier = rf"\s+(?:{_words(qualifiers)})(?!\w)" if qualifiers else "(?!)"
    if spec.get("qualifier_required"):
        after = rf"(?:{qualifier}|(?=\s*#))" if hash_sign else rf"(?:{qualifier})"
    else:
        after = rf"(?:{qualifier})?"
    digits = int(spec.get("digits", 4))
    return rf"(?i)(?<![\w#&])(?:{_words(spec['words'])})\b{after}(?:\s*[:#]\s*|\s+)#?\d{{{digits},}}\b"


@cache
def _identifiers(configured: tuple[tuple[str, str], ...]) -> tuple[Identifier, ...]:
    """Each identifier: the built-in ones, then the configured ones (a configured name replaces
    the built-in one, and a configured pattern, which may match anything, is always searched)."""
    specs = load("privacy")["identifiers"]
    patterns = {name: identifier_pattern(spec) for name, spec in specs.items()}
    patterns.update(configured)
    return tuple(
        Identifier(name, pattern, None if name in dict(configured) else _absent(specs[name]))
        for name, pattern in _compiled(tuple(patterns.items()))
    )


@dataclass(frozen=True)
class Absent:
    """Whether a built-in identifier pattern cannot match a page's text, told by cheap searches:
    every match holds a run of `digits` digits and, on an all-ASCII page (where matching case
    blind is comparing lower case), the first word of one of its words. Searched on every page,
    case blind and from every position, the patterns cost more than the rest of KB301."""

    firsts: tuple[str, ...]  # lower case; empty when one is not ASCII (then not used)
    digits: re.Pattern[str]

    def __call__(self, text: str, lowered: str | None) -> bool:
        if lowered is not None and self.firsts and not any(w in lowered for w in self.firsts):
            return True
        return self.digits.search(text) is None


def _absent(spec: Mapping[str, Any]) -> Absent:
    firsts = tuple(str(w).split(" ")[0].lower() for w in spec["words"])
    usable = all(w and w.isascii() for w in firsts)
    return Absent(firsts if usable else (), re.compile(rf"\d{{{int(spec.get('digits', 4))}}}"))


@dataclass(frozen=True)
class Identifier:
    name: str
    pattern: re.Pattern[str]
    absent: Absent | None  # None: always searched
