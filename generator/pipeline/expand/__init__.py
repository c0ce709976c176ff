"""Variables and snippets: an article's body as written -> the body every later step reads.

Before Markdown is read (the same in `kb check` and `kb build`: the loader does it), a body that
holds `{{` or `{%` is expanded:

1. Code is left alone: the lines of fenced and indented code blocks (as the parser reads them)
   and inline code spans are set aside before anything else, so a code sample shows `{{ x }}`
   as written. Elsewhere, `{% raw %}...{% endraw %}` keeps text as typed.
2. A line that is only `{% include "name.md" %}` becomes the lines of `_snippets/name.md`, each
   indented as the include line is (so a snippet can sit in a list item or an agent note),
   itself expanded the same way. An include anywhere else in a line is refused.
3. The whole is rendered with Jinja2 in a sandbox (no `_` attributes, no `**` or `*`), with
   `StrictUndefined`; every `{{ }}` must print a string or a number. Names are checked against
   the data before rendering, so that each unknown one is reported with the closest defined.

What goes wrong is a Problem at a line of the expanded body; `Expansion.origins` tells which line
of the article (and of which snippet) each expanded line came from, and the check reports there
(rules/expansion.py, check/run.py). `{#` is no comment here: `## Heading {#id}` is Markdown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import DictLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from generator.mdparse import internal_lines, parse
from generator.model import Article
from generator.pipeline.expand.library import Library

VARIABLE = "variable"
SNIPPET = "snippet"


@dataclass(frozen=True)
class Origin:
    """Where an expanded line came from: body line `line` (0-based) of the article, and for a
    snippet's text the snippet and its file line."""

    line: int
    snippet: str = ""
    snippet_line: int = 0


@dataclass(frozen=True)
class Problem:
    index: int  # 0-based line of the expanded body
    kind: str  # VARIABLE or SNIPPET
    message: str


@dataclass(frozen=True)
class Expansion:
    body: str
    origins: tuple[Origin, ...] = ()  # one per line of `body`; () when each is the article's own
    problems: tuple[Problem, ...] = ()
    snippets: tuple[str, ...] = field(default=())  # file names included, in order
    variables: tuple[str, ...] = ()  # the data's names used, dotted, sorted (`kb report reuse`)

    def place(self, index: int) -> tuple[int, str]:
        """Body line `index` of the expanded body -> the article's body line, and where in a
        snippet it came from ('' for the article's own text)."""
        if not self.origins:
            return index, ""
        origin = self.origins[min(max(index, 0), len(self.origins) - 1)]
        where = f"{origin.snippet}:{origin.snippet_line}" if origin.snippet else ""
        return origin.line, where


def needed(body: str) -> bool:
    """Whether a body holds anything to expand: most hold nothing, and cost one search."""
    return "{{" in body or "{%" in body


def expand(body: str, library: Library, internal: bool) -> Expansion:
    """`body` expanded with `library`; `internal`: the article is for agents only (any snippet
    may be included in it)."""
    out = _Out()
    _add(body, "", internal, (), lambda k: Origin(k), library, out)
    text = "\n".join(out.lines)
    used: set[str] = set()
    rendered = _render(text, library, out.problems, used)
    result = _restore(rendered if rendered is not None else text, out.saved)
    included = any(o.snippet for o in out.origins)
    same_lines = result.count("\n") + 1 == len(out.origins)
    origins = tuple(out.origins) if included and same_lines else ()
    return Expansion(result, origins, tuple(out.problems), tuple(out.included), tuple(sorted(used)))


# A placeholder for code set aside: NUL never reaches a body (KB001 refuses it).
_SAVED = re.compile(r"\x00(\d+)\x00")
_INCLUDE = re.compile(r"""^([ \t]*)\{%-?\s*include\s+(["'])([^"'\n]+)\2\s*-?%\}\s*$""")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    included: list[str] = field(default_factory=list)

    def keep(self, text: str) -> str:
        self.saved.append(text)
        return f"\x00{len(self.saved) - 1}\x00"


def _add(
    text: str,
    indent: str,
    hidden: bool,
    stack: tuple[str, ...],
    where: Callable[[int], Origin],
    library: Library,
    out: _Out,
) -> None:
    """The lines of `text` into `out`, code set aside and snippets included; `hidden`: the text
    is for agents only; `stack`: the snippets being included, outermost first."""
    lines = text.split("\n")
    code = _code_lines(text) if "`" in text or "~~~" in text or "    " in text or "\t" in text else set()
    agent_only = internal_lines(lines) if "!!!" in text else frozenset()
    for k, line in enumerate(lines):
        origin = where(k)
        if k in code:
            out.lines.append(out.keep(indent + line))
            out.origins.append(origin)
            continue
        include = _INCLUDE.match(line) if "include" in line else None
        if include is None:
            masked = _CODE_SPAN.sub(lambda m: out.keep(m[0]), line) if "`" in line else line
            out.lines.append(indent + masked if masked else masked)
            out.origins.append(origin)
            continue
        name = include[3].strip()
        snippet = library.snippets.get(name)
        why = _refused(name, snippet, stack, hidden or k in agent_only, library)
        if why or snippet is None:
            out.problems.append(Problem(len(out.lines), SNIPPET, why))
            out.lines.append("")
            out.origins.append(origin)
            continue
        out.included.append(name)
        inner = hidden or k in agent_only or snippet.audience == "internal"
        _add(
            snippet.body.removesuffix("\n"),
            indent + include[1],
            inner,
            (*stack, name),
            lambda j, o=origin, s=snippet: Origin(o.line, s.path, s.body_line + j),
            library,
            out,
        )


def _refused(name: str, snippet: Any, stack: tuple[str, ...], hidden: bool, library: Library) -> str:
    if snippet is None:
        close = difflib.get_close_matches(name, list(library.snippets), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"no snippet '{name}' in _snippets/{hint}"
    if name in stack:
        chain = " -> ".join((*stack, name))
        return f"snippet '{name}' includes itself ({chain}): it would never end"
    if snippet.problem:
        return f"snippet '{name}' cannot be used: {snippet.problem}"
    if snippet.audience == "internal" and not hidden:
        return (
            f"snippet '{name}' is internal (agents only) and this is public text: include it inside "
            "an `!!! internal` note, or make the snippet public"
        )
    return ""


def _code_lines(text: str) -> set[int]:
    """Indexes of the lines of code blocks, as the parser reads them."""
    found: set[int] = set()
    for tok in parse(text):
        if tok.type in ("fence", "code_block") and tok.map:
            found.update(range(tok.map[0], tok.map[1]))
    return found


def _restore(text: str, saved: list[str]) -> str:
    return _SAVED.sub(lambda m: saved[int(m[1])], text) if saved else text


class _NotScalar(Exception):
    pass


def _scalar(value: Any) -> Any:
    """Every `{{ }}`'s value: a string or a number, never a mapping, list, method or nothing."""
    if isinstance(value, Undefined):
        str(value)  # raises why it is undefined (StrictUndefined), or what the sandbox refused
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _NotScalar(type(value).__name__)
    return value


class _Sandbox(SandboxedEnvironment):
    # `9 ** 9 ** 9` or `'x' * 10 ** 9` would stop the check for good: a template prints values.
    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(
            f"the operator '{operator}' is not allowed in an article: compute the value in _data/"
        )


_ENV = _Sandbox(
    loader=DictLoader({}),  # an include the line scan did not take is refused, not read
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
    finalize=_scalar,
    comment_start_string="{##",  # `{#id}` is a heading id in Markdown, not a comment
    comment_end_string="##}",
)
_BUILT_IN = frozenset(
    {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "self", "true", "false"}
)


def _render(text: str, library: Library, problems: list[Problem], used: set[str]) -> str | None:
    """The rendered text, or None when it cannot be (its problems added); the data's names it
    uses go in `used`."""
    if not needed(text):
        return text
    try:
        tree = _ENV.parse(text)
        found = list(_unknown(tree, library, used))
    except TemplateSyntaxError as exc:
        problems.append(Problem((exc.lineno or 1) - 1, VARIABLE, f"template syntax error: {exc.message}"))
        return None
    except RecursionError:
        # Jinja's parser recurses once per nested brace: thousands of `{` are no template.
        line = text.count("\n", 0, max(text.find("{"), 0))
        problems.append(Problem(line, VARIABLE, "braces nested too deeply to be a variable: remove them"))
        return None
    if found:
        problems.extend(Problem(line - 1, VARIABLE, message) for line, message in found)
        return None
    try:
        return _ENV.from_string(tree).render(library.data)
    except Exception as exc:
        problems.append(Problem(_template_line(exc) - 1, VARIABLE, _why(exc)))
        return None


def _why(exc: Exception) -> str:
    if isinstance(exc, _NotScalar):
        return f"a variable prints a {exc}, not a string or number: name one value inside it"
    if isinstance(exc, SecurityError):
        return f"refused by the sandbox: {exc}"
    if isinstance(exc, TemplateNotFound):
        return 'an include must be on a line of its own: {% include "name.md" %}'
    return f"the template cannot be rendered: {exc.__class__.__name__}: {exc}"


def _template_line(exc: BaseException) -> int:
    line, tb = 1, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _unknown(tree: nodes.Template, library: Library, used: set[str]) -> Iterator[tuple[int, str]]:
    """(line, message) for each name the data does not define, and each printed value that is a
    mapping or list: all of them at once, before rendering stops at the first. The names that
    are defined go in `used`."""
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names: list[str] | None = None
    for node, printed in _chains(tree, False):
        path = _path(node)
        if path is None or path[0] in bound or path[0] in _BUILT_IN:
            continue
        if path[0] in library.broken:
            yield node.lineno, f"'{path[0]}' cannot be used: {library.broken[path[0]]}"
            continue
        value: Any = library.data
        for depth, part in enumerate(path):
            if not isinstance(value, dict):
                used.add(".".join(path[:depth]))
                break  # a method or item of a value: the sandbox decides
            if part not in value:
                names = library.names() if names is None else names
                dotted = ".".join(path[: depth + 1])
                close = difflib.get_close_matches(dotted, names, n=1, cutoff=0.4)
                hint = f"; did you mean '{close[0]}'?" if close else _defined(library)
                yield node.lineno, f"'{dotted}' is not defined{hint}"
                break
            value = value[part]
        else:
            used.add(".".join(path))
            if printed and isinstance(value, dict | list):
                kind = "mapping" if isinstance(value, dict) else "list"
                yield (
                    node.lineno,
                    f"'{'.'.join(path)}' is a {kind}, not a string or number: name one value in it",
                )


def _defined(library: Library) -> str:
    spaces = ", ".join(sorted(library.data))
    return (
        f" (the data defines: {spaces})" if spaces else " (there is no data: add kb_source/_data/<name>.yml)"
    )


def _chains(node: nodes.Node, printed: bool) -> Iterator[tuple[nodes.Node, bool]]:
    """The outermost name chains (`a.b['c']`) in the tree, each with whether it is printed."""
    if _path(node) is not None:
        yield node, printed
        return
    for child in node.iter_child_nodes():
        yield from _chains(child, isinstance(node, nodes.Output))


def _path(node: nodes.Node) -> list[str] | None:
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return [node.name]
    if isinstance(node, nodes.Getattr):
        inner = _path(node.node)
        return None if inner is None else [*inner, node.attr]
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        inner = _path(node.node)
        return None if inner is None else [*inner, node.arg.value]
    return None


def expanded(article: Article, library: Library) -> Article:
    """`article` with its body expanded (Article.expansion says how), or as it is when its body
    holds nothing to expand. An article whose audience cannot be read counts as public."""
    if not needed(article.body):
        return article
    try:
        internal = article.meta.get("audience") == "internal"
    except Exception:
        internal = False
    found = expand(article.body, library, internal)
    return replace(article, body=found.body, expansion=found, known=None)


def relocated(article: Article, line: int, message: str) -> tuple[int, str]:
    """A finding's file line in the expanded body -> the line of the article's file it came from,
    and its message naming the snippet line too when the text came from a snippet."""
    expansion = article.expansion
    index = line - article.body_line
    if expansion is None or not expansion.origins or not 0 <= index < len(expansion.origins):
        return line, message
    own, where = expansion.place(index)
    return article.body_line + own, f"{message} [from {where}]" if where else message
