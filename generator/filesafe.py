"""Whether an image or attachment is safe to publish beside the pages. Opened on its own (a link
to it, "open image in new tab"), a file a browser runs (an HTML page, a script, an SVG with a
script in it) runs on the site's domain, with the reader's session.

Files browsers run are refused by their suffix. An SVG is read with expat, never with patterns:
scripts, event handlers, embedded HTML (`foreignObject`), references to other sites, style sheets
loaded from elsewhere, and a DOCTYPE that declares entities (refused before they are expanded).
Used by KB309 at check time and by staging, which never copies a file with a problem (if KB309
was turned off)."""

from __future__ import annotations

import xml.parsers.expat
from pathlib import Path

from generator.urlsafe import unsafe_url

MAX_SVG_BYTES = 2_000_000
_SVG_UNSAFE = frozenset(("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"))


# Files a browser shows as a page or runs as a script when opened from the site.
RUNNABLE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".svgz", ".xsl", ".xslt")


def file_problems(path: Path) -> list[str]:
    """What makes the image or attachment at `path` unsafe to publish; [] when nothing does."""
    name = path.name.lower()
    if name.endswith(RUNNABLE_SUFFIXES):
        return [
            f"a {name.rsplit('.', 1)[-1]} file runs in the reader's browser when opened from the site: "
            "publish it as a page, or as a .zip or .txt download"
        ]
    return svg_problems(path) if name.endswith(".svg") else []


def svg_problems(path: Path) -> list[str]:
    """What makes the SVG file at `path` unsafe to publish, each with its line in the file."""
    try:
        if path.is_symlink() or not path.is_file():
            return []  # KB112 reports a missing file; a link is never copied
        data = path.read_bytes()[: MAX_SVG_BYTES + 1]
    except OSError as exc:
        return [f"cannot be read: {exc.strerror or exc}"]
    if len(data) > MAX_SVG_BYTES:
        return [f"is larger than {MAX_SVG_BYTES // 1_000_000} MB: export it as PNG"]
    reader = _SvgReader()
    try:
        reader.parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        reader.problems.append(
            f"line {exc.lineno}: not well-formed XML ({xml.parsers.expat.errors.messages[exc.code]})"
        )
    except _Refused:
        pass
    return reader.problems


class _Refused(Exception):
    """A DOCTYPE with entities: reading on could expand them without end."""


class _SvgReader:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EntityDeclHandler = self._entity
        self.parser.ProcessingInstructionHandler = self._instruction
        self.parser.CharacterDataHandler = self._text
        self._in_style = False

    def _where(self) -> str:
        return f"line {self.parser.CurrentLineNumber}"

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1].lower()
        self._in_style = local == "style"
        if local in _SVG_UNSAFE:
            self.problems.append(f"{self._where()}: <{name}> is not allowed in an SVG")
        for attr, value in attrs.items():
            bare = attr.rsplit(":", 1)[-1].lower()
            if bare.startswith("on"):
                self.problems.append(f"{self._where()}: the event handler {attr}= is not allowed in an SVG")
            elif bare in ("href", "src") and local == "a":
                if scheme := unsafe_url(value):
                    self.problems.append(f"{self._where()}: a {scheme} link is not allowed in an SVG")
            elif bare in ("href", "src") and not value.strip().startswith("#"):
                self.problems.append(f'{self._where()}: {attr}="{value[:60]}" refers outside the image')
            elif bare == "style" and "url(" in value.lower() and not _local_urls(value):
                self.problems.append(f"{self._where()}: url(...) in style= refers outside the image")

    def _text(self, data: str) -> None:
        lowered = data.lower()
        if self._in_style and ("@import" in lowered or ("url(" in lowered and not _local_urls(data))):
            self.problems.append(f"{self._where()}: the <style> refers outside the image")

    def _entity(self, name: str, *args: object) -> None:
        self.problems.append(f"{self._where()}: a DOCTYPE that declares entities ({name}) is not allowed")
        raise _Refused

    def _instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.problems.append(f"{self._where()}: <?xml-stylesheet?> loads a style sheet from elsewhere")


def _local_urls(css: str) -> bool:
    """Whether every url(...) in `css` points inside the image (`url(#gradient)`)."""
    return all(part.strip().strip("'\"").startswith("#") for part in css.lower().split("url(")[1:])
