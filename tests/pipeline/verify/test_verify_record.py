"""Verification that reads only what changed (verify/record.py) must find exactly what a full
verification finds. A record is made from a clean build; then kinds of damage are planted in a
copy, each where the shortcut could miss it (a changed page, an unchanged page whose needles or
link target changed, a deleted page others link to), and the copy is verified both ways."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.config import load_config
from generator.pipeline import BuildError, build
from generator.pipeline import verify as verify_module
from generator.pipeline.verify import Kind, VerifyResult, verify_sites
from generator.pipeline.verify import record as records
from generator.pipeline.verify.links import BrokenLink
from tests.pipeline.verify.conftest import FIXTURE, TODAY, Pair
from tests.pipeline.verify.test_verify_leaks import (
    BLOCK_SENTENCE,
    INTERNAL_ID,
    INTERNAL_SENTENCE,
    INTERNAL_TITLE,
    insert_html,
)

pytestmark = pytest.mark.slow

HOME_SENTENCE = "A small site the verify tests build and then tamper with."  # the home page's description


def _verify(pair: Pair, record: records.Record | None) -> VerifyResult:
    return verify_sites(pair.public, pair.internal, pair.config, TODAY, record=record)


def _checked_pages(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str] | None]:
    """The `pages` each site's LinkChecker run was given (None: every page), by site name."""
    calls: dict[str, list[str] | None] = {}
    real = verify_module.check_links

    def counted(site: Path, timeout: float = 600, pages: list[str] | None = None):  # type: ignore[no-untyped-def]
        calls[site.name] = None if pages is None else sorted(pages)
        return real(site, timeout, pages)

    monkeypatch.setattr(verify_module, "check_links", counted)
    return calls


@pytest.fixture
def recorded(clean_pair: Pair, tmp_path: Path) -> tuple[Pair, Path]:
    """A copy of the clean build with a link from one page to another's heading, verified with a
    record kept in the returned folder."""
    public, internal = tmp_path / "public", tmp_path / "internal"
    shutil.copytree(clean_pair.public, public)
    shutil.copytree(clean_pair.internal, internal)
    pair = Pair(public, internal, clean_pair.config)
    insert_html(
        public / "contact-support" / "index.html", '<a href="../reset-password/#troubleshooting">x</a>'
    )
    folder = tmp_path / "record"
    kept = records.load(folder)
    result = _verify(pair, kept)
    assert result.ok, result.problems
    records.save(folder, result.digests, kept.memo)
    return pair, folder


def _compare(pair: Pair, folder: Path, calls: dict[str, list[str] | None]) -> tuple[set, set, dict]:
    """The problems found with the record and without, and what LinkChecker was given with it."""
    quick = _verify(pair, records.load(folder))
    given = dict(calls)
    full = _verify(pair, None)
    found = [{(p.file, p.cause, p.kind) for p in result.problems} for result in (quick, full)]
    return found[0], found[1], given


def test_changed_and_unchanged_pages_get_the_findings_of_a_full_verification(
    recorded: tuple[Pair, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pair, folder = recorded
    public = pair.public
    # Changed pages: a leak, a broken link, personal data.
    insert_html(
        public / "charged-twice" / "index.html", f"<p>{BLOCK_SENTENCE}</p><a href='../no-page/'>x</a>"
    )
    insert_html(
        public / "reset-password" / "index.html", "<p>Ask Jane at jane.doe@gmail.com if it fails.</p>"
    )
    # An unchanged page's link target loses its anchor.
    target = public / "reset-password" / "index.html"
    target.write_text(
        target.read_text(encoding="utf-8").replace('id="troubleshooting"', ""), encoding="utf-8"
    )
    # The internal site now marks a sentence of the public (unchanged) home page as agent-only.
    page = next(p for p in sorted(pair.internal.glob("*/index.html")) if "kb:audience" in p.read_text())
    insert_html(page, f'<div class="admonition internal"><p>{HOME_SENTENCE}</p></div>')
    calls = _checked_pages(monkeypatch)
    quick, full, calls = _compare(pair, folder, calls)
    assert quick == full
    causes = {
        (Path(file).relative_to(public).as_posix(), kind)
        for file, _, kind in full
        if file.startswith(str(public))
    }
    assert causes >= {
        ("charged-twice/index.html", Kind.LEAK),
        ("charged-twice/index.html", Kind.LINK),
        ("reset-password/index.html", Kind.COMPLIANCE),
        ("contact-support/index.html", Kind.LINK),  # unchanged, its anchor gone
        ("index.html", Kind.LEAK),  # unchanged, the needles changed
    }
    # With the record, LinkChecker read only the changed pages of each site.
    assert calls == {
        "public": ["charged-twice/index.html", "reset-password/index.html"],
        "internal": [page.relative_to(pair.internal).as_posix()],
    }


SEED = int(os.environ.get("KB_RECORD_SEED", "20261205"))


def _wrapped(text: str, rng: random.Random) -> str:
    """`text` in markup the boundary must see through: emphasis, a line break, a soft hyphen."""
    words = text.split(" ")
    at = rng.randrange(1, len(words) - 1)
    words[at] = rng.choice(["<em>{}</em>", "{}\n   ", "<span>{}</span>", "{}&shy;"]).format(words[at])
    return " ".join(words)


def _plant(pair: Pair, rng: random.Random) -> tuple[str, Kind]:
    """One kind of damage, in a random place: the public file it is in and its kind."""
    pages = sorted(p.relative_to(pair.public).as_posix() for p in pair.public.glob("*/index.html"))
    page = rng.choice(pages)
    kind = rng.randrange(6)
    if kind == 0:
        insert_html(pair.public / page, f"<p>{_wrapped(BLOCK_SENTENCE, rng)}</p>")
    elif kind == 1:
        insert_html(pair.public / page, f"<h2>{_wrapped(INTERNAL_TITLE, rng)}</h2>")
    elif kind == 2:
        insert_html(pair.public / page, f'<a href="https://agents.fixture.example/{INTERNAL_ID}/">x</a>')
    elif kind == 3:
        insert_html(pair.public / page, "<p>Write to jane.doe@gmail.com for help.</p>")
    elif kind == 4:
        insert_html(pair.public / page, f"<p>{INTERNAL_SENTENCE}</p><script>fetch('/x')</script>")
    else:  # the sitemap names an internal page
        sitemap = pair.public / "sitemap.xml"
        entry = f"<url><loc>https://help.fixture.example/{INTERNAL_ID}/</loc></url></urlset>"
        sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("</urlset>", entry), encoding="utf-8")
        return "sitemap.xml", Kind.LEAK
    return page, Kind.COMPLIANCE if kind == 3 else Kind.LEAK


def test_random_damage_is_found_with_the_record_as_without(
    recorded: tuple[Pair, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generator of damage after a recorded verification, in one batch: the pages it touches
    change, the others keep their recorded findings; both verifications must agree."""
    pair, folder = recorded
    rng = random.Random(SEED)
    planted = {_plant(pair, rng) for _ in range(10)}
    calls = _checked_pages(monkeypatch)
    quick, full, calls = _compare(pair, folder, calls)
    assert quick == full, f"seed {SEED}"
    found = {(Path(file).relative_to(pair.public).as_posix(), kind) for file, _, kind in quick}
    assert planted <= found, f"seed {SEED}: {planted - found}"
    assert calls["public"] is not None and len(calls["public"]) < 10  # the changed pages only


def test_a_deleted_page_checks_every_link(
    recorded: tuple[Pair, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pair, folder = recorded
    shutil.rmtree(pair.public / "reset-password")  # the unchanged contact page links to it
    calls = _checked_pages(monkeypatch)
    quick, full, calls = _compare(pair, folder, calls)
    # LinkChecker names a broken URL once, under whichever page it read first (its threads decide):
    # the two runs must find the same broken targets, and every other problem where it is.
    assert _link_targets(quick) == _link_targets(full) == {"/reset-password/"}
    assert {p for p in quick if p[2] is not Kind.LINK} == {p for p in full if p[2] is not Kind.LINK}
    assert calls["public"] is None  # checked in full


def _link_targets(problems: set[tuple[str, str, Kind]]) -> set[str]:
    """The site paths the broken links point to, resolved from the page that has each."""
    targets = set()
    for file, cause, kind in problems:
        found = re.match(r"broken link '([^']*)'", cause)
        if kind is Kind.LINK and found:
            page = "/" + file.split("/public/", 1)[-1]
            targets.add(urljoin(page, found.group(1)).split("#", 1)[0])
    return targets


def test_nothing_changed_runs_no_link_checker(
    recorded: tuple[Pair, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pair, folder = recorded
    calls = _checked_pages(monkeypatch)
    assert _verify(pair, records.load(folder)).ok
    assert calls == {"public": [], "internal": []}


def test_a_record_of_other_code_unreadable_or_naming_other_types_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "record"
    folder.mkdir()
    path = folder / records.RECORD
    path.write_bytes(b"not gzip")
    assert records.load(folder).sites == {}

    def write(version: str, memo: list) -> None:  # type: ignore[type-arg]
        data = {"version": version, "sites": {"public": {}}, "memo": memo}
        path.write_bytes(gzip.compress(json.dumps(data).encode()))

    write("another version", [])
    assert records.load(folder).sites == {}
    write(records.code_version(), [[["x"], {"kb:kind": "Popen", "args": ["rm"]}]])
    assert records.load(folder).sites == {}  # only the result types kb lists are made
    records.save(folder, {"public": {"index.html": "x"}}, records.Memo())
    assert records.load(folder).sites == {"public": {"index.html": "x"}}
    # A record that cannot be written (here a file where its folder should be) is none, no error.
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    records.save(blocked, {"public": {}}, records.Memo())
    assert records.load(blocked).sites == {}


def test_a_build_keeps_its_record_and_the_next_reads_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = load_config(project / "site_config.yml")
    assert build(config, TODAY, tmp_path / "site").published
    kept = project / ".kb-cache" / "verify" / records.RECORD
    assert set(records.load(kept.parent).sites) == {"public", "internal"}
    source = project / "kb_source" / "billing" / "charged-twice.md"
    source.write_text(source.read_text(encoding="utf-8").replace("## Tips\n", "## Tips\n\n- A new tip.\n"))
    calls = _checked_pages(monkeypatch)
    assert build(config, TODAY, tmp_path / "site").published
    assert "charged-twice/index.html" in (calls["public"] or [])
    assert len(calls["public"] or []) < 10  # the edited page and the few that list it
    # A build that fails verification keeps the last passed record.
    before = kept.read_bytes()
    source.write_text(source.read_text(encoding="utf-8").replace("- A new tip.", "- A newer tip."))
    monkeypatch.setattr(verify_module, "check_anchors", lambda *args: [BrokenLink("x.html", "planted")])
    with pytest.raises(BuildError, match="planted"):
        build(config, TODAY, tmp_path / "site")
    assert kept.read_bytes() == before


def test_a_text_public_articles_say_is_found_again_after_their_text_changes() -> None:
    """The boundary remembers which public chunk holds a text (boundary._Shared); each change of
    the public text below must give the answer a search of the whole text gives."""
    from generator.pipeline.verify.boundary import _Shared

    rounds = [
        ["alphabetagamma", "delta"],  # "beta" inside a chunk
        ["alphagamma", "delta"],  # that chunk gone: not shared any more
        ["alphagamma", "delta", "xbetay"],  # a new chunk holds it
        ["betaonly", "delta"],  # and another
        ["delta"],
    ]
    memo = records.Memo()
    for chunks in rounds:
        memo = records.Memo(old=memo.used)
        shared = _Shared(chunks, memo)
        for text in ("beta", "delta", "gamma", "epsilon"):
            assert shared.holds(text) == any(text in chunk for chunk in chunks), (chunks, text)
        shared.keep()
