"""The pure parts of kb-search-query.js (the theme's query understanding, which the search boxes
and `kb report search` share), run in the Node.js the index step uses."""

from __future__ import annotations

import json
import subprocess

import pytest

from generator.pipeline.index import _node
from generator.pipeline.index.relaxed import CORE
from generator.resources import theme_dir

_RUN = """
import { readFile } from "node:fs/promises";
const source = await readFile(process.argv[1], "utf8");
const core = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
const calls = JSON.parse(process.argv[2]);
const out = calls.map(([name, ...args]) => core[name](...args));
process.stdout.write(JSON.stringify(out));
"""


def call(*calls: list) -> list:
    """Each [function name, arguments...] called on the module; their results."""
    proc = subprocess.run(
        [_node(), "--input-type=module", "-e", _RUN, str(theme_dir() / CORE), json.dumps(calls)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("ds1001", "DS-1001"),
        ("Ds_1002 error", "DS-1002 error"),
        ("api 4004", "API-4004"),
        ("can\u2019t  log in", "can't log in"),
    ],
)
def test_error_codes_are_spelt_one_way(typed: str, searched: str) -> None:
    assert call(["normalize", typed]) == [searched]


def test_stop_words_are_marked_per_language_and_codes_are_never_stop_words() -> None:
    en, es, zh = call(
        ["words", "why was I billed DS-1001", "en"],
        ["words", "cómo pido un reembolso", "es"],
        ["words", "密码忘了怎么办", "zh"],
    )
    assert [(w["key"], w["stop"], w["code"]) for w in en] == [
        ("why", True, False), ("was", True, False), ("i", True, False),
        ("billed", False, False), ("ds-1001", False, True),
    ]  # fmt: skip
    assert [w["key"] for w in es if not w["stop"]] == ["pido", "reembolso"]
    assert "怎么" in [w["key"] for w in zh if w["stop"]]  # Intl.Segmenter's words
    assert "密码" in [w["key"] for w in zh if not w["stop"]]


def test_a_typo_is_corrected_to_the_most_common_near_word_and_far_words_are_not() -> None:
    vocabulary = ["password", "passport", "refund", "cancel"]
    assert call(
        ["closest", "pasword", vocabulary],
        ["closest", "cancle", vocabulary],  # two letters swapped: one edit
        ["closest", "november", vocabulary],
        ["closest", "refund", vocabulary],  # a known word needs no correction
    ) == ["password", "cancel", None, None]


def test_marks_find_word_starts_and_merge_overlaps() -> None:
    text = "Reset your password; passwords expire. Repassword no."
    (ranges,) = call(["marks", text, ["password", "reset"]])
    assert [text[a:b] for a, b in ranges] == ["Reset", "password", "passwords"]
    (cjk,) = call(["marks", "如何重置密码？", ["密码"]])
    assert cjk == [[4, 6]]


def test_scrub_keeps_codes_and_drops_addresses_and_long_numbers() -> None:
    (out,) = call(["scrub", "DS-1001 for ana@example.com card 4111 1111 1111 1111 ticket 1234567"])
    assert out == "DS-1001 for [email] card [number] ticket [number]"


def test_expansions_carry_a_chinese_query_into_the_default_language() -> None:
    terms = {"synonyms": [["导出", "批量导出", "export"], ["投诉", "complaint"]], "symptoms": []}
    assert call(["expansions", "怎么导出数据", terms], ["expansions", "refund", terms]) == [
        ["批量导出", "export"],
        [],
    ]
    symptoms = {
        "synonyms": [],
        "symptoms": [{"query": ["dashboards are down"], "matches": ["service unavailable"]}],
    }
    # Whole words: "down" in "download" is not the phrase.
    assert call(
        ["expansions", "all dashboards are down", symptoms],
        ["expansions", "dashboards are download", symptoms],
    ) == [
        ["service unavailable"],
        [],
    ]


def test_page_of_a_url_is_its_last_segment_in_any_language() -> None:
    assert (
        call(["pageOf", "/zh/reset-password/"], ["pageOf", "/reset-password/?q=x#top"])
        == ["reset-password"] * 2
    )
