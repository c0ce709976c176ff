"""KB3xx beyond the fixtures: configured lists, detectors, and HTML edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import ConfigError
from generator.rules.credentials import (
    KEYWORD_DENYLIST,
    _candidate,
    _keywords,
    _scan,
    credentials_in,
)
from generator.rules.privacy import luhn
from tests.conftest import Project, article_text

TROUBLE = "Ask your workspace administrator to give you permission."


def with_text(extra: str, **fields: object) -> str:
    return article_text(**fields).replace(TROUBLE, extra)


@pytest.mark.parametrize(
    ("text", "configured"),
    [
        (
            "Call +44 20 7946 0958 or write to help@partner.io.",
            'allowed_contacts: ["+44 20 7946 0958", help@partner.io]',
        ),
        (
            "Sign in as user@acme-demo.io, then as sam.lee@mail.Acme-Demo.io.",
            'allowed_contacts: ["+1-800-555-0100"]\n  example_domains: [acme-demo.io]',
        ),
    ],
    ids=["allowed_contacts", "example_domains"],
)
def test_contacts_and_example_domains_are_configurable(project: Project, text: str, configured: str) -> None:
    project.write("a.md", with_text(text))
    assert len(project.messages("KB301")) == 2
    project.replace_in_config('allowed_contacts: ["+1-800-555-0100"]', configured)
    assert project.messages("KB301") == []


def test_identifier_patterns_are_configurable(project: Project) -> None:
    project.write("a.md", with_text("Order ORD-99812 shows this."))
    assert project.messages("KB301") == []
    patterns = "  identifier_patterns: {order number: '\\bORD-\\d{5}\\b'}\n"
    project.replace_in_config("  agent_only_terms:", patterns + "  agent_only_terms:")
    assert project.messages("KB301") == ["order number 'ORD-99812' in a public page"]


def test_invalid_identifier_pattern_is_a_config_error(project: Project) -> None:
    patterns = "  identifier_patterns: {broken: '(unclosed'}\n"
    project.replace_in_config("  agent_only_terms:", patterns + "  agent_only_terms:")
    with pytest.raises(ConfigError, match="broken"):
        project.config()


@pytest.mark.parametrize(
    "text",
    [
        "Update to 10.2.19041.1234 from 2026-11-23 at 192.168.100.100 (log 2010-01-25 16:00).",
        "The value shows a very old date, such as **01-01-1601 00:00:00**.",
        "The bytes read *8C FE 01 50 04 83 83 C9*; transposed, *C8 EF 10 05 40 38 38 9C*.",
        "The encoded field is `00 11 22 33 44 55 66 77`.",
    ],
    ids=["versions, dates and IPs", "date and time", "hex bytes", "byte pairs"],
)
def test_numbers_that_are_not_phone_numbers(project: Project, text: str) -> None:
    project.write("a.md", with_text(text))
    assert project.messages("KB301") == []


@pytest.mark.parametrize(
    "text",
    [
        "Call our reseller on 01 50 04 83 83 for a quote.",
        "Call 555-123-4567 after 10:00 in the morning.",
        "Call 01-50-04-83-83 for help.",
    ],
)
def test_phone_numbers_beside_times_and_pairs_are_still_found(project: Project, text: str) -> None:
    project.write("a.md", with_text(text))
    assert len(project.messages("KB301")) == 1


def test_luhn() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")


@pytest.mark.parametrize(
    "line",
    [
        'stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"',
        "AWS_ACCESS_KEY_ID=AKIAZ7Q3R5T2K9LMNB4X",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "https://admin:s3cr3tpass@db.internal.dataflow.com/",
        "https://bob:hunter22@db.acme.io",
        "The passcode is 8812abcd for now.",
        'client_key: "a3f9c2e81b"',
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "https://hooks.slack.com/services/T0001/B0001/abc",
    ],
)
def test_credentials_found(line: str) -> None:
    assert credentials_in(line)


def _lines() -> list[str]:
    root = Path(__file__).resolve().parents[2]
    files = [*root.glob("kb_source/**/*.md"), *root.glob("tests/fixtures/rules/KB3*/*.md")]
    shapes = [
        f"{word} {sep} {quote}{value}{quote}"
        for word in ("api_key", "password", "secret", "db_pass", "contraseña")
        for sep in (":", "=", "==", "=>")
        for quote in ('"', "'", "`")
        for value in ("a3f9c2e81b", "Zx81kQp2", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    ]
    return [*shapes, *(line for f in files for line in f.read_text(encoding="utf-8").splitlines())]


def test_lines_skipped_by_the_prefilter_hold_nothing_the_detectors_find() -> None:
    """The prefilter only saves time: on every line it skips, a full scan finds nothing."""
    lines = _lines()
    assert len(lines) > 2000
    missed = [line for line in lines if not _candidate(line) and _scan(line, "article.md")]
    assert missed == []
    assert any(_scan(line, "article.md") for line in lines)  # the scan itself finds something


@pytest.mark.parametrize(
    "line",
    [
        "Authorization: Bearer YOUR_API_KEY",
        'api_key = "YOUR_API_KEY"',
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "Type your new password twice and select **Save**.",
        "Your password must be at least 8 characters.",
        "token: <your-token>",
    ],
)
def test_placeholders_and_prose_pass(line: str) -> None:
    assert credentials_in(line) == []


def test_agent_only_terms_are_configurable(project: Project) -> None:
    project.write("a.md", with_text("We track this in Linear."))
    assert project.messages("KB304") == []
    project.replace_in_config("agent_only_terms: [Zendesk,", "agent_only_terms: [Linear, Zendesk,")
    assert project.messages("KB304") == ["agent-only term 'Linear' in public text"]


def test_sensitive_lists_are_configurable(project: Project) -> None:
    project.write("a.md", article_text(category="billing", tags="[invoices]"))
    assert project.messages("KB305") == []
    project.replace_in_config("sensitive_tags: [security,", "sensitive_tags: [invoices, security,")
    assert project.messages("KB305")
    project.replace_in_config("sensitive_categories: [security]", "sensitive_categories: [billing]")
    project.replace_in_config("sensitive_tags: [invoices, security,", "sensitive_tags: [security,")
    assert project.messages("KB305")


def test_internal_pages_skip_public_only_rules_but_not_credentials(project: Project) -> None:
    text = with_text("Ticket 48213 in Zendesk used sk_live_4eC39HqLyjWDarjtT1zdp7dc.", audience="internal")
    project.write("a.md", text)
    codes = {f.rule for f in project.check().findings}
    assert "KB302" in codes and not codes & {"KB301", "KB303", "KB304"}


def test_unsafe_html_in_multiline_tag(project: Project) -> None:
    project.write("a.md", with_text('<div\n  onmouseover="steal()">Hover</div>'))
    assert project.messages("KB306") == [
        "unsafe HTML: the event handler onmouseover= on <div> is not allowed in articles"
    ]


def test_credential_words_are_detect_secrets_own_as_plain_text() -> None:
    """The prefilter looks for the keyword detector's words as plain text, not as patterns."""
    from detect_secrets.plugins.keyword import DENYLIST

    assert KEYWORD_DENYLIST == DENYLIST
    words = _keywords()
    assert "api_key" in words and "apikey" in words and "password" in words
    assert all(re.escape(w) == w for w in words if w.isascii())


def test_unsafe_html_reported_where_its_tag_starts(project: Project) -> None:
    project.write("a.md", with_text('Text.\n\n<div\n  class="x"\n  onmouseover="steal()">Hover</div>'))
    result = project.check()
    lines = [f.line for f in result.findings if f.rule == "KB306"]
    start = next(
        n for n, line in enumerate((project.source / "a.md").read_text().split("\n"), 1) if line == "<div"
    )
    assert lines == [start]


@pytest.mark.parametrize(
    "html",
    [
        "<svg/onload=alert(1)>",
        "<details/open/ontoggle=alert(1)>x</details>",
        '<a href="java&#115;cript:alert(1)">x</a>',
        '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
        '<a href=" jav\tascript:alert(1)">x</a>',
        "<img src=x<y onerror=alert(1)>",
        '<IMG SRC="x" ONERROR="alert(1)">',
        "[Chat](javascript:openChat())",
        "[Chat](java&#115;cript:openChat())",
        'A paragraph.\n{: onclick="alert(1)" }',
        "## Heading {onmouseover=alert(1)}",
        '[x](https://example.com){: onclick="alert({})" }',
        "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    ],
)
def test_unsafe_html_as_the_browser_reads_it(project: Project, html: str) -> None:
    project.write("a.md", with_text(html))
    assert project.messages("KB306"), html


def test_unsafe_html_in_code_is_an_example(project: Project) -> None:
    project.write("a.md", with_text("Write `<script>` in code, or:\n\n```html\n<img onerror=x>\n```"))
    assert project.messages("KB306") == []


@pytest.mark.parametrize(
    "keywords", ["[refund-playbook]", "[refunds, refund-playbook steps]", "[Refund-Playbook]"]
)
def test_a_keyword_naming_an_internal_page(project: Project, keywords: str) -> None:
    project.write("a.md", article_text(keywords=keywords))
    messages = project.messages("KB303")
    assert len(messages) == 1 and "internal page 'refund-playbook'" in messages[0]


def test_a_keyword_naming_a_public_page_is_fine(project: Project) -> None:
    project.write("a.md", article_text(keywords="[sign-in, export-data, refund playbook]"))
    assert project.messages("KB303") == []


# --- KB302 in linear time: its own keyword search, heuristic and windows (issue 15) -------------


def _keyword_lines() -> list[str]:
    """Real lines, and lines of credential words run together as pasted text has them: the ones
    `_one_keyword_a_word` changes."""
    import random

    made = [
        'secretsecret = "Zx81kQp2"',
        'password = "secretsecret9"',
        "my_passwordSECRET: 'a3f9c2e81b'",
        "secretsecretsecret 'v1b2c3d4';",
        '"Zx81kQp2" == SECRETsecret',
        '"Zx81kQp2" == DB_password',
        "db_passwordsecret => `hunter2abc`",
        "contraseñacontraseña = 'Zx81kQp2'",
        "'" + "secret" * 50 + "' == x",
    ]
    pieces = [
        "secret", "SECRET", "password", "Password", "api_key", "db_pass", "pwd", "contraseña", "x",
        "_id", " = ", ":", " == ", " => ", " ", "(", ".assign(", "'Zx81kQp2'", '"a3f9c2e81b"', ";",
        "`hunter2abc`", '"secretsecret9"', "'", '"', "a1b2",
    ]  # fmt: skip
    rng = random.Random(15)
    fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(4000)]
    return [*made, *fuzz, *_lines()]


def test_the_keyword_search_finds_what_detect_secrets_finds() -> None:
    """KB302 searches with detect-secrets' keyword patterns itself, one credential word a word,
    so that a run of them takes linear time: it must find what the detector finds, value for
    value, on every line."""
    from detect_secrets.plugins.keyword import KeywordDetector

    from generator.rules.credentials import _keyword_values, _one_keyword_a_word

    detector = KeywordDetector()
    lines = _keyword_lines()
    ours = [set(_keyword_values(line)) for line in lines]
    found = (detector.analyze_line(filename="article.md", line=line) for line in lines)
    theirs = [{str(s.secret_value) for s in secrets} for secrets in found]
    assert ours == theirs
    changed = [i for i, line in enumerate(lines) if _one_keyword_a_word(line) != line]
    assert len(changed) > 500 and sum(bool(theirs[i]) for i in changed) > 100  # the runs are read


def test_the_indirect_reference_heuristic_is_detect_secrets_own() -> None:
    import random

    from detect_secrets.filters.heuristic import is_indirect_reference

    from generator.rules.credentials import _indirect_reference

    pieces = [" ", "  ", "\t", "=", "==", ":", ":=", "!", "!=", "a", "key", "get.x", "-", "[", "(", "]", ")"]
    pieces += ["\v", "'k'", "f(", "k[", "get.x("]
    rng = random.Random(15)
    fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    lines = [*fuzz, *_lines(), "x = f()" + " " * 993, "x = f()" + " " * 994]
    ours = [_indirect_reference(line) for line in lines]
    assert ours == [is_indirect_reference(line) for line in lines]
    assert sum(ours) > 300 and sum(ours[i] and "\v" in line for i, line in enumerate(lines)) > 30


def test_a_long_line_is_scanned_in_windows_that_own_all_of_it() -> None:
    from generator.rules.credentials import _CONTEXT, _CORE, _LONG, _windows

    assert list(_windows(_LONG)) == [(0, _LONG, 0, _LONG)]  # real lines: scanned whole, as before
    length = 5 * _CORE + 7
    windows = list(_windows(length))
    assert [own for _, _, own, _ in windows] == list(range(0, length, _CORE))
    assert all(to - own == _CORE for _, _, own, to in windows) and windows[-1][3] >= length
    for start, end, own, to in windows:
        assert (start, end) == (max(0, own - _CONTEXT), min(length, to + _CONTEXT))


def _long_line_with(value: str, at: int, length: int = 12_000) -> str:
    filler = ("Select the page and save it. " * (length // 20))[:length]
    return f"{filler[:at]} {value} {filler[at:]}"


@pytest.mark.parametrize(
    "value", ["AKIAZ7Q3R5T2K9LMNB4X", "https://bob:hunter22@db.acme.io", "api_key = 'Zx81kQp2'"]
)
def test_a_credential_on_a_long_line_is_found_once_where_it_is(value: str) -> None:
    """Wherever a window boundary falls (in its own part, its context, across either), a
    credential on a long line is found once, whole, at its column."""
    from generator.rules.credentials import _CONTEXT, _CORE, _credentials

    for edge in (_CORE, 2 * _CORE, _CORE + _CONTEXT, 2 * _CORE - _CONTEXT):
        for at in range(edge - len(value) - 2, edge + 3):
            line = _long_line_with(value, at)
            found = [(index, text) for index, _, text in _credentials(line, "article.md")]
            token = value.split("'")[1] if "'" in value else value
            assert found in ([(line.index(token), token)], [(at + 1, value)]), (edge, at, found)
            assert len(found) == 1


def test_a_credential_repeated_along_a_long_line_is_found_once_and_whole() -> None:
    url = "https://admin:s3cr3tpass@db.internal.dataflow.com"
    line = " and ".join([f"see {url}/ now"] * 400)  # about 26,000 characters: one cut at every window end
    assert credentials_in(line) == [("credentials in a URL", url)]


def test_a_digest_of_a_challenge_is_no_credential_but_the_same_value_as_a_token_is() -> None:
    digest = "d273a9ff5d8c43edec26a19af80f9dcd383ad509b385292d60f0c5685b5151e6"
    assert not credentials_in(f'Authentication-Info: TLS-DSK qop="auth", rspauth="{digest}"')
    assert credentials_in(f'token = "{digest}"')
