"""The Content-Security-Policy step (generator/pipeline/render/csp.py): which inline scripts it allows, where
the policy goes, and what it refuses. Strings for the rules, a real kb build for the theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.model import Audience
from generator.pipeline.render import csp
from tests.theme.hostile import build, dom, parse

THEME_SCRIPT = "var theme=1"
ARTICLE = '<article class="md-content__inner md-typeset">'


def page(content: str, head_script: str = THEME_SCRIPT, tail: str = "") -> str:
    """A page shaped like the theme's: head script, header, the marked content, a trailing script."""
    return (
        '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n'
        f"    <script>{head_script}</script>\n"
        '    <script type="application/ld+json">{"name": "x"}</script>\n'
        "  </head>\n  <body>\n    <header><svg><path d='M0'/></svg></header>\n"
        f"    {ARTICLE}<h1>T</h1><!--kb-content {len(content)}-->{content}<!--/kb-content--></article>\n"
        f"    <script>var after=2</script>{tail}\n"
        '    <script id="__config" type="application/json">{}</script>\n'
        '    <script src="assets/bundle.js"></script>\n  </body>\n</html>\n'
    )


def allowed(html: str) -> list[str]:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert match, "no policy"
    return re.findall(r"'sha256-([^']+)'", match.group(1))


def test_only_the_themes_inline_scripts_are_hashed() -> None:
    out = csp.protect_page(page("<p>Hi</p><script>evil()</script><img src=x onerror=evil()>"), wasm=True)
    assert allowed(out) == [csp.script_hash(THEME_SCRIPT), csp.script_hash("var after=2")]
    assert csp.script_hash("evil()") not in allowed(out)


@pytest.mark.parametrize(
    "content",
    [
        # Markup that closes the article (and more) before its script, or opens what swallows the rest.
        "</article></div></main></body><script>evil()</script>",
        "</article><script>evil()</script><article>",
        "<script>evil()</script><!--",
        "<textarea><script>evil()</script>",
        # A forged marker inside the content changes nothing: the real one's length decides.
        "<!--/kb-content--><script>evil()</script><!--kb-content 3-->abc",
        "<svg><script>evil()</script></svg><math><style></style><script>evil()</script></math>",
    ],
)
def test_no_script_from_the_content_is_hashed_wherever_its_markup_leads(content: str) -> None:
    out = csp.protect_page(page(content), wasm=False)
    assert csp.script_hash("evil()") not in allowed(out)
    assert set(allowed(out)) <= {csp.script_hash(THEME_SCRIPT), csp.script_hash("var after=2")}


def test_the_policy_is_first_in_head_and_the_markers_are_removed() -> None:
    content = "<p>Body</p>"
    out = csp.protect_page(page(content), wasm=True)
    head = out.index("<head>") + len("<head>")
    assert out[head:].startswith('<meta http-equiv="Content-Security-Policy" content="script-src ')
    assert "kb-content" not in out
    assert "<h1>T</h1><p>Body</p></article>" in out
    # Nothing but the policy was added.
    policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', out)
    assert policy and out.replace(policy.group(0), "") == page(content).replace(
        f"<!--kb-content {len(content)}-->", ""
    ).replace("<!--/kb-content-->", "")


def test_policy_text() -> None:
    text = csp.policy(["abc="], wasm=True)
    assert text == "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; object-src 'none'; base-uri 'self'"
    assert "unsafe-inline" not in text and "wasm" not in csp.policy([], wasm=False)


def test_json_and_external_scripts_get_no_hash() -> None:
    out = csp.protect_page(page(""), wasm=False)
    assert csp.script_hash('{"name": "x"}') not in allowed(out)
    assert csp.script_hash("{}") not in allowed(out)
    assert len(allowed(out)) == 2


def test_a_hash_is_of_the_exact_script_text_as_the_browser_reads_it() -> None:
    # Line ends are LF once parsed; entities in a script are not decoded.
    out = csp.protect_page(page("", head_script="a('&amp;')\r\nb()"), wasm=False)
    assert allowed(out)[0] == csp.script_hash("a('&amp;')\nb()")
    assert csp.script_hash("a") == "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="  # sha256 of "a", base64


def test_content_not_as_long_as_marked_is_refused() -> None:
    html = page("<p>x</p>").replace("<!--kb-content 8-->", "<!--kb-content 3-->")
    with pytest.raises(csp.CspError, match="not as long as marked"):
        csp.protect_page(html, wasm=False)


def test_a_page_without_markers_is_refused() -> None:
    """A template that printed page.content without kb-page-content.html: its scripts could not be
    told from the theme's, so the build stops (the 404 page, which shows no content, is exempt)."""
    html = page("").replace("<!--kb-content 0-->", "").replace("<!--/kb-content-->", "")
    with pytest.raises(csp.CspError, match="no kb-content markers"):
        csp.protect_page(html, wasm=False)
    assert allowed(csp.protect_page(html, wasm=False, marked=False))


def test_a_file_that_is_not_a_theme_page_gets_the_policy_with_no_hash() -> None:
    attachment = "<!DOCTYPE html><html><head><script>evil()</script></head><body onload=evil()></body></html>"
    out = csp.protect_file(attachment, wasm=False)
    assert out.startswith('<!DOCTYPE html><meta http-equiv="Content-Security-Policy"')
    assert allowed(out) == []
    assert csp.protect_file("<p>no doctype</p>", wasm=False).startswith("<meta http-equiv=")


# -- on a real build -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("csp-public"), Audience.PUBLIC)


def inline_scripts(html: str) -> list[str]:
    return [
        s.text()
        for s in parse(html).find_all("script")
        if "src" not in s.attrs and s.attrs.get("type") not in csp.DATA_TYPES
    ]


@pytest.mark.slow
def test_every_page_of_a_build_allows_exactly_its_theme_scripts(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "kb-content" not in html, path
        head = dom(path).find("head")
        first = next(child for child in head.children if not isinstance(child, str))
        assert first.tag == "meta" and first.attrs.get("http-equiv") == "Content-Security-Policy", path
        policy = first.attrs["content"]
        assert "'unsafe-inline'" not in policy
        assert "object-src 'none'" in policy and "base-uri 'self'" in policy
        assert "'wasm-unsafe-eval'" in policy  # the site is indexed
        scripts = inline_scripts(html)
        assert scripts, path  # Material writes some on every page
        assert sorted(allowed(html)) == sorted({csp.script_hash(s) for s in scripts}), path


@pytest.mark.slow
def test_the_internal_site_allows_the_preview_reload_script(tmp_path: Path) -> None:
    from generator.serve import _RELOAD

    site = build(tmp_path, Audience.INTERNAL)
    reload_hash = csp.script_hash(re.sub(r"</?script>", "", _RELOAD))
    assert reload_hash in allowed((site / "index.html").read_text(encoding="utf-8"))


def test_an_html_file_that_is_no_page_gets_no_hash(tmp_path: Path) -> None:
    """An attachment (files/form.html) is served from the site's origin too: nothing in it runs."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("docs_dir: docs\nextra: {kb_audience: public}\n", encoding="utf-8")
    site = tmp_path / "site"
    (site / "files").mkdir(parents=True)
    (site / "index.html").write_text(page("<p>Home</p>"), encoding="utf-8")
    form = "<!doctype html><html><head><script>var theme=1</script></head></html>"
    (site / "files" / "form.html").write_text(form, encoding="utf-8")
    assert csp.protect_site(site, config, wasm=False) == 2
    assert csp.script_hash(THEME_SCRIPT) in allowed((site / "index.html").read_text(encoding="utf-8"))
    assert allowed((site / "files" / "form.html").read_text(encoding="utf-8")) == []
