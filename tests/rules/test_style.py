"""KB4xx beyond the fixtures: thresholds from site_config, languages, and grades with no network."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import RULE_FIXTURES, Project, article_text

HARD = (RULE_FIXTURES / "KB401" / "bad.md").read_text(encoding="utf-8").split("---\n", 2)[2]
LONG = (
    "Check your spam folder and your junk folder and then mark the alert as safe "
    "so that your mail app moves it."
)


MEDIUM = (
    "Administrators configure the authentication settings for the whole organization before they "
    "invite other people to the workspace. "
) * 9


def test_max_grade_is_configurable(project: Project) -> None:
    project.write("a.md", article_text(MEDIUM))
    [message] = project.messages("KB401")
    assert "above 8" in message
    project.replace_in_config("max_grade: 8", "max_grade: 17")
    assert not project.messages("KB401")


def test_min_words_for_grade_is_configurable(project: Project) -> None:
    project.write("a.md", article_text(HARD))
    project.replace_in_config("min_words_for_grade: 100", "min_words_for_grade: 5000")
    assert not project.messages("KB401")


def test_grade_is_english_only_and_says_why(project: Project) -> None:
    project.write("a.md", article_text(HARD, lang="zh"))
    assert not project.messages("KB401")
    listing = CliRunner().invoke(main, ["rules", "KB401"]).output
    assert "Flesch-Kincaid grades are defined for English" in listing


def test_max_sentence_words_is_configurable(project: Project) -> None:
    body = article_text().replace("Ask your workspace administrator to give you permission.", LONG)
    project.write("a.md", body)
    assert not project.messages("KB404")  # 22 words
    project.replace_in_config("max_sentence_words: 25", "max_sentence_words: 15")
    assert any("has 22 words (limit 15)" in m for m in project.messages("KB404"))


def test_tone_suggests_the_playbook_wording(project: Project) -> None:
    project.write(
        "a.md", article_text().replace("Ask your workspace", "I don't know why. Ask your workspace")
    )
    (message,) = project.messages("KB403")
    assert "Let me find that for you" in message


def test_passive_exceptions_are_configurable(project: Project) -> None:
    body = article_text().replace("Ask your workspace", "A copy is printed for you. Ask your workspace")
    project.write("a.md", body)
    assert not project.messages("KB402")
    project.replace_in_config("passive_exceptions: [printed]", "passive_exceptions: []")
    assert project.messages("KB402") == [
        "passive voice 'is printed': it does not say who acts; name them if the reader needs to know"
    ]


def test_reading_grade_works_with_sockets_blocked(tmp_path: Path) -> None:
    """textstat 0.7.3 counts syllables with pyphen's bundled dictionaries; nothing is downloaded."""
    article = tmp_path / "kb_source" / "a.md"
    article.parent.mkdir()
    article.write_text(article_text(HARD), encoding="utf-8")
    (tmp_path / "site_config.yml").write_text(
        (RULE_FIXTURES / "site_config.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    script = textwrap.dedent(
        f"""
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network disabled for this test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        from datetime import date
        from pathlib import Path
        from generator.pipeline import check as checker
        from generator.config import load_config
        config = load_config(Path({str(tmp_path / "site_config.yml")!r}))
        result = checker.check(config, date(2026, 11, 23), selected=("KB401",), use_cache=False)
        print([f.message for f in result.findings])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "reading grade" in out and "(Flesch-Kincaid)" in out


def test_a_lazily_imported_module_loads_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    from generator.rules import grade as style

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    style._import_lazily("colorsys")
    stand_in = sys.modules["colorsys"]
    assert isinstance(stand_in, style._StandIn)
    assert importlib.import_module("colorsys") is stand_in  # importing again does not load it
    assert stand_in.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)  # first use does
    assert not isinstance(sys.modules["colorsys"], style._StandIn)
    style._import_lazily("no_such_module_anywhere")
    assert "no_such_module_anywhere" not in sys.modules


# Plain sentences around names the writer cannot shorten (issue 21: "a 109-word article with
# short sentences scores 10.6 because 'Microsoft Exchange Migration Workflow' appears four times").
NAMED = (
    "Restart the Microsoft Exchange Front End Transport Service on the server. Then open "
    "~/Library/Containers/com.microsoft.Outlook/Data/Library/Caches and delete the files. "
    "Set BasicAuthRequireTLS to false, and check System.Management.Automation in the log. "
) * 5 + "\n\nWWW-Authenticate: Negotiate  \nWWW-Authenticate: NTLM\n"


def test_names_paths_and_header_lines_do_not_raise_the_grade(project: Project) -> None:
    project.write("a.md", article_text(NAMED))
    assert not project.messages("KB401")  # 10.3 when the names counted as words
    project.write("a.md", article_text(NAMED + "\n\n" + HARD))
    assert project.messages("KB401")  # the writer's own hard sentences still count


TROUBLE = "Ask your workspace administrator to give you permission."


def test_a_name_ending_in_a_version_ends_at_the_full_stop(project: Project) -> None:
    # "Access 2010." ends a sentence: read as part of a name with "These", it merged two sentences.
    two = (
        "The compiled files work with every version of Microsoft Access 2010. These tables "
        "show which files open in which version, and what to do when one of them does not open."
    )
    project.write("a.md", article_text().replace(TROUBLE, two))
    assert not project.messages("KB404")
