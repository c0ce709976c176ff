"""The synonyms and symptoms the index step adds to pages, and the vocabulary typos are corrected
against (generator/pipeline/index/terms.py), on small pages written here."""

from __future__ import annotations

import json
from pathlib import Path

from generator.pipeline.index.terms import (
    TERMS_FILE,
    Group,
    Terms,
    add_terms,
    fold,
    read_terms,
    write_vocabulary,
)

PAGE = """<html><body><nav>Billing</nav>
<article data-pagefind-body><h1>{title}</h1>
<p data-pagefind-meta="summary">{summary}</p><p>{body}</p></article></body></html>"""


def _site(tmp_path: Path, pages: dict[str, tuple[str, str, str]], terms: dict) -> Path:
    for name, (title, summary, body) in pages.items():
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / name / "index.html").write_text(
            PAGE.format(title=title, summary=summary, body=body), "utf-8"
        )
    (tmp_path / TERMS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / TERMS_FILE).write_text(json.dumps(terms, ensure_ascii=False), "utf-8")
    return tmp_path


def _added(page: Path) -> str:
    text = page.read_text("utf-8")
    start = text.find('class="kb-search-synonyms"')
    return "" if start < 0 else text[text.index(">", start) + 1 : text.index("</p>", start)]


def test_a_page_whose_lead_holds_a_phrase_gets_the_rest_of_its_group(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "double-charge": ("Why do I see two charges?", "You were charged twice for one month.", "x"),
            "refund": ("How do I get a refund?", "Ask within 30 days.", "charged twice in the body only"),
        },
        {"synonyms": [["charged twice", "billed twice", "double charge"]], "symptoms": []},
    )
    add_terms(site, read_terms(site))
    assert _added(site / "double-charge" / "index.html") == "billed twice · double charge"
    # The lead (title, summary, headings) decides, not the body: a passing mention adds nothing.
    assert _added(site / "refund" / "index.html") == ""


def test_symptoms_add_what_customers_type_and_a_second_run_does_not_add_twice(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {"db-2002": ("DB-2002: Service unavailable", "Dashboards do not load.", "")},
        {
            "synonyms": [],
            "symptoms": [
                {"query": ["dashboards are down", "site is down"], "matches": ["service unavailable"]}
            ],
        },
    )
    terms = read_terms(site)
    add_terms(site, terms)
    once = (site / "db-2002" / "index.html").read_text("utf-8")
    add_terms(site, terms)
    assert (site / "db-2002" / "index.html").read_text("utf-8") == once
    assert _added(site / "db-2002" / "index.html") == "dashboards are down · site is down"
    assert once.count("kb-search-synonyms") == 1
    assert 'hidden aria-hidden="true"' in once  # searchable, never shown


def test_plural_and_verb_endings_match_whole_words_only(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "a": ("Charges on your card", "", ""),
            "b": ("Recharge your balance", "", ""),
        },
        {"synonyms": [["charge", "payment"]], "symptoms": []},
    )
    add_terms(site, read_terms(site))
    assert _added(site / "a" / "index.html") == "payment"  # "charges" holds "charge"
    assert _added(site / "b" / "index.html") == ""  # "recharge" does not


def test_chinese_phrases_match_inside_text_without_spaces(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {"logout": ("App 为什么总是自动退出登录？", "", "")},
        {"synonyms": [["退出登录", "登出", "掉线"]], "symptoms": []},
    )
    add_terms(site, read_terms(site))
    assert _added(site / "logout" / "index.html") == "登出 · 掉线"


def test_no_terms_file_adds_nothing_and_the_page_is_not_rewritten(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "index.html"
    page.write_text(PAGE.format(title="Refunds", summary="", body=""), "utf-8")
    before = page.stat().st_mtime_ns
    leads = add_terms(tmp_path, read_terms(tmp_path))
    assert read_terms(tmp_path) == Terms()
    assert page.stat().st_mtime_ns == before
    assert [lead.text for lead in leads] == ["refunds"]


def test_vocabulary_is_sharded_by_first_letter_most_common_first(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "a": ("Reset your password", "", ""),
            "b": ("Password rules", "", ""),
            "c": ("Refund", "", ""),
        },
        {"synonyms": [], "symptoms": []},
    )
    leads = add_terms(site, read_terms(site))
    bundle = tmp_path / "pagefind"
    write_vocabulary(bundle, leads)
    words_p = json.loads((bundle / "kb-words" / "p.json").read_text("utf-8"))
    words_r = json.loads((bundle / "kb-words" / "r.json").read_text("utf-8"))
    assert words_p[0] == "password"
    assert set(words_r) == {"reset", "rules", "refund"}
    assert "your" in json.loads((bundle / "kb-words" / "y.json").read_text("utf-8"))


def test_fold_is_the_query_code_s_folding() -> None:
    assert fold("  Olvidé  MI contraseña ") == "olvide mi contrasena"
    assert fold("Can\u2019t") == "can't"
    assert Group(("a",), ("A",)).adds == ("A",)
