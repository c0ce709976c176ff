"""generator.pymd.contacts: support addresses and numbers in article text become links, as the
renderer reads the page (Python-Markdown with the site's extensions)."""

from __future__ import annotations

import markdown

from generator.pymd.contacts import hrefs

EMAILS = ["support@dataflow.com", "billing@dataflow.com"]
PHONES = ["+1-800-555-1234"]


def render(text: str, emails: list[str] = EMAILS, phones: list[str] = PHONES) -> str:
    md = markdown.Markdown(
        extensions=["generator.pymd.contacts", "tables"],
        extension_configs={"generator.pymd.contacts": {"emails": emails, "phones": phones}},
    )
    return md.convert(text)


def test_addresses_and_numbers_in_text_become_links() -> None:
    html = render("Write to support@dataflow.com or call +1-800-555-1234, or billing@dataflow.com.")
    assert '<a href="mailto:support@dataflow.com">support@dataflow.com</a>' in html
    assert '<a href="tel:+18005551234">+1-800-555-1234</a>' in html
    assert '<a href="mailto:billing@dataflow.com">billing@dataflow.com</a>.' in html


def test_links_code_and_longer_addresses_are_left_alone() -> None:
    html = render(
        "[Mail us](mailto:support@dataflow.com) about `support@dataflow.com`, not "
        "old-support@dataflow.com or support@dataflow.com.au.\n\n    support@dataflow.com\n"
    )
    assert html.count("<a ") == 1
    assert "<code>support@dataflow.com</code>" in html
    assert "old-support@dataflow.com or support@dataflow.com.au" in html


def test_in_nested_inline_markup_and_tables() -> None:
    html = render("| Ask | Where |\n| --- | --- |\n| Billing | **billing@dataflow.com** |\n")
    assert '<strong><a href="mailto:billing@dataflow.com">billing@dataflow.com</a></strong>' in html


def test_only_plain_addresses_and_numbers_are_linkable() -> None:
    assert hrefs(["javascript:alert(1)//@x.com", "a@b.co"], ["tel:1", "12 34", "+44 20 7946 0000"]) == {
        "a@b.co": "mailto:a@b.co",
        "+44 20 7946 0000": "tel:+442079460000",
    }
    assert "<a" not in render("Nothing here: support at dataflow dot com.", emails=[], phones=[])
