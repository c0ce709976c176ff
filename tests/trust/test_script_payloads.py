"""No script written into an article runs on either site: for each payload, in the body, the
title, the summary and the keywords, and in the body through a `_data/` variable and a
`_snippets/` include (both expanded before Markdown), `kb check` reports it or the built pages
cannot run it.

The build runs with the rules that would report the payloads turned off, so the sanitizer and the
templates' escaping are what is tested. The proof reads the built HTML with lxml (a parser the
sanitizer does not use), then loads the pages in Chromium with the Content-Security-Policy
bypassed, so escaping and sanitizing must hold on their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from generator.pipeline.verify.links import serve
from generator.urlsafe import unsafe_url
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, need
from tests.trust.conftest import findings, kb, project

PAYLOADS = (
    "<svg/onload=__kbx({n})>",
    "<details/open/ontoggle=__kbx({n})>x</details>",
    '"><img src=/ onerror=__kbx({n})>',
    "</title><script>__kbx({n})</script>",
    "<script>__kbx({n})</script>",
    "&lt;script&gt;__kbx({n})&lt;/script&gt;",
    '<a href="java&#115;cript:__kbx({n})">x</a>',
    "[x](javascript:__kbx({n}))",
    "<img src=x:y onerror=__kbx({n})>",
    "<iframe srcdoc='<script>parent.__kbx({n})</script>'></iframe>",
    "<math><a xlink:href=javascript:__kbx({n})>x</a></math>",
    "' onmouseover='__kbx({n})",
    "<style>*{{background:url(javascript:__kbx({n}))}}</style>",
    "<!--><img src=/ onerror=__kbx({n})>-->",
    '<noscript><p title="</noscript><img src=/ onerror=__kbx({n})>">',
    "<form><button formaction=javascript:__kbx({n})>x</button></form>",
    '<object data="data:text/html,<script>parent.__kbx({n})</script>"></object>',
    '<a href="&#x6A;avascript&colon;__kbx({n})">x</a>',
)
PLACES = ("body", "title", "summary", "keywords", "variable", "snippet")
IN_BODY = ("body", "variable", "snippet")  # the places that end up in the article's Markdown
RULES_OFF = ("KB306", "KB307", "KB309", "KB310", "KB311", "KB116", "KB117", "KB118", "KB119")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster")
LANGUAGES = """
languages:
  - {code: en, name: English}
  - code: zh
    name: 简体中文
    sections:
      {prerequisites: 准备工作, steps: 操作步骤, tips: 提示, troubleshooting: 故障排除, related: 相关文章}
    question_marks: ["？"]
    strings:
      site_name: "<svg/onload=__kbx(900)>"
      search: "\\"><img src=/ onerror=__kbx(901)>"
      banner_title: "<details open ontoggle=__kbx(904)>"
      site_description: "\\"><script>__kbx(905)</script>"
"""
# Text from the site's own configuration reaches every page (header, footer, title, the meta
# description of pages without a summary: `site_description`); and a footer
# link whose label and per-language label are payloads, added to the built project's `site:`.
SITE_LINKS = (
    "site:\n  links:\n"
    '    - {label: "<img src=/ onerror=__kbx(902)>", url: "https://example.com/x",'
    ' labels: {zh: "</a><script>__kbx(903)</script>"}}\n'
)


def pages() -> list[tuple[str, str, str, str]]:
    """(page id, place, payload, the page's Markdown: front matter and body)."""
    out = []
    for k, pattern in enumerate(PAYLOADS):
        for place in PLACES:
            n = k * len(PLACES) + PLACES.index(place)
            payload = pattern.format(n=n)
            out.append((f"xss-{n:03d}", place, payload, _page(f"xss-{n:03d}", place, payload)))
    return out


def _page(page_id: str, place: str, payload: str) -> str:
    fields = {
        "title": f"How does {payload if place == 'title' else page_id} work?",
        "summary": f"A page that says {payload if place == 'summary' else 'nothing'}.",
        "keywords": [payload if place == "keywords" else "plain"],
        # An old URL kept: its redirect page names the article by its title.
        **({"redirect_from": [f"old-{page_id}"]} if place == "title" else {}),
    }
    shown = {
        "body": payload,
        "variable": f"{{{{ trust.{page_id.replace('-', '_')} }}}}",
        "snippet": f'{{% include "{page_id}.md" %}}',
    }
    body = f"Text before.\n\n{shown.get(place, 'Plain body.')}\n\nText after.\n"
    # JSON is YAML: every payload stays one string, whatever its quotes and colons.
    meta = "\n".join(f"{key}: {json.dumps(value)}" for key, value in fields.items())
    return (
        f"---\nid: {page_id}\ncategory: account\naudience: public\ntype: page\nowner: Maya Chen\n"
        f"last_reviewed: 2026-10-01\n{meta}\n---\n\n{body}"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("payloads")
    written = pages()
    checked = project(base / "checked", [], extra=LANGUAGES)
    built = project(base / "built", [], rules_off=RULES_OFF, extra=LANGUAGES)
    config = built / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site:\n", SITE_LINKS, 1), encoding="utf-8")
    for root in (checked, built):
        for page_id, _, _, text in written:
            (root / "kb_source" / "variants" / f"{page_id}.md").write_text(text, encoding="utf-8")
        _reused(root / "kb_source", written)
    reported = {Path(str(f["path"])).stem for f in findings(checked) if f["severity"] == "error"}
    done = kb(built, "build", "--out", str(base / "site"))
    assert done.returncode == 0, done.stdout + done.stderr
    return {"pages": written, "reported": reported, "site": base / "site"}


def _reused(source: Path, written: list[tuple[str, str, str, str]]) -> None:
    """The payloads that pages show through a variable (`_data/trust.yml`) or a snippet."""
    (source / "_data").mkdir(exist_ok=True)
    (source / "_snippets").mkdir(exist_ok=True)
    values = []
    for page_id, place, payload, _ in written:
        if place == "variable":  # JSON is YAML: the payload stays one string
            values.append(f"{page_id.replace('-', '_')}: {json.dumps(payload)}\n")
        elif place == "snippet":
            text = f"---\naudience: public\n---\n\n{payload}\n"
            (source / "_snippets" / f"{page_id}.md").write_text(text, encoding="utf-8")
    (source / "_data" / "trust.yml").write_text("".join(values), encoding="utf-8")


def running(page: html.HtmlElement) -> list[str]:
    """What on a built page could run a script that did not come from the theme: an event handler
    or a payload in a script anywhere; an embedding element or a script URL in the page's content
    (the theme's own header has a search form)."""
    found = []
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        kind = str(element.get("type") or "").lower()
        if tag == "script" and "__kbx" in (element.text or "") and "json" not in kind:
            found.append(f"<script>{element.text[:40]}")
        found += [f"{name}= on <{tag}>" for name in element.attrib if str(name).lower().startswith("on")]
    for region in page.xpath("//article"):
        for element in region.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.lower()
            if tag in ("iframe", "object", "embed", "form", "base", "frame", "applet"):
                found.append(f"<{tag}>")
            for name, value in element.attrib.items():
                if str(name).lower() in URL_ATTRIBUTES and unsafe_url(str(value)):
                    found.append(f'{name}="{value[:40]}" on <{tag}>')
    return found


@pytest.mark.slow
def test_no_built_page_can_run_a_payload(built: dict[str, object]) -> None:
    site: Path = built["site"]  # type: ignore[assignment]
    problems = []
    for path in sorted([*(site / "public").rglob("*.html"), *(site / "internal").rglob("*.html")]):
        for what in running(html.document_fromstring(path.read_bytes())):
            problems.append(f"{path.relative_to(site)}: {what}")
    assert not problems, "\n".join(problems[:40])
    # The proof looked at pages that hold the payloads, and at the redirect pages of the titles.
    assert len(list((site / "public").rglob("xss-*/index.html"))) == 2 * len(PAYLOADS) * len(PLACES)
    assert len(list((site / "public").rglob("old-xss-*/index.html"))) == 2 * len(PAYLOADS)
    # and at the pages that show the configuration's payloads, as text.
    home, zh_home = (
        (site / "public" / rel).read_text(encoding="utf-8") for rel in ("index.html", "zh/index.html")
    )
    assert "__kbx(902)" in home
    assert all(f"__kbx({n})" in zh_home for n in (900, 901, 903, 904)), zh_home[:2000]
    # The language's site description is the meta description of its pages without one (the 404).
    assert "__kbx(905)" in (site / "public" / "zh" / "404.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_body_payload_is_reported_by_the_check(built: dict[str, object]) -> None:
    body = [(pid, payload) for pid, place, payload, _ in built["pages"] if place in IN_BODY]  # type: ignore[attr-defined]
    quiet = [payload for pid, payload in body if pid not in built["reported"]]  # type: ignore[operator]
    # Text that only looks like markup (an entity, a lone quote) is not a finding: it shows as typed.
    assert set(quiet) <= {p for p in quiet if p.startswith(("&lt;", "'"))}, quiet


@pytest.mark.slow
@pytest.mark.browser
def test_no_payload_runs_in_chromium(built: dict[str, object]) -> None:
    need(CHROMIUM.is_file(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    site: Path = built["site"]  # type: ignore[assignment]
    # The body (as written, through a variable or a snippet) and the title reach the most places
    # (content, head, nav, category and home pages); summaries and keywords are proven by the
    # static test above.
    ids = [pid for pid, place, *_ in built["pages"] if place in (*IN_BODY, "title")]  # type: ignore[attr-defined]
    olds = [f"old-{pid}/" for pid, place, *_ in built["pages"] if place == "title"]  # type: ignore[attr-defined]
    paths = [f"{pid}/" for pid in ids] + [f"zh/{pid}/" for pid in ids] + ["category/account/", "", "zh/"]
    paths.append("zh/404.html")  # the page the language's site description reaches
    paths += olds
    fired: list[str] = []
    with serve(site / "public") as public, serve(site / "internal") as internal, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True)
        # Nothing leaves the machine: a request to any other host would wait for the network.
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("http://127.0.0.1:") else route.abort()
            ),
        )
        # Reported to the test as it happens: a redirect page navigates away, taking its globals.
        context.expose_binding(
            "__kbxReport", lambda source, n: fired.append(f"{source['frame'].url}: payload {n}")
        )
        context.add_init_script("window.__kbx = (n) => { window.__kbxReport(n); };")
        page = context.new_page()
        page.on("dialog", lambda dialog: (fired.append(f"dialog {dialog.message}"), dialog.dismiss()))
        # The internal site renders the same page in every language: its English pages stand for all.
        for base, shown in ((public, paths), (internal, [p for p in paths if not p.startswith("zh/")])):
            for rel in shown:
                page.goto(base + rel, wait_until="load")
                if rel.startswith("old-"):  # a redirect page: on to the article before the next
                    page.wait_for_url(base + rel.removeprefix("old-"), wait_until="load")
                page.mouse.move(5, 5)
                page.mouse.move(400, 300)
        browser.close()
    assert not fired, fired


EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<script>__kbx(999)</script><rect width="10" height="10"/></svg>'
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "how", ["![A diagram of the steps](../images/evil.svg)", "[the diagram](../images/evil.svg)"]
)
def test_an_svg_with_a_script_is_reported_and_never_published(tmp_path: Path, how: str) -> None:
    body = f"Text before.\n\n{how}\n\nText after.\n"
    checked = project(tmp_path / "checked", [("svg-page", body)])
    built = project(tmp_path / "built", [("svg-page", body)], rules_off=("KB309",))
    for root in (checked, built):
        (root / "kb_source" / "images" / "evil.svg").write_text(EVIL_SVG, encoding="utf-8")
    assert any(f["rule"] == "KB309" and "svg-page" in str(f["path"]) for f in findings(checked))
    done = kb(built, "build", "--out", str(tmp_path / "site"))
    assert done.returncode == 1 and "unsafe to publish (KB309)" in done.stderr, done.stderr
    assert not (tmp_path / "site" / "public").exists()
