"""What articles may use besides their own text: the variables of `<source>/_data/*.yml` (one
namespace per file, named by its stem) and the snippets of `<source>/_snippets/*.md`.

Read once per process and source folder (`library_for`, what the loader asks for each file:
a check of 10,000 articles reads the folders once), and looked at again when a check, a build or
a preview starts (`refresh`: read again when one of those files changed: their names, sizes and
modification times are the key). A file that cannot be used is no traceback: it is a problem
the articles that use it are told about (rules/expansion.py), with the file and line.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import decoded
from generator.yamlsafe import YamlError, load_yaml

DATA_DIR = "_data"
SNIPPETS_DIR = "_snippets"
# Folders of the source folder that hold no pages: the loader does not list their files.
NOT_PAGES = frozenset({DATA_DIR, SNIPPETS_DIR})


@dataclass(frozen=True)
class Snippet:
    """A reusable piece of Markdown. `body_line`: the file line its body starts on."""

    path: str  # project-relative, as findings name it
    audience: str  # public or internal ('' when its front matter does not say)
    body: str
    body_line: int
    problem: str = ""  # why it cannot be included ('' when it can)


@dataclass(frozen=True)
class Library:
    data: Mapping[str, Any] = field(default_factory=dict)  # namespace -> its YAML
    # namespace -> why its file cannot be used ("kb_source/_data/plans.yml:3: ...")
    broken: Mapping[str, str] = field(default_factory=dict)
    snippets: Mapping[str, Snippet] = field(default_factory=dict)  # file name -> snippet
    digest: str = ""  # of every file above: part of the check cache's key

    def names(self) -> list[str]:
        """Every name a template may use, dotted (`plans`, `plans.enterprise`, ...)."""
        out: list[str] = []

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                out.append(prefix)
                for key, inner in value.items():
                    walk(f"{prefix}.{key}", inner)
            else:
                out.append(prefix)

        for name, value in self.data.items():
            walk(name, value)
        return out


EMPTY = Library()
_memo: dict[str, tuple[tuple[Any, ...], Library]] = {}


def library_for(source: Path, project_root: Path) -> Library:
    """The library of the source folder `source` as this process last read it (`refresh`)."""
    found = _memo.get(str(source))
    return found[1] if found is not None else refresh(source, project_root)


def refresh(source: Path, project_root: Path) -> Library:
    """The library of the source folder `source`, read again if its files changed since."""
    files = _files(source)
    key = tuple((str(p), *_stamp(p)) for p in files)
    found = _memo.get(str(source))
    if found is not None and found[0] == key:
        return found[1]
    library = _read(source, project_root, files) if files else EMPTY
    _memo[str(source)] = (key, library)
    return library


def _files(source: Path) -> list[Path]:
    out: list[Path] = []
    for folder, suffixes in ((DATA_DIR, (".yml", ".yaml")), (SNIPPETS_DIR, (".md",))):
        try:
            with os.scandir(source / folder) as listing:
                out.extend(Path(e.path) for e in listing if e.name.endswith(suffixes) and e.is_file())
        except OSError:
            continue  # no such folder: nothing to use
    return sorted(out)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _read(source: Path, project_root: Path, files: list[Path]) -> Library:
    data: dict[str, Any] = {}
    broken: dict[str, str] = {}
    snippets: dict[str, Snippet] = {}
    digest = hashlib.sha256()
    for path in files:
        rel = path.relative_to(project_root).as_posix() if path.is_relative_to(project_root) else str(path)
        try:
            raw = path.read_bytes()
            text = decoded(raw)
        except (OSError, UnicodeDecodeError) as exc:
            raw, text = b"", None
            why = f"{rel}:1: cannot be read as UTF-8 text ({exc.__class__.__name__})"
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        if path.parent.name == DATA_DIR:
            name = path.stem
            if text is None:
                broken[name] = why
                continue
            try:
                value = load_yaml(text)
            except YamlError as exc:
                broken[name] = f"{rel}:{exc.line}: not valid YAML: {exc.message}"
                continue
            if not isinstance(value, dict):
                broken[name] = f"{rel}:1: must be a mapping of names to values"
                continue
            data[name] = value
        else:
            snippets[path.name] = _snippet(rel, text) if text is not None else Snippet(rel, "", "", 1, why)
    return Library(data, broken, snippets, digest.hexdigest())


def _snippet(rel: str, text: str) -> Snippet:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return Snippet(rel, "", text, 1, f"{rel}:1: starts with no front matter saying its audience")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        return Snippet(rel, "", "", 1, f"{rel}:1: its front matter is never closed ('---')")
    body = "\n".join(lines[close + 1 :])
    try:
        fields = load_yaml("\n".join(lines[1:close]))
    except YamlError as exc:
        return Snippet(rel, "", body, close + 2, f"{rel}:{exc.line + 1}: front matter is not valid YAML")
    audience = fields.get("audience") if isinstance(fields, dict) else None
    if audience not in ("public", "internal"):
        problem = f"{rel}:2: front matter must say `audience: public` or `audience: internal`"
        return Snippet(rel, "", body, close + 2, problem)
    return Snippet(rel, str(audience), body, close + 2)
