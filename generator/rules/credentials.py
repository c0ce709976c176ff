"""KB302: credentials in any page: API keys, tokens, private keys, passwords, found with
detect-secrets' detectors (made linear in a line's length here) and data/secrets.yml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from generator.model import Article, Hit, Severity
from generator.rules.base import Context, rule
from generator.rules.compliance import numbered_lines
from generator.rules.wordlists import load


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
def _shapes() -> tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]:
    """Each shape, with what every match of it holds when data/secrets.yml says (`needs`: searched
    first, as it is quicker; a scheme's `://` is on most pages, its password and `@` are not)."""
    needs = load("secrets").get("needs") or {}
    own = [
        (re.sub(r"^(\(\?[a-zA-Z]+\))?\\b", r"\1", p.pattern), needs.get(name)) for name, p in _own_patterns()
    ]
    shapes = [*((shape, None) for shape in _DETECTOR_SHAPES), *own]
    return tuple((re.compile(p), re.compile(str(n)) if n else None) for p, n in shapes)


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


def _candidate(text: str) -> bool:
    """Whether `text` (a line, or a whole body: the test is the same) may hold a credential."""
    if any((needs is None or needs.search(text)) and p.search(text) for p, needs in _shapes()):
        return True
    low = text.lower()
    # Literal searches first: what the two patterns look for, found faster by `in` (the keywords'
    # alternation took a third of KB302's time on pages with quotes, most pages).
    slack = ("xox" in low or "hooks.slack" in low) and _LOWER_SHAPES.search(low)
    return bool(slack or (_QUOTES.search(text) and any(w in low for w in _keywords())))


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
                    at = window.find(token)
                    if not (kind in _ENTROPY and _one_time().search(window, max(0, at - 40), max(0, at))):
                        values.append((kind, token, at))
        for kind, value, at in values:
            if owned_from <= start + at < owned_to:
                found.setdefault(value, (start + window.find(value), kind))
    return [
        (at, kind, value)
        for value, (at, kind) in found.items()
        if not any(p.search(value) for p in _placeholders())
    ]


_ENTROPY = frozenset({"Hex High Entropy String", "Base64 High Entropy String"})


@cache
def _one_time() -> re.Pattern[str]:
    """A field of data/secrets.yml's `one_time_fields` and its `=`, just before a value."""
    names = "|".join(re.escape(str(n)) for n in load("secrets")["one_time_fields"])
    return re.compile(rf"(?i)\b(?:{names})\s*=\s*[\"']?$")


def credentials_in(line: str, path: str = "article.md") -> list[tuple[str, str]]:
    """(kind, value) of each credential on a line; placeholders such as YOUR_API_KEY excluded."""
    return [(kind, value) for _, kind, value in _credentials(line, path)]


def _scan(line: str, path: str) -> list[tuple[str, str]]:
    """credentials_in without the prefilter: what every detector finds."""
    return [(kind, value) for _, kind, value in _credentials(line, path, prefilter=False)]


@rule("KB302", "credentials", Severity.ERROR, version=3)
def credentials(article: Article, ctx: Context) -> Iterator[Hit]:
    """Credentials in text: API keys, tokens, private keys, passwords.

    **What it does**: scans every line (code samples and agent-only blocks included; internal pages
    too) with detect-secrets' AWS, private key, GitHub, Slack, Stripe, JWT, keyword and
    high-entropy detectors, plus the key shapes in `data/secrets.yml`. Placeholders such as
    `YOUR_API_KEY`, `<token>` or `sk_live_xxxx` pass, and so do a quoted setting whose value is
    no secret (`"BigFunnelDelayItemSizeThreshold=75497472"`) and the one-time digest or nonce of
    a challenge in a SIP or HTTP trace (`rspauth="d273a9ff…"`).

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
