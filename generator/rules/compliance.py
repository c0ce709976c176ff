"""KB3xx: what must never reach a public page: personal data, credentials, internal links and
terms, unreviewed sensitive pages, images without alt text and promises. Unsafe HTML and SVG
(KB306, KB309, KB311) are in rules/html.py, agent-only blocks (KB310) in rules/boundary.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.model import Article, Audience, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.freshness import as_date
from generator.rules.html import article_elements
from generator.rules.prose import prose_search
from generator.rules.structure import links, resolve
from generator.rules.style import locate
from generator.rules.wordlists import load


def numbered_lines(article: Article, *, public: bool) -> Iterator[tuple[int, str]]:
    """(file line, text) of every body line; agent-only blocks blanked when `public`."""
    for n, text in enumerate(article.public_lines if public else article.lines):
        if text.strip():
            yield article.body_line + n, text


# --- KB301 personal data ---------------------------------------------------------------------

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


@rule("KB301", "personal-data", Severity.ERROR, public_only=True, version=2)
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
    `*.onmicrosoft.com` tenants) and at the domains in `compliance.example_domains`, subdomains
    included; so are role mailboxes such as `postmaster@` or `no-reply@`. Agent-only blocks are
    internal text and are not checked. Dates, times, versions, IP addresses, error codes such as
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
    demo = _demo_page(body)
    marked = _marked_lines(body, [p for _, p in identifiers])
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
        for name, pattern in identifiers:
            for match in pattern.finditer(text):
                if demo or _round(match.group(0)):
                    continue
                if not examples.context.search(text[max(0, match.start() - _BEFORE) : match.start()]):
                    yield Hit(line, f"{name} '{match.group(0)}' in a public page", match.start() + 1)


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
def _identifiers(configured: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(name, pattern) of each identifier: the built-in ones, then the configured ones (a
    configured name replaces the built-in one)."""
    patterns = {name: identifier_pattern(spec) for name, spec in load("privacy")["identifiers"].items()}
    patterns.update(configured)
    return _compiled(tuple(patterns.items()))


# --- KB302 credentials -----------------------------------------------------------------------


@cache
def _detectors() -> tuple[Any, ...]:
    # Built directly rather than through detect-secrets' global settings: no shared state, and no
    # verification filter (which would call the providers' APIs over the network).
    from detect_secrets.plugins.aws import AWSKeyDetector
    from detect_secrets.plugins.github_token import GitHubTokenDetector
    from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString
    from detect_secrets.plugins.jwt import JwtTokenDetector
    from detect_secrets.plugins.keyword import KeywordDetector
    from detect_secrets.plugins.private_key import PrivateKeyDetector
    from detect_secrets.plugins.slack import SlackDetector
    from detect_secrets.plugins.stripe import StripeDetector

    return (
        AWSKeyDetector(),
        PrivateKeyDetector(),
        GitHubTokenDetector(),
        SlackDetector(),
        StripeDetector(),
        JwtTokenDetector(),
        KeywordDetector(),
        Base64HighEntropyString(limit=4.5),
        HexHighEntropyString(limit=3.0),
    )


def _false_positive(secret: str, line: str, plugin: Any, indirect: bool) -> bool:
    """detect-secrets' heuristic filters; `indirect` is `_indirect_reference` of the whole line."""
    from detect_secrets.filters import heuristic

    return (
        heuristic.is_sequential_string(secret)
        or heuristic.is_potential_uuid(secret)
        or heuristic.is_likely_id_string(secret, line, plugin)
        or heuristic.is_templated_secret(secret)
        or heuristic.is_prefixed_with_dollar_sign(secret)
        or indirect
        or heuristic.is_not_alphanumeric_string(secret)
        or _setting_of_plain_value(secret, plugin)
    )


# `Name=value` in quotes (`"BigFunnelDelayItemSizeThreshold=75497472"`): base64 has `=` only as
# padding at its end, so this is a setting, and only its value can be a secret.
_SETTING = re.compile(r"(?P<name>[A-Za-z_][\w.-]*)=(?P<value>[^=]+=*)")


def _setting_of_plain_value(secret: str, plugin: Any) -> bool:
    """Whether `secret`, found by the base64 entropy detector, is a setting whose value is no
    secret: too short or too regular for the detector on its own (a number, a word)."""
    setting = _SETTING.fullmatch(secret)
    if setting is None or plugin.secret_type != "Base64 High Entropy String":
        return False
    value = setting.group("value").rstrip("=")
    return len(value) < 20 or plugin.calculate_shannon_entropy(value) <= plugin.entropy_limit


# detect-secrets' is_indirect_reference (`secret = get_secret_key()`, `key = headers['apikey']`)
# searches lines of up to 1,000 characters for `([^\v=!:]*)\s*(:=?|[!=]{1,3})\s*([\w.-]+[\[\(][^\v]*
# [\]\)])`, which takes seconds on a line with a run of spaces (3 s for 800). That matches exactly
# when some `:`, `=` or `!` is followed by `\s*[\w.-]+` and `[` or `(` (a call), and later, with
# no vertical tab (`\v`) between, by `]` or `)`. So: each call, then whether a bracket comes before
# the next `\v`; a call that meets `\v` first fails for every call before that `\v` too.
_ASSIGNED_CALL = re.compile(r"[:=!]\s*[\w.-]+[\[(]")
_CLOSED = re.compile(r"[^\v\])]*[\])]")


def _indirect_reference(line: str) -> bool:
    """detect-secrets' heuristic.is_indirect_reference(line), in linear time."""
    if len(line) > 1000:  # the library's own limit
        return False
    open_until = -1  # calls ending before this meet a `\v` before any bracket
    for call in _ASSIGNED_CALL.finditer(line):
        if call.end() < open_until:
            continue
        if _CLOSED.match(line, call.end()):
            return True
        open_until = line.find("\v", call.end())
        if open_until < 0:
            return False  # no bracket after this call, nor after any later one
    return False


# Most lines of a help article cannot hold a secret, and the detectors cost ~100 µs a line, so
# only text with something a detector needs is scanned: the literal start of a provider key or a
# private key header; a quoted run of 9+ key characters (the entropy detectors read quoted strings
# only, and their limits need 9 hex or 23 base64 characters; the AWS secret detector reads 40); a
# credential word and a quote (for a Markdown file detect-secrets' keyword detector requires one);
# or a match of one of our own patterns. Searched one by one: a single alternation, or a
# case-insensitive one, is ten times slower in Python's engine than separate literal searches.
_DETECTOR_SHAPES = (
    r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}",
    r"BEGIN [A-Z0-9 ]*PRIVATE KEY",
    r"PuTTY-User-Key",
    r"gh[pousr]_",
    r"k_live_",
    r"eyJ",
    r"""['"][A-Za-z0-9+/=_-]{9,}['"]""",
)
_LOWER_SHAPES = re.compile(r"xox[a-z]-|hooks\.slack")  # Slack's, searched in lower case
_QUOTES = re.compile(r"['\"`]")


@cache
def _shapes() -> tuple[re.Pattern[str], ...]:
    own = (re.sub(r"^(\(\?[a-zA-Z]+\))?\\b", r"\1", p.pattern) for _, p in _own_patterns())
    return tuple(re.compile(p) for p in (*_DETECTOR_SHAPES, *own))


# detect-secrets' keyword list (DENYLIST in detect_secrets/plugins/keyword.py), copied so that
# pages the prefilter skips do not import detect-secrets (0.2 s); a test keeps the copy equal.
KEYWORD_DENYLIST = (
    "api_?key",
    "auth_?key",
    "service_?key",
    "account_?key",
    "db_?key",
    "database_?key",
    "priv_?key",
    "private_?key",
    "client_?key",
    "db_?pass",
    "database_?pass",
    "key_?pass",
    "password",
    "passwd",
    "pwd",
    "secret",
    "contraseña",
    "contrasena",
)


@cache
def _keywords() -> tuple[str, ...]:
    """The credential words, each `_?` spelled both ways, in lower case."""
    return tuple(sorted({w.replace("_?", s).lower() for w in KEYWORD_DENYLIST for s in ("_", "")}))


@cache
def _keyword_search() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _keywords()))


def _candidate(text: str) -> bool:
    """Whether `text` (a line, or a whole body: the test is the same) may hold a credential."""
    if any(p.search(text) for p in _shapes()):
        return True
    low = text.lower()
    return bool(_LOWER_SHAPES.search(low) or (_QUOTES.search(text) and _keyword_search().search(low)))


@cache
def _own_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(p)) for name, p in load("secrets")["patterns"].items())


@cache
def _placeholders() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in load("secrets")["placeholders"])


def _token_around(line: str, value: str) -> str:
    at = line.find(value)
    if at < 0:
        return value
    start, end = at, at + len(value)
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "\"'`=:(":
        start -= 1
    while end < len(line) and not line[end].isspace() and line[end] not in "\"'`),;":
        end += 1
    return line[start:end]


@cache
def _keyword_patterns() -> tuple[tuple[re.Pattern[str], int, bool], ...]:
    """(pattern, group of the value, starts at a credential word?) of each pattern detect-secrets'
    keyword detector searches a Markdown file with, in its order."""
    from detect_secrets.plugins import keyword
    from detect_secrets.util.filetype import determine_file_type

    table = keyword.REGEX_BY_FILETYPE.get(
        determine_file_type("article.md"), keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
    )
    return tuple((p, group, p.pattern.startswith(keyword.DENYLIST_REGEX)) for p, group in table.items())


@cache
def _any_keyword() -> re.Pattern[str]:
    return re.compile("|".join(KEYWORD_DENYLIST), re.IGNORECASE)  # as the detector reads them


_NOT_WORD = re.compile(r"\W")


def _one_keyword_a_word(line: str) -> str:
    """`line` with each credential word that follows another in the same run of word characters
    (`secretsecret…`) turned into underscores.

    The keyword detector's patterns that start at a credential word go on with `\\w*` to the end
    of the word, so started at each of n words in one run they take n times its length, and more
    (one, `\\w*[^\\s]{0,50}?`, took 3 s on 4,000 characters). Started at a later word of a run they
    match only where the first word of the run matches too, reading the same text after the run,
    so the detector finds the same without them. Underscores keep the run, and every character
    class those patterns use, as they were, and make no new credential word."""
    out: list[str] = []
    done = 0
    previous = -1
    for word in _any_keyword().finditer(line):
        if previous >= 0 and not _NOT_WORD.search(line, previous, word.start()):
            out += (line[done : word.start()], "_" * (word.end() - word.start()))
            done = word.end()
        previous = word.start()
    return "".join(out) + line[done:] if out else line


def _keyword_values(line: str) -> Iterator[str]:
    """What detect-secrets' KeywordDetector.analyze_line finds on `line` (a test holds them
    equal), in linear time: the patterns that start at a credential word search it with one
    credential word a word (`_one_keyword_a_word`); the value is read from `line` where they
    matched."""
    blanked: str | None = None
    for pattern, group, at_word in _keyword_patterns():
        text = line
        if at_word:
            blanked = _one_keyword_a_word(line) if blanked is None else blanked
            text = blanked
        match = pattern.search(text)
        if match:
            yield line[match.start(group) : match.end(group)]


def _detected(plugin: Any, line: str, path: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of what one detector finds on `line`."""
    if plugin.secret_type == "Secret Keyword":  # the KeywordDetector
        yield from ((plugin.secret_type, value) for value in _keyword_values(line))
        return
    for secret in plugin.analyze_line(filename=path, line=line, line_number=0, context=None):
        yield secret.type, str(secret.secret_value or "")


# A help article's line is a paragraph at most (the longest of 262,000 real ones that may hold a
# credential is 2,379 characters), but a pasted log or minified blob can be 100 KB on one line, and
# detect-secrets' patterns are not all linear in a line (its JWT pattern takes 5 s on 100 KB of
# `eyJ`). So a line longer than _LONG is scanned in windows, each window as a line of its own: the
# window owns _CORE characters (what is found starting there is its) and reads _CONTEXT more on
# each side. _CONTEXT holds any credential the detectors know whole (keys run to 40-100
# characters, a JWT or a PyPI token to a few hundred) and the text before it that a pattern reads
# (a credential word, `\b`); a longer one may be cut at the window's end (found cut, or not at
# all). The keyword detector reports the first match of each pattern on a line: on a long line,
# of each window. Each window costs what a line of _LONG characters does, so the work is linear.
_CONTEXT = 512
_CORE = 2048
_LONG = _CORE + 2 * _CONTEXT  # lines up to this long are scanned whole


def _windows(length: int) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, owned from, owned to) of each window of a line of `length` characters."""
    if length <= _LONG:
        yield 0, length, 0, length
        return
    for own in range(0, length, _CORE):
        yield max(0, own - _CONTEXT), min(length, own + _CORE + _CONTEXT), own, own + _CORE


def _credentials(line: str, path: str, prefilter: bool = True) -> list[tuple[int, str, str]]:
    """(index, kind, value) of each credential on a line, placeholders excluded: the index is
    where the value is first found (in its window, on a long line)."""
    found: dict[str, tuple[int, str]] = {}
    indirect: bool | None = None  # worked out once a detector finds something
    for start, end, owned_from, owned_to in _windows(len(line)):
        window = line[start:end]
        if prefilter and not _candidate(window):
            continue
        # (kind, value, where it was found): our patterns say where they matched; the detectors
        # give only the value, so it is where the value first is. A value cut at the window's end
        # starts past what the window owns, or (a detector's) extends to the whole token before.
        values = [(name, m.group(0), m.start()) for name, p in _own_patterns() for m in p.finditer(window)]
        for plugin in _detectors():
            for kind, value in _detected(plugin, window, path):
                if value and indirect is None:
                    indirect = _indirect_reference(line)
                if value and not _false_positive(value, window, plugin, bool(indirect)):
                    token = _token_around(window, value)
                    values.append((kind, token, window.find(token)))
        for kind, value, at in values:
            if owned_from <= start + at < owned_to:
                found.setdefault(value, (start + window.find(value), kind))
    return [
        (at, kind, value)
        for value, (at, kind) in found.items()
        if not any(p.search(value) for p in _placeholders())
    ]


def credentials_in(line: str, path: str = "article.md") -> list[tuple[str, str]]:
    """(kind, value) of each credential on a line; placeholders such as YOUR_API_KEY excluded."""
    return [(kind, value) for _, kind, value in _credentials(line, path)]


def _scan(line: str, path: str) -> list[tuple[str, str]]:
    """credentials_in without the prefilter: what every detector finds."""
    return [(kind, value) for _, kind, value in _credentials(line, path, prefilter=False)]


@rule("KB302", "credentials", Severity.ERROR)
def credentials(article: Article, ctx: Context) -> Iterator[Hit]:
    """Credentials in text: API keys, tokens, private keys, passwords.

    **What it does**: scans every line (code samples and agent-only blocks included; internal pages
    too) with detect-secrets' AWS, private key, GitHub, Slack, Stripe, JWT, keyword and
    high-entropy detectors, plus the key shapes in `data/secrets.yml`. Placeholders such as
    `YOUR_API_KEY`, `<token>` or `sk_live_xxxx` pass.

    **Why it matters**: a key pasted into an example works for whoever reads it. Internal pages
    leak too: they are copied into tickets and shared screens.

    **Example**: `Authorization: Bearer sk_live_51H...` -> `Authorization: Bearer YOUR_API_KEY`
    """
    if not _candidate(article.body):
        return
    for line, text in numbered_lines(article, public=False):
        for at, kind, value in _credentials(text, "article.md"):
            shown = value[:4] + "…" if len(value) > 4 else value
            yield Hit(
                line,
                f"possible credential ({kind}) '{shown}': remove it, revoke it, use a placeholder "
                "such as YOUR_API_KEY",
                at + 1,
            )


# --- KB303 / KB304 internal links and terms --------------------------------------------------


@rule("KB303", "links-to-internal", Severity.ERROR, public_only=True, uses_corpus=True, version=2)
def links_to_internal(article: Article, ctx: Context) -> Iterator[Hit]:
    """A public page links to an internal page, or names one in its `keywords:` or `tags:`.

    **What it does**: resolves each relative `.md` link outside agent-only blocks and fails when
    the target article has `audience: internal`. A keyword or tag that is an internal page's id
    (`refund-authorization`) is reported too: keywords are printed in the page for search.

    **Why it matters**: internal pages are not on the public site; the customer gets a dead link,
    and the link text may already say more than it should. An id in the search terms tells
    outsiders the name of an agent-only page.

    **Example**: `[refund approvals](../agent-playbooks/refunds.md)` in a public article -> link the
    public refund policy, or move the sentence into a `!!! internal` block.
    """
    for field in ("keywords", "tags"):
        for value in article.meta.get(field) or ():
            for word in _slugs(str(value)):
                entries = ctx.index.by_id(word)
                if entries and all(e.audience is Audience.INTERNAL for e in entries):
                    yield Hit(
                        article.field_line(field),
                        f"{field} '{value}' names the internal page '{word}' ({entries[0].title}): "
                        "remove it or say it in the customer's words",
                    )
    hidden = {article.body_line + k for k in article.internal_lines}
    for line, href in links(article):
        target = resolve(article, href)
        entry = ctx.index.by_path(target) if target and line not in hidden else None
        if entry is not None and entry.audience is Audience.INTERNAL:
            yield Hit(line, f"public page links to internal page '{href}' ({entry.title})")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def _slugs(value: str) -> list[str]:
    """The words of a keyword that could be a page id: the whole keyword, and each hyphenated word."""
    lowered = value.strip().lower()
    return list(dict.fromkeys([lowered, *_SLUG.findall(lowered)]))


@cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w#@.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@rule("KB304", "agent-only-terms", Severity.ERROR, public_only=True)
def agent_only_terms(article: Article, ctx: Context) -> Iterator[Hit]:
    """Agent-only terms in public text: internal tools, channels, files and hosts.

    **What it does**: looks for the terms in `compliance.agent_only_terms` (for example Zendesk,
    Jira, `#incident-channel`, `customer_analytics.csv`) in public pages, outside `!!! internal`
    blocks.

    **Why it matters**: customers cannot open our ticketing tool or Slack channels; naming them is
    confusing at best and tells outsiders how we work inside.

    **Example**: "We track this in Jira" -> "We track this and email you when it's fixed", or move
    the sentence into a `!!! internal "Agent note"` block.
    """
    terms = tuple(t for t in ctx.config.compliance.agent_only_terms if t.strip())
    if not terms:
        return
    pattern = _terms_pattern(terms)
    for line, text in numbered_lines(article, public=True):
        for match in pattern.finditer(text):
            yield Hit(line, f"agent-only term '{match.group(0)}' in public text", match.start() + 1)


# --- KB305 sensitive pages -------------------------------------------------------------------


@rule("KB305", "compliance-review", Severity.ERROR)
def compliance_review(article: Article, ctx: Context) -> Iterator[Hit]:
    """A sensitive page without a current compliance review.

    **What it does**: a page in a category listed in `compliance.sensitive_categories` (security)
    or with a tag in `compliance.sensitive_tags` (security, privacy, legal, refunds) needs
    `compliance_review: {reviewer, date}`, and the review date must not be before the page's last
    change (`last_changed`, else `last_reviewed`).

    **Why it matters**: the knowledge-base procedure requires a compliance check of security,
    privacy, legal and refund content before it is published, and again after each change.

    **Example**: add `compliance_review: {reviewer: Priya Nair, date: 2026-10-02}` after the
    review.
    """
    opts = ctx.config.compliance
    tags = {str(t) for t in article.meta.get("tags") or ()}
    reasons = []
    if article.category in opts.sensitive_categories:
        reasons.append(f"category '{article.category}'")
    reasons += [f"tag '{t}'" for t in sorted(tags & set(opts.sensitive_tags))]
    if not reasons:
        return
    review = article.meta.get("compliance_review")
    changed_field = "last_changed" if article.meta.get("last_changed") else "last_reviewed"
    changed = as_date(article.meta.get(changed_field))
    if not isinstance(review, Mapping) or not review.get("reviewer") or not review.get("date"):
        yield Hit(
            article.field_line("category" if reasons[0].startswith("category") else "tags"),
            f"sensitive page ({', '.join(reasons)}) needs compliance_review: {{reviewer, date}}",
        )
    elif (reviewed := as_date(review.get("date"))) and changed and reviewed < changed:
        yield Hit(
            article.field_line("compliance_review"),
            f"compliance review {reviewed} is older than the page's {changed_field} {changed}: "
            "review it again",
        )


# --- KB307 images ---------------------------------------------------------------------------


@rule("KB307", "image-alt-text", Severity.ERROR)
def image_alt_text(article: Article, ctx: Context) -> Iterator[Hit]:
    """An image without alt text (Markdown `![](...)` or HTML `<img>`).

    **What it does**: every image needs a description of what it shows: the text in the brackets
    of `![...](...)`, or an `alt="..."` attribute on `<img>`.

    **Why it matters**: screen readers read the alt text aloud, and it shows when the image does
    not load; a screenshot without it leaves those readers without the step.

    **Example**: `![](../images/export.png)` ->
    `![The Export button in the Reports toolbar](../images/export.png)`
    """
    lines = article.lines
    for tok in article.tokens:
        if tok.type == "inline" and tok.map:
            # Images come in order: each is looked for from where the last one was found.
            line, column = tok.map[0], 0
            for child in tok.children or ():
                if child.type != "image":
                    continue
                src = str(child.attrGet("src") or "")
                line, column = _next(lines, line, column, min(tok.map[1] - 1, line + 40), src)
                if not child.content.strip():
                    yield Hit(article.body_line + line, f"image '{src}' has no alt text")
    for number, column, element in article_elements(article):
        if (
            element is not None
            and str(element.tag).lower() == "img"
            and not str(element.get("alt") or "").strip()
        ):
            yield Hit(
                article.body_line + number - 1,
                '<img> has no alt text: add alt="what the image shows"',
                column,
            )


def _next(lines: tuple[str, ...], line: int, column: int, last: int, needle: str) -> tuple[int, int]:
    """(line, column) of the next `needle` from (line, column) up to line `last`; where it started
    when it is not there (markdown-it normalises some targets)."""
    for n in range(line, min(last, len(lines) - 1) + 1):
        at = lines[n].find(needle, column if n == line else 0) if needle else -1
        if at != -1:
            return n, at + len(needle)
    return line, column


# --- KB308 promises --------------------------------------------------------------------------


@cache
def _promise_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def _negation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A negation among the last three words of a sentence's start ("Microsoft cannot ")."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) if w.startswith("n'") else rf"\b{re.escape(w)}" for w in words)
    return re.compile(rf"(?:{alternatives})\b(?:\W+\w+){{0,2}}\W*$", re.IGNORECASE)


# Where the sentence a match is in starts: after the last full stop, question or exclamation mark.
_SENTENCE_START = re.compile(r".*[.!?]\s", re.DOTALL)


def negated(text: str, start: int, negations: re.Pattern[str]) -> bool:
    """Whether the words just before `start` in `text` (at most three, in its sentence) negate
    what follows."""
    before = text[max(0, start - 80) : start]
    opening = _SENTENCE_START.match(before)
    return negations.search(before[opening.end() :] if opening else before) is not None


@rule("KB308", "promises", Severity.WARNING, version=2)
def promises(article: Article, ctx: Context) -> Iterator[Hit]:
    """A promise support cannot keep ("we guarantee", "100% uptime", "never happens again").

    **What it does**: looks for the phrases in `data/promises.yml` (per language) and the extra
    phrases in `style.promises` or `compliance.promises`, in the writer's own prose on every page
    type (text quoted from the product, such as a message in a block quote, is left out). A
    promise is made in our voice or about what the reader gets: how the product behaves ("the
    tab is always available", "this setting guarantees unique keys") is not one, and neither is
    a phrase the words just before it negate ("Microsoft cannot guarantee", "may not be 100%
    accurate").

    **Why it matters**: the playbooks say "don't make promises you can't keep": a guarantee in a
    help article is quoted back in the next complaint, and may be read as a contract term.

    **Example**: "We guarantee the error never happens again." -> "This prevents the most
    common cause of the error."
    """
    data = load("promises")
    lang = ctx.config.language_of(article).base
    extra = [*ctx.config.style.promises, *ctx.config.compliance.promises]
    patterns = [*(data.get(lang) or ())]
    patterns += [rf"(?<!\w){re.escape(str(p))}(?!\w)" for p in extra]
    if not patterns:
        return
    pattern = _promise_pattern(tuple(patterns))
    negations = _negation(tuple(str(w) for w in (data.get("negations") or {}).get(lang) or ()))
    for p, match in prose_search(article, pattern):
        if negations is not None and negated(p.text, match.start(), negations):
            continue
        line, column = locate(article, p, match.group(0))
        yield Hit(line, f"'{match.group(0)}' promises what support may not be able to keep", column)
