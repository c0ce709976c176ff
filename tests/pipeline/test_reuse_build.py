"""Real builds with variables, snippets and redirects (issue 20): the fixture project in two
languages, an internal snippet in a public article's agent note, old URLs kept on both sites,
and a URL published before that the next build may not drop silently. MkDocs, Pagefind and
LinkChecker run (kb verify inside the build); nothing is mocked."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from generator.model import Audience
from generator.pipeline import BuildError
from generator.pipeline.verify.links import check_links
from tests.pipeline.conftest import build, copy_project, files, text_of

pytestmark = pytest.mark.slow

SNIPPET_MARKER = "OCELOT-SNIPPET-4417"  # only in the internal snippet
ZH = """
languages:
  - {code: en, name: English}
  - code: zh
    name: 中文
    sections: {prerequisites: 前提条件, steps: 步骤, tips: 提示, troubleshooting: 故障排除, related: 相关文章}
    question_marks: ["？"]
"""


def add_field(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    path.write_text("---\n" + head + "\n" + line + sep + body, encoding="utf-8")


def make_project(root: Path) -> Path:
    project = copy_project(root)
    with (project / "site_config.yml").open("a", encoding="utf-8") as config:
        config.write(ZH)
    source = project / "kb_source"
    (source / "_data").mkdir()
    (source / "_data" / "plans.yml").write_text("starter:\n  refund_window: 30 days\n", encoding="utf-8")
    (source / "_snippets").mkdir()
    (source / "_snippets" / "agent-check.md").write_text(
        f"---\naudience: internal\n---\nCheck the account in the admin console first ({SNIPPET_MARKER}).\n",
        encoding="utf-8",
    )
    reset = source / "account" / "reset-password.md"
    add_field(reset, "redirect_from: [forgot-password, lost-password]")
    text = reset.read_text(encoding="utf-8")
    reset.write_text(
        text.replace(
            "## Tips\n", '!!! internal "Agent note"\n    {% include "agent-check.md" %}\n\n## Tips\n', 1
        ),
        encoding="utf-8",
    )
    add_field(source / "playbooks" / "quokka-escalation.md", "redirect_from: [old-quokka]")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reuse")
    project = make_project(root / "project")
    result = build(project, root / "out")
    assert result.published, result.check.findings
    return project, root / "out"


def redirect_of(page: Path) -> tuple[str, str, str]:
    """(meta refresh target, canonical URL, visible link) of a redirect page."""
    doc = lxml.html.fromstring(page.read_bytes())
    refresh = doc.xpath('//meta[@http-equiv="refresh"]/@content')[0]
    canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
    link = doc.xpath("//body//a/@href")[0]
    return refresh.split("url=", 1)[1], canonical, link


@pytest.mark.parametrize("site", ["public", "internal"])
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_old_urls_lead_to_the_article_on_both_sites_in_every_language(
    built: tuple[Path, Path], site: str, lang: str
) -> None:
    _, out = built
    host = "help.fixture.example" if site == "public" else "agents.fixture.example"
    for old in ("forgot-password", "lost-password"):
        page = out / site / lang / old / "index.html"
        refresh, canonical, link = redirect_of(page)
        assert refresh == link == "../reset-password/"
        assert canonical == f"https://{host}/{lang}reset-password/"
        assert (out / site / lang / "reset-password" / "index.html").is_file()
        assert "data-pagefind-body" not in page.read_text(encoding="utf-8")


def test_an_internal_articles_old_url_is_only_on_the_internal_site(built: tuple[Path, Path]) -> None:
    _, out = built
    assert redirect_of(out / "internal" / "old-quokka" / "index.html")[0] == "../quokka-escalation/"
    assert not (out / "public" / "old-quokka").exists()
    assert not [p for p in files(out / "public") if "old-quokka" in text_of(p)]


def test_redirects_are_in_no_sitemap_and_no_search_index(built: tuple[Path, Path]) -> None:
    _, out = built
    public = out / "public"
    for sitemap in public.rglob("sitemap.xml"):
        assert "forgot-password" not in sitemap.read_text(encoding="utf-8")
    fragments = list(public.rglob("*.pf_fragment"))
    assert fragments
    assert not [f for f in fragments if b"forgot-password" in gzip.decompress(f.read_bytes())]
    manifest = json.loads((public / "kb-manifest.json").read_text(encoding="utf-8"))
    assert manifest["redirects"] == {
        "forgot-password/": "reset-password/",
        "lost-password/": "reset-password/",
    }
    assert "reset-password/" in manifest["pages"] and "quokka-escalation/" not in manifest["pages"]


def test_an_internal_snippet_shows_as_an_agent_note_and_never_in_a_public_file(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    page = lxml.html.fromstring((out / "internal" / "reset-password" / "index.html").read_bytes())
    notes = page.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " internal ")]')
    assert any(SNIPPET_MARKER in n.text_content() for n in notes)
    leaks = [p for p in files(out / "public") if SNIPPET_MARKER in text_of(p)]
    assert not leaks


def test_the_internal_site_lists_variables_and_snippets(built: tuple[Path, Path]) -> None:
    _, out = built
    page = lxml.html.fromstring((out / "internal" / "reuse" / "index.html").read_bytes())
    rows = {r.xpath("string(td[1])"): r.xpath("string(td[3])") for r in page.xpath("//table//tr[td]")}
    assert rows["plans.starter.refund_window"] == "unused"
    assert rows["agent-check.md"] == "kb_source/account/reset-password.md"
    assert not (out / "public" / "reuse").exists()


def test_linkchecker_follows_the_redirect_pages(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Nothing links to an old URL, so LinkChecker starts from each as well: a redirect page whose
    link leads nowhere is reported."""
    _, out = built
    site = tmp_path / "public"
    shutil.copytree(out / "public", site)
    assert not check_links(site)
    page = site / "zh" / "forgot-password" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("../reset-password/", "../no-such-page/"))
    broken = check_links(site)
    assert [(b.page, "no-such-page" in b.cause) for b in broken] == [("zh/forgot-password/index.html", True)]


def test_a_url_dropped_without_a_redirect_stops_the_next_build(built: tuple[Path, Path]) -> None:
    project, out = built
    change = project / "kb_source" / "account" / "change-email.md"
    original = change.read_text(encoding="utf-8")
    change.write_text(original.replace("id: change-email", "id: update-email"), encoding="utf-8")
    try:
        with pytest.raises(BuildError) as failed:
            build(project, out)
        message = str(failed.value)
        assert "public: /change-email/ was published and is gone" in message
        assert "zh/change-email/" in message and "internal: /change-email/" in message
        assert "redirect_from: [change-email]" in message and "closest: update-email" in message
        add_field(change, "redirect_from: [change-email]")
        assert build(project, out, (Audience.PUBLIC, Audience.INTERNAL)).published
        assert redirect_of(out / "public" / "change-email" / "index.html")[0] == "../update-email/"
    finally:
        change.write_text(original, encoding="utf-8")
