"""`kb rules` and the internal site's rules reference: every rule's registration and docstring, as
text or Markdown."""

from __future__ import annotations

from collections.abc import Iterable

from generator.rules import Rule


def reference(rules: Iterable[Rule], markdown: bool = False) -> str:
    """The rules reference, generated from each rule's registration and docstring."""
    out: list[str] = []
    for r in rules:
        scope = []
        if r.public_only:
            scope.append("public pages only")
        if len(r.types) == 1:
            scope.append(f"type: {next(iter(r.types)).value} only")
        if r.languages is not None:
            scope.append(f"languages: {', '.join(sorted(r.languages))}")
        if r.skip_note:
            scope.append(f"skipped elsewhere: {r.skip_note}")
        if r.fix is not None:
            scope.append("fixable: kb check --fix")
        if markdown:
            out.append(f"## {r.code} `{r.alias}`\n")
            out.append(
                f"Default severity: **{r.default.value}**"
                + (f" · {'; '.join(scope)}" if scope else "")
                + "\n"
            )
            out.append(r.doc + "\n")
        else:
            out.append(
                f"{r.code}  {r.alias}  [{r.default.value}]" + (f"  ({'; '.join(scope)})" if scope else "")
            )
            out.extend("    " + line if line else "" for line in r.doc.splitlines())
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
