"""Variables and snippets (pipeline/expand/): what an article's body becomes, and every way it
can go wrong as a Problem at a line, never a traceback."""

from __future__ import annotations

import pytest

from generator.pipeline.expand import SNIPPET, VARIABLE, Expansion, Origin, expand, needed
from generator.pipeline.expand.library import Library, Snippet

PLANS = {
    "enterprise": {"name": "Enterprise", "p1_first_response": "4 hours"},
    "starter": {"name": "Starter", "p1_first_response": "24 hours", "seats": 5},
}
SNIPPETS = {
    "contact.md": Snippet("kb_source/_snippets/contact.md", "public", "Write to {{ contact.email }}.\n", 4),
    "rows.md": Snippet("kb_source/_snippets/rows.md", "public", "| A | 1 |\n| B | 2 |", 4),
    "agents.md": Snippet("kb_source/_snippets/agents.md", "internal", "Call the duty manager.", 4),
    "outer.md": Snippet("kb_source/_snippets/outer.md", "public", 'First.\n{% include "inner.md" %}', 4),
    "inner.md": Snippet("kb_source/_snippets/inner.md", "public", 'Second.\n{% include "outer.md" %}', 4),
    "leaky.md": Snippet("kb_source/_snippets/leaky.md", "public", '{% include "agents.md" %}', 4),
    "bare.md": Snippet(
        "kb_source/_snippets/bare.md", "", "x", 1, "kb_source/_snippets/bare.md:1: no front matter"
    ),
}
LIBRARY = Library(
    data={"plans": PLANS, "contact": {"email": "support@example.com"}},
    broken={"prices": "kb_source/_data/prices.yml:3: not valid YAML: mapping values are not allowed here"},
    snippets=SNIPPETS,
)


def run(body: str, internal: bool = False) -> Expansion:
    return expand(body, LIBRARY, internal)


def messages(found: Expansion, kind: str) -> list[tuple[int, str]]:
    return [(p.index, p.message) for p in found.problems if p.kind == kind]


def test_variables_are_printed_and_nothing_else_changes() -> None:
    body = "Enterprise: {{ plans.enterprise.p1_first_response }}; {{ plans.starter.seats }} seats.\n"
    body += "\n## Tips {#tips}\n"
    found = run(body)
    assert found.body == "Enterprise: 4 hours; 5 seats.\n\n## Tips {#tips}\n"
    assert found.problems == () and found.origins == ()


def test_a_body_without_templates_needs_nothing() -> None:
    assert not needed("Plain text with {braces} and a {#heading-id}.")
    assert needed("{{ x }}") and needed('{% include "a.md" %}')


@pytest.mark.parametrize(
    "code",
    [
        "```\n{{ customer_name }}\n```",
        "~~~yaml\nvalue: {{ secret }}\n{% if x %}\n~~~",
        "Intro:\n\n    {{ indented_code }}",
        "Use `{{ name }}` in your template, or ``{% raw %}``.",
        "1. Step:\n\n    ```\n    {{ in_a_list }}\n    ```",
    ],
)
def test_code_is_left_as_written(code: str) -> None:
    found = run(code + "\n\nPrice: {{ plans.starter.name }}.")
    assert found.problems == ()
    assert found.body == code + "\n\nPrice: Starter."


def test_raw_keeps_braces_outside_code() -> None:
    assert run("{% raw %}{{ not_a_variable }}{% endraw %}").body == "{{ not_a_variable }}"


def test_unknown_names_are_all_reported_with_the_closest_defined() -> None:
    found = run(
        "Line one.\n{{ plans.enterprize.p1_first_response }}\n{{ contakt.email }} {{ nothing_like_it }}"
    )
    assert messages(found, VARIABLE) == [
        (1, "'plans.enterprize' is not defined; did you mean 'plans.enterprise'?"),
        (2, "'contakt' is not defined; did you mean 'contact'?"),
        (2, "'nothing_like_it' is not defined (the data defines: contact, plans)"),
    ]
    assert "{{ plans.enterprize" in found.body  # left as written: the check goes on with the text


def test_a_mapping_or_list_is_not_printed() -> None:
    found = run("{{ plans.enterprise }}")
    assert messages(found, VARIABLE) == [
        (0, "'plans.enterprise' is a mapping, not a string or number: name one value in it")
    ]
    # A value worked out at render time is held to the same: a method's list is not printed.
    assert messages(run("{{ plans.starter.name.split() }}"), VARIABLE) == [
        (0, "a variable prints a list, not a string or number: name one value inside it")
    ]


def test_a_data_file_that_is_not_yaml_is_named_with_its_line() -> None:
    assert messages(run("\n{{ prices.starter }}"), VARIABLE) == [
        (
            1,
            "'prices' cannot be used: kb_source/_data/prices.yml:3: "
            "not valid YAML: mapping values are not allowed here",
        )
    ]


def test_syntax_errors_are_reported_at_their_line() -> None:
    ((index, message),) = messages(run("Fine.\n\nBroken {{ plans.starter.name "), VARIABLE)
    assert index == 2 and message.startswith("template syntax error")


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("{{ ''.__class__.__mro__ }}", "refused by the sandbox"),
        ("{{ contact.email.__class__ }}", "refused by the sandbox"),
        ("{{ 9 ** 9 ** 9 }}", "'**' is not allowed"),
        ("{{ 'x' * 1000000000 }}", "'*' is not allowed"),
        ("{{ cycler.__init__.__globals__ }}", "refused by the sandbox"),
    ],
)
def test_the_sandbox_refuses_python(template: str, said: str) -> None:
    ((_, message),) = messages(run(template), VARIABLE)
    assert said in message


def test_a_snippet_is_included_with_the_lines_it_came_from() -> None:
    found = run('Intro.\n{% include "contact.md" %}\nEnd.')
    assert found.body == "Intro.\nWrite to support@example.com.\nEnd."
    assert found.origins == (Origin(0), Origin(1, "kb_source/_snippets/contact.md", 4), Origin(2))
    assert found.place(1) == (1, "kb_source/_snippets/contact.md:4")
    assert found.snippets == ("contact.md",)


def test_a_snippet_takes_the_indentation_of_its_include_line() -> None:
    body = '1. Compare:\n\n    | Plan | Reply |\n    | --- | --- |\n    {% include "rows.md" %}\n\n2. Done.'
    assert (
        run(body).body
        == "1. Compare:\n\n    | Plan | Reply |\n    | --- | --- |\n    | A | 1 |\n    | B | 2 |\n\n2. Done."
    )


def test_an_internal_snippet_is_refused_in_public_text() -> None:
    ((index, message),) = messages(run('Text.\n{% include "agents.md" %}'), SNIPPET)
    assert index == 1 and "is internal" in message
    nested = messages(run('{% include "leaky.md" %}'), SNIPPET)
    assert len(nested) == 1 and "'agents.md' is internal" in nested[0][1]


def test_an_internal_snippet_may_go_in_an_agent_note_or_an_internal_article() -> None:
    note = '!!! internal "Agent note"\n    {% include "agents.md" %}\n'
    assert run(note).body == '!!! internal "Agent note"\n    Call the duty manager.\n'
    assert run(note).problems == ()
    assert run('{% include "agents.md" %}', internal=True).body == "Call the duty manager."


def test_a_snippet_that_includes_itself_is_refused() -> None:
    found = run('{% include "outer.md" %}')
    assert messages(found, SNIPPET) == [
        (2, "snippet 'outer.md' includes itself (outer.md -> inner.md -> outer.md): it would never end")
    ]
    assert found.body == "First.\nSecond.\n"


def test_a_missing_or_broken_snippet_is_reported() -> None:
    assert messages(run('{% include "contacts.md" %}'), SNIPPET) == [
        (0, "no snippet 'contacts.md' in _snippets/; did you mean 'contact.md'?")
    ]
    assert (
        "cannot be used: kb_source/_snippets/bare.md:1"
        in messages(run('{% include "bare.md" %}'), SNIPPET)[0][1]
    )


def test_an_include_inside_a_line_is_refused() -> None:
    ((_, message),) = messages(run('See {% include "contact.md" %} now.'), VARIABLE)
    assert "on a line of its own" in message
