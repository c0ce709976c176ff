"""pipeline/load.py: every file becomes an Article or one finding with file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.model import Article, Finding, Severity
from generator.pipeline.load import discover, load_all, load_file, walk_all
from tests.conftest import Project, article_text

CATEGORIES = frozenset({"account", "data"})


def load(project: Project, name: str, content: str | bytes) -> Article | Finding:
    path = project.write(name, content)
    return load_file(path, project.source, project.root, CATEGORIES)


def finding(project: Project, name: str, content: str | bytes) -> Finding:
    result = load(project, name, content)
    assert isinstance(result, Finding), f"expected a finding, got an article for {name}"
    assert result.severity is Severity.ERROR
    assert result.path == f"kb_source/{name}"
    return result


# --- files that must load -------------------------------------------------------------------


def test_plain_article_loads(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text())
    assert isinstance(result, Article)
    assert result.path == "kb_source/a.md"
    assert result.id == "sample-article"
    assert result.body_line == 9  # 8 front-matter lines, then the body
    assert result.field_line("owner") == 6
    assert [s.title for s in result.sections] == [
        "Prerequisites",
        "Steps",
        "Tips",
        "Troubleshooting",
        "Related articles",
    ]
    assert result.section("steps") is not None and result.section("steps").line == 16
    assert result.tokens and result.digest


def test_bom_crlf_and_non_ascii_name_load(empty_project: Project) -> None:
    raw = b"\xef\xbb\xbf" + article_text(title="How do I order a café?").replace("\n", "\r\n").encode()
    result = load(empty_project, "café-ünïcode.md", raw)
    assert isinstance(result, Article)
    assert result.title == "How do I order a café?"
    assert "\r" not in result.body
    assert result.path == "kb_source/café-ünïcode.md"
    assert result.body_line == 9


def test_old_mac_line_ends_load(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text().replace("\n", "\r"))
    assert isinstance(result, Article)
    assert result.field_line("owner") == 6


# --- KB001: files that are not UTF-8 Markdown ---------------------------------------------------


def test_binary_file(empty_project: Project) -> None:
    f = finding(empty_project, "logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert (f.rule, f.line) == ("KB001", 3)  # the NUL byte follows two line ends
    assert "binary" in f.message


def test_windows_1252_names_the_line(empty_project: Project) -> None:
    text = article_text(body="You can order a café from the menu in a few minutes.\n")
    f = finding(empty_project, "a.md", text.encode("cp1252"))
    assert (f.rule, f.line) == ("KB001", 10)
    assert "0xe9" in f.message and "UTF-8" in f.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(empty_project: Project, encoding: str) -> None:
    f = finding(empty_project, "a.md", article_text().encode(encoding))
    assert f.rule == "KB001"
    assert "UTF-16" in f.message or "binary" in f.message


def test_symlink_out_of_tree(empty_project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(article_text(), encoding="utf-8")
    (empty_project.source / "link.md").symlink_to(outside)
    f = load_file(empty_project.source / "link.md", empty_project.source, empty_project.root)
    assert isinstance(f, Finding) and f.rule == "KB001"
    assert "outside the source tree" in f.message


def test_broken_symlink(empty_project: Project) -> None:
    (empty_project.source / "gone.md").symlink_to(empty_project.source / "nowhere.md")
    f = load_file(empty_project.source / "gone.md", empty_project.source, empty_project.root)
    assert isinstance(f, Finding) and f.rule == "KB001"
    assert "broken symbolic link" in f.message


def test_folder_named_like_markdown(empty_project: Project) -> None:
    (empty_project.source / "notes.md").mkdir()
    (empty_project.source / "notes.md" / "inside.md").write_text(article_text(id="inside"), encoding="utf-8")
    result = load_all(empty_project.source, empty_project.root, categories=CATEGORIES)
    assert [(f.path, f.rule) for f in result.findings] == [("kb_source/notes.md", "KB001")]
    assert [a.path for a in result.articles] == ["kb_source/notes.md/inside.md"]


# --- KB002: front matter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("", 1, "missing"),
        ("# How do I start?\n\nText.\n", 1, "missing"),
        # Where the closing line goes: after the last field.
        ("---\nid: a\ntitle: How?\n\nBody.\n", 4, "not closed"),
        # On the line that opens what is never closed, with the quoted value to write.
        ("---\nid: a\ntitle: [How?\n---\nBody.\n", 3, 'put the value in quotes: title: "[How?"'),
        ("---\nid: a\ntitle: b: c\n---\n", 3, 'put the value in quotes: title: "b: c"'),
        ("---\n- id: a\n- title: b\n---\n", 2, "is a list, not fields"),
        ("---\njust words\n---\n", 2, "is text, not fields"),
        ("---\n---\nBody.\n", 2, "is empty, not fields"),
        ("---\nid: a\nid: b\n---\n", 3, "field 'id' is written twice"),
        ("---\nid: a\ntitle: R&D \x07?\n---\n", 3, "U+0007"),
    ],
    ids=[
        "empty",
        "no-front-matter",
        "unclosed",
        "flow",
        "indent",
        "list",
        "scalar",
        "empty-block",
        "dup-key",
        "control-character",
    ],
)
def test_bad_front_matter(empty_project: Project, content: str, line: int, words: str) -> None:
    f = finding(empty_project, "a.md", content)
    assert (f.rule, f.line) == ("KB002", line), f.message
    assert words in f.message


def test_alias_bomb_is_refused_without_expansion(empty_project: Project) -> None:
    # 10**20 leaves if anything walked the expanded graph (the schema validator would): the test
    # can only finish because the anchors are refused before a node is built.
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 20)]
    f = finding(empty_project, "bomb.md", "---\n" + "\n".join(lines) + "\n---\nBody.\n")
    assert (f.rule, f.line) == ("KB002", 2)
    assert "anchors and aliases" in f.message


def test_ampersand_in_plain_text_is_fine(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text(title='"How do I use R&D * reports?"'))
    assert isinstance(result, Article)
    assert result.title == "How do I use R&D * reports?"


# --- KB003: schema ----------------------------------------------------------------------------


def test_impossible_date(empty_project: Project) -> None:
    f = finding(empty_project, "a.md", article_text(last_reviewed="2026-02-30"))
    assert (f.rule, f.line) == ("KB003", 7)
    assert "last_reviewed" in f.message


def test_dates_stay_strings(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text())
    assert isinstance(result, Article)
    assert result.meta["last_reviewed"] == "2026-10-01"


def test_unknown_category(empty_project: Project) -> None:
    f = finding(empty_project, "a.md", article_text(category="billing"))
    assert (f.rule, f.line) == ("KB003", 4)
    assert "'category' is 'billing', which is not a category" in f.message and "account, data" in f.message


def test_unknown_field_is_named_on_its_line(empty_project: Project) -> None:
    f = finding(empty_project, "a.md", article_text(auther="Sam Ortiz"))
    assert (f.rule, f.line) == ("KB003", 8)
    assert "'auther'" in f.message


def test_missing_required_field(empty_project: Project) -> None:
    f = finding(empty_project, "a.md", article_text(owner=None))
    assert f.rule == "KB003"
    assert "required field 'owner' is missing" in f.message


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [("audience", "everyone", 5), ("id", "Sample_Article", 2), ("tags", "[a, a]", 8), ("lang", "english", 8)],
)
def test_bad_values(empty_project: Project, field: str, value: str, line: int) -> None:
    f = finding(empty_project, "a.md", article_text(**{field: value}))
    assert (f.rule, f.line) == ("KB003", line)
    assert f"'{field}'" in f.message


# --- discovery and the whole tree ------------------------------------------------------------


def test_discover_sorted_skips_hidden_and_other_files(empty_project: Project) -> None:
    for name in ("b.md", "a/c.markdown", ".hidden.md", ".git/x.md", "notes.txt", "a/b/d.md"):
        empty_project.write(name, "x")
    found = [p.relative_to(empty_project.source).as_posix() for p in discover(empty_project.source)]
    assert found == ["a/b/d.md", "a/c.markdown", "b.md"]


def test_load_all_goes_on_past_bad_files(empty_project: Project) -> None:
    empty_project.write("1-good.md", article_text(id="one"))
    empty_project.write("2-binary.md", b"\x00\x01")
    empty_project.write("3-no-front-matter.md", "Text.\n")
    empty_project.write("4-good.md", article_text(id="four"))
    result = load_all(empty_project.source, empty_project.root, categories=CATEGORIES)
    assert result.files == 4
    assert [a.id for a in result.articles] == ["one", "four"]
    assert [(f.path.rsplit("/", 1)[-1], f.rule) for f in result.findings] == [
        ("2-binary.md", "KB001"),
        ("3-no-front-matter.md", "KB002"),
    ]


def test_suppressions_are_read_with_lines(empty_project: Project) -> None:
    body = "Summary here.\n\n<!-- kb-disable KB109: keyboard only -->\n<!-- kb-disable kb401 -->\n"
    result = load(empty_project, "a.md", article_text(body=body))
    assert isinstance(result, Article)
    assert [(s.code, s.reason, s.line) for s in result.suppressions] == [
        ("KB109", "keyboard only", 12),
        ("KB401", "", 13),
    ]


def test_a_file_that_ends_with_its_closing_line_has_an_empty_body(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text(body="").removesuffix("\n\n"))
    assert isinstance(result, Article)
    assert (result.body, result.body_line) == ("", 9)


def test_an_article_is_parsed_where_its_tokens_are_first_needed(empty_project: Project) -> None:
    result = load(empty_project, "a.md", article_text())
    assert isinstance(result, Article) and "tokens" not in vars(result)
    assert result.sections and "tokens" in vars(result)  # the outline is read from the parse
    assert result.lines == tuple(result.body.split("\n"))


def test_walk_all_lists_the_other_files_relative_to_the_folder(tmp_path: Path) -> None:
    source = tmp_path / "kb_source"
    (source / "images").mkdir(parents=True)
    (source / "page.md").write_text("x", encoding="utf-8")
    (source / "images" / "shot.png").write_bytes(b"png")
    (source / "images" / ".hidden.png").write_bytes(b"png")
    (source / "folder.md").mkdir()
    (source / "images" / "inside.png").symlink_to(source / "images" / "shot.png")
    (tmp_path / "outside.png").write_bytes(b"png")
    (source / "images" / "outside.png").symlink_to(tmp_path / "outside.png")
    pages, others = walk_all(source)
    assert pages == [str(source / "folder.md"), str(source / "page.md")]
    assert sorted(others) == ["images/inside.png", "images/shot.png"]


# --- what cannot be read is reported, and the rest still checked ---------------------------------
#
# Tests run as root here and in CI, where chmod 000 hides nothing. A path longer than the
# system's limit (PATH_MAX, 4,096 bytes on Linux) cannot be opened or listed by anyone, root
# included: the kernel refuses it with ENAMETOOLONG before any permission is looked at. The
# folders are made one level at a time relative to the one above (dir_fd), as a tool that
# syncs deep trees would.

LONG_NAME = "d" * 250  # a folder name within NAME_MAX (255)


def deep_folder(parent: Path, levels: int, file: str = "") -> Path:
    """`parent` / LONG_NAME / LONG_NAME ... (`levels` deep), and an empty `file` at the bottom if
    named, made relative to the folder above each time: the whole path is never opened."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(LONG_NAME, dir_fd=fd)
            child = os.open(LONG_NAME, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
        if file:
            os.close(os.open(file, os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)
    return parent.joinpath(*[LONG_NAME] * levels)


def levels_past_the_limit(parent: Path) -> int:
    """How many LONG_NAME levels make a path under `parent` longer than 4,096 bytes."""
    return -(-(4096 - len(os.fsencode(parent))) // (len(LONG_NAME) + 1))


def test_a_folder_that_cannot_be_listed_is_a_finding_and_the_rest_is_checked(project: Project) -> None:
    deep = deep_folder(project.source, levels_past_the_limit(project.source))
    with pytest.raises(OSError):
        os.scandir(deep)  # really unreadable, root or not
    project.write("page.md", article_text())
    result = project.check()
    unreadable = [f for f in result.findings if f.rule == "KB001"]
    assert [(f.path, f.line) for f in unreadable] == [(deep.relative_to(project.root).as_posix(), 1)]
    assert "File name too long" in unreadable[0].message
    assert "shorten the folder names" in unreadable[0].message
    # Every other file was still checked: the fixture corpus and page.md are clean.
    assert [f for f in result.findings if f.rule != "KB001"] == []
    assert result.files == len(list((project.source / "corpus").glob("*.md"))) + 2


def test_a_file_that_cannot_be_opened_is_a_finding(project: Project) -> None:
    levels = levels_past_the_limit(project.source) - 1  # a folder just short enough to list
    room = 4096 - len(os.fsencode(project.source)) - levels * (len(LONG_NAME) + 1)
    name = "p" * min(room + 10, 250) + ".md"  # whose own path is past the limit
    folder = deep_folder(project.source, levels, file=name)
    with pytest.raises(OSError):
        (folder / name).read_bytes()
    assert str(folder / name) in walk_all(project.source)[0]
    [unreadable] = [f for f in project.check().findings if f.rule == "KB001"]
    assert unreadable.path.endswith(name)
    assert unreadable.message.startswith("cannot be read: File name too long")


def test_a_named_pipe_is_reported_at_once(empty_project: Project) -> None:
    pipe = empty_project.source / "pipe.md"
    os.mkfifo(pipe)
    result = load_file(pipe, empty_project.source, empty_project.root, CATEGORIES)  # no writer: no wait
    assert isinstance(result, Finding)
    message = "is a named pipe, not a Markdown file (unreadable-file)"
    assert (result.rule, result.line, result.message) == ("KB001", 1, message)


def test_an_unreadable_folder_named_on_the_command_line_is_a_finding(project: Project) -> None:
    deep = deep_folder(project.source, levels_past_the_limit(project.source))
    assert discover(project.source, [deep]) == [deep]
    result = load_file(deep, project.source, project.root, CATEGORIES)
    assert isinstance(result, Finding) and result.rule == "KB001"
