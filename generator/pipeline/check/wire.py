"""What crosses process boundaries and sits in the cache: a file's payload, never its tokens.

Phase one turns each file into a Record. Its payload is JSON-shaped, as the cache stores it and
as cheap to send from a worker as anything:

- `kind`: "finding" when the file or front-matter rules found something in a file that has no
  article to check (no text, no fields to read), and then `stopped`: [[line, column, code,
  message]]. Otherwise "article", with
- `meta`, `body_line`, `field_lines`: the Article's fields but its body, which is sent on its
  own (or read again from the file, for a cached record);
- `sections` [[title, line, end line]], `links` [[line, kind, target, text]], `anchors` and
  `suppressions` [[code, reason, line]]: the article's Outline (model.py), all that the corpus
  index, the cross-article rules and the suppressions read;
- `local` [[line, column, code, message]]: what the article's own rules found, suppressions
  not applied;
- when the front-matter rules found something in it: `stopped`, what they found, and
  `unusable`, the fields its rules may not read (load.PartialFields): such an article is checked
  but is no page of the site, nor in the corpus index (`usable`);
- once cross-article rules ran on it: `corpus` [digest of the index, their findings] and
  `lookups` (lookups.py).

In the cache, what only cross-article rules read again (sections, field lines, links: most of the
bytes) is one JSON string, `views`, kept in a side file (cache.SIDE) that a re-check which
changes nothing never reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from generator.model import Article, Finding, Link, LinkKind, Outline, Section, Suppression, decoded
from generator.pipeline.check.cache import CheckCache
from generator.pipeline.expand import Expansion, Origin
from generator.pipeline.load import PartialFields, body_of
from generator.rules import REGISTRY

# What reading a damaged cache entry (or a file that went away since) raises.
DAMAGE = (KeyError, IndexError, TypeError, ValueError, AttributeError, UnicodeDecodeError, OSError)


class Record(NamedTuple):
    """A file after phase one."""

    path: str  # project-relative
    digest: str  # of its bytes; '' when they could not be read
    payload: dict[str, Any]
    # The body when the file was just loaded (the Article itself when the renderer wants it, its
    # parse kept); when the payload came from the cache, the file's bytes, or None if they were
    # not read (its signature matched).
    source: bytes | str | Article | None

    @property
    def fresh(self) -> bool:
        """Loaded in this run, not served by the cache."""
        return isinstance(self.source, (str, Article))


def stopped_payload(stopped: tuple[Finding, ...]) -> dict[str, Any]:
    return {"kind": "finding", "stopped": raw_findings(stopped)}


def article_payload(a: Article, found: list[Finding], stopped: tuple[Finding, ...] = ()) -> dict[str, Any]:
    outline = a.outline
    partial = {"stopped": raw_findings(stopped), "unusable": sorted(_unusable(a))} if stopped else {}
    return {
        "kind": "article",
        "meta": dict(a.meta),
        "body_line": a.body_line,
        "field_lines": dict(a.field_lines),
        "sections": [[s.title, s.line, s.end_line] for s in outline.sections],
        "links": [[k.line, k.kind.value, k.target, k.text] for k in outline.links],
        "anchors": list(outline.anchors),
        "suppressions": [[s.code, s.reason, s.line] for s in outline.suppressions],
        "local": raw_findings(found),
        **partial,
        **_expansion(a),
    }


def _expansion(a: Article) -> dict[str, Any]:
    """An expanded body (pipeline/expand/) and where its lines came from: a cached record's file
    holds the body before expansion."""
    done = a.expansion
    if done is None:
        return {}
    origins = [[o.line, o.snippet, o.snippet_line] for o in done.origins]
    uses = {"snippets": list(done.snippets), "variables": list(done.variables)}
    return {"expansion": {"body": done.body, "origins": origins, **uses}}


def _unusable(a: Article) -> frozenset[str]:
    return a.meta.unusable if isinstance(a.meta, PartialFields) else frozenset()


def usable(payload: dict[str, Any]) -> bool:
    """Whether a payload is of an article the site shows: one whose file and front matter the
    rules found nothing in."""
    return payload["kind"] == "article" and "stopped" not in payload


def raw_findings(found: Iterable[Finding]) -> list[list[Any]]:
    return [[f.line, f.column, f.rule, f.message] for f in found]


VIEWS = ("sections", "field_lines", "links")


def packed(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as cached: its VIEWS as one JSON string, which loading the cache does not
    unpack."""
    if "links" not in payload:
        return payload
    kept = {k: v for k, v in payload.items() if k not in VIEWS}
    kept["views"] = json.dumps([payload[k] for k in VIEWS], separators=(",", ":"))
    return kept


def findings(rel: str, raw: list[list[Any]]) -> list[Finding]:
    return [
        Finding(rel, int(n), int(c), str(code), REGISTRY[str(code)].default, str(m)) for n, c, code, m in raw
    ]


def stopped(rel: str, payload: dict[str, Any]) -> list[Finding]:
    """What the file and front-matter rules found in a file (none in a usable article)."""
    return findings(rel, payload.get("stopped", []))


def suppressions(payload: dict[str, Any]) -> tuple[Suppression, ...]:
    return tuple(Suppression(str(c), str(r), int(n)) for c, r, n in payload["suppressions"])


def article(record: Record, cache: CheckCache | None, root: Path) -> Article:
    """The article of a record of kind "article": the one phase one loaded, or one made of its
    payload and body, outline known. A cached record's body is read from its bytes (or its file,
    when its signature spared reading it), its views from the cache's side file; damage raises
    one of DAMAGE."""
    rel, digest, payload, source = record
    if isinstance(source, Article):
        return source
    if not isinstance(source, str):
        if cache is None:
            raise ValueError(f"{rel}: a cached record without its cache")
        payload = {**payload, "views": cache.side_of(rel, digest, "views")}
        text = decoded((root / rel).read_bytes() if source is None else source)
        source = body_of(text, int(payload["body_line"]))
    done = payload.get("expansion")
    expansion = None
    if done is not None:
        origins = tuple(Origin(int(n), str(s), int(k)) for n, s, k in done["origins"])
        source = str(done["body"])
        uses = tuple(map(str, done.get("snippets", []))), tuple(map(str, done.get("variables", [])))
        expansion = Expansion(source, origins, (), *uses)
    sections, field_lines, links = _views(payload)
    outline = Outline(
        sections=tuple(Section(str(title), int(line), int(end)) for title, line, end in sections),
        links=tuple(Link(int(n), LinkKind(kind), str(to), str(text)) for n, kind, to, text in links),
        anchors=tuple(str(a) for a in payload["anchors"]),
        suppressions=suppressions(payload),
    )
    meta = dict(payload["meta"])
    unusable = payload.get("unusable")
    return Article(
        path=rel,
        meta=PartialFields(meta, frozenset(map(str, unusable))) if unusable is not None else meta,
        body=source,
        body_line=int(payload["body_line"]),
        field_lines={str(k): int(v) for k, v in field_lines.items()},
        digest=digest,
        known=outline,
        expansion=expansion,
    )


def _views(payload: dict[str, Any]) -> tuple[list[Any], dict[str, Any], list[Any]]:
    packed = payload.get("views")
    views = json.loads(packed) if isinstance(packed, str) else [payload[k] for k in VIEWS]
    sections, field_lines, links = views
    return sections, field_lines, links
