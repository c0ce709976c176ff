"""rules/credentials.py: KB302's prefilter searches a shape only where what its matches hold
(data/secrets.yml `needs`) is, and the literal searches find what the patterns found."""

from __future__ import annotations

import re

from generator.rules import credentials
from tests.rules.test_compliance import _keyword_lines
from tests.test_checker_real_articles import CORPORA

URLS = [
    "Connect to https://admin:Pa55word@db.contoso.com/orders",
    "ftp://user:secret1@files.example.net and sftp://u:abcd@h",
    "https://learn.microsoft.com/a:b@c",  # no password of four before the @
    "Use postgres://svc:hunter22@10.0.0.5:5432/app or xoxb-1234 or hooks.slack.com/x",
]
TEXTS = [
    *URLS,
    *_keyword_lines(),
    *(line for path in sorted(CORPORA.rglob("*.md")) for line in path.read_text("utf-8").splitlines()),
]


def test_each_shape_needs_what_its_matches_hold() -> None:
    guarded = [(p, needs) for p, needs in credentials._shapes() if needs is not None]
    assert guarded
    for pattern, needs in guarded:
        matched = [text for text in TEXTS if pattern.search(text)]
        assert matched, pattern.pattern
        assert [t for t in matched if not needs.search(t)] == [], pattern.pattern


def test_the_prefilter_reads_as_the_plain_searches() -> None:
    """The prefilter as it was before its quicker searches: every shape, the Slack pattern and
    the keywords' alternation."""
    slack = re.compile(r"xox[a-z]-|hooks\.slack")
    keywords = re.compile("|".join(re.escape(w) for w in credentials._keywords()))

    def plain(text: str) -> bool:
        if any(p.search(text) for p, _ in credentials._shapes()):
            return True
        low = text.lower()
        return bool(slack.search(low) or (re.search(r"['\"`]", text) and keywords.search(low)))

    assert [credentials._candidate(t) for t in TEXTS] == [plain(t) for t in TEXTS]
    assert sum(map(credentials._candidate, URLS)) == 3
