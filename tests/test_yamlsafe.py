"""generator/yamlsafe.py: strict, safe YAML for front matter and configuration."""

from __future__ import annotations

import pytest

from generator.yamlsafe import YamlError, load_yaml


def test_plain_mapping_with_implicit_types() -> None:
    data = load_yaml("a: 1\nb: true\nc: null\nd: 1.5\ne: [x, y]\nf: {g: h}\n")
    assert data == {"a": 1, "b": True, "c": None, "d": 1.5, "e": ["x", "y"], "f": {"g": "h"}}


@pytest.mark.parametrize("value", ["2026-11-23", "2026-02-30", "2026-11-23 10:00:00"])
def test_dates_stay_strings(value: str) -> None:
    assert load_yaml(f"d: {value}\n") == {"d": value}


@pytest.mark.parametrize("word", ["off", "on", "yes", "no", "y", "n", "Off", "NO"])
def test_yaml_1_1_booleans_stay_words(word: str) -> None:
    assert load_yaml(f"KB109: {word}\nlang: {word}\n") == {"KB109": word, "lang": word}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("False", False), ("TRUE", True)])
def test_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert load_yaml(f"a: {word}\n") == {"a": value}


def test_empty_document_is_none() -> None:
    assert load_yaml("") is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &x 1\nb: *x\n", 1),
        ("a: 1\nb: &anchor [1, 2]\n", 2),
        ("a: 1\nb: 2\nc: *undefined\n", 3),
        ("base: &b {x: 1}\nuse:\n  <<: *b\n", 1),
    ],
)
def test_anchors_and_aliases_refused(text: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.line == line
    assert "anchors and aliases" in info.value.message


def test_billion_laughs_is_refused_before_it_is_built() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 30)]
    with pytest.raises(YamlError) as info:
        load_yaml("\n".join(lines))
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # Said where the writer opened what is never closed, with the fix.
        ("a: [1, 2\n", 1, "never closed: end it with ]"),
        ("a: 1\nb: c: d\n", 2, 'put the value in quotes: b: "c: d"'),
        ("a: 1\n\tb: 2\n", 2, ""),
        ("a: 1\na: 2\n", 2, "field 'a' is written twice"),
        ("outer:\n  x: 1\n  x: 2\n", 3, "field 'x' is written twice"),
        ('a: "unclosed\n', 1, "the \" that opens the value of 'a' is never closed"),
        ("a: !!python/object:os.system x\n", 1, ""),
        # A control character: the reader refuses it before there is any syntax to mark.
        ("a: 1\nb: x\x07y\n", 2, "U+0007"),
        ("a: 操作操作操作操作\nb: 操作\nc: x\x07y\n", 3, "U+0007"),  # its position counts bytes
        ("a: R&D\nb: x\x07y\n", 2, "U+0007"),  # found by the alias scan, which read it first
    ],
)
def test_invalid_yaml_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.line == line
    assert words in info.value.message
    assert str(info.value).startswith(f"line {line}: ")


def test_text_that_only_looks_like_an_alias_is_fine() -> None:
    assert load_yaml('title: "R&D * reports"\nnote: a & b\n') == {"title": "R&D * reports", "note": "a & b"}
