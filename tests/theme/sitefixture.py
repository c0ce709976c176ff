"""A tiny staged site shaped like the pipeline's output (front matter with `kb:` meta, generated
mkdocs.yml) for building with the real theme."""

from __future__ import annotations

import html
import json
from pathlib import Path

import yaml

from generator.config import Language
from generator.pipeline.stage.languages import strings

THEME = Path(__file__).resolve().parents[2] / "theme"

CONTACT = [
    {
        "channel": "email",
        "label": "Email",
        "value": "support@dataflow.example",
        "plans": ["Starter", "Professional", "Enterprise"],
    },
    {"channel": "phone", "label": "Phone", "value": "+1 555 0100", "plans": ["Professional", "Enterprise"]},
    {
        "channel": "chat",
        "label": "Chat",
        "value": "https://help.dataflow.example/chat",
        "plans": ["Professional", "Enterprise"],
    },
]

RESET_BODY = """\
<div class="kb-part kb-part--prerequisites" markdown>

## Prerequisites

- The email address you use to sign in to DataFlow.

</div>

<div class="kb-part kb-part--steps" markdown>

## Steps

1. Go to the sign-in page and select **Forgot password?**.

    ![The sign-in page with the Forgot password link](images/sign-in.svg)

2. Enter your work email address and select **Send reset link**.

</div>

<div class="kb-part kb-part--tips" markdown>

## Tips

- Use a password manager.

</div>

<div class="kb-part kb-part--troubleshooting" markdown>

## Troubleshooting

### The reset email doesn't arrive

Check your spam folder.

</div>
"""

SYNC_BODY = """\
## Steps

1. Open **Settings** and select **Connections**.
2. Select **Reconnect** next to the failing source.
"""

# Only the internal stage keeps agent notes; the public one has them removed before rendering.
AGENT_NOTE = """
!!! internal "Agent note"
    Check the sync log in the admin console before escalating.
"""

HOME_BODY = """\
<div class="grid cards" markdown>

-   [Sign-in and account](category/account.md)

    ---

    Passwords and sign-in. 2 articles

</div>

## Featured articles

- [How do I reset my password?](reset-password.md)
"""


def _page(docs: Path, name: str, title: str, description: str, kb: dict, body: str) -> None:
    # As kb stages them: title and description are HTML (Material prints them as they are), kb: is text.
    meta = {"title": html.escape(title), "description": html.escape(description), "kb": kb}
    front = yaml.safe_dump(meta, allow_unicode=True)
    path = docs / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")


def _jsonld(type_: str, name: str, description: str) -> str:
    return json.dumps(
        {"@context": "https://schema.org", "@type": type_, "name": name, "description": description},
        ensure_ascii=False,
    )


def write_site(root: Path, audience: str = "public", lang: str = "en") -> Path:
    """Write docs/ and mkdocs.yml under `root`; return the mkdocs.yml path."""
    base = "https://help.dataflow.example/" if audience == "public" else "https://agents.dataflow.example/"
    if lang != "en":
        base += f"{lang}/"
    docs = root / "docs"
    (docs / "images").mkdir(parents=True, exist_ok=True)
    (docs / "images" / "sign-in.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    )
    common = {"audience": "public", "lang": lang, "site_audience": audience, "contact": CONTACT}
    category = {"id": "account", "title": "Sign-in and account", "url": "category/account/"}
    reset_title = "如何重置密码？" if lang == "zh" else "How do I reset my password?"
    reset_summary = (
        "您可以在登录页面上设置新密码。"
        if lang == "zh"
        else "You can set a new password from the sign-in page in about two minutes."
    )
    _page(
        docs,
        "reset-password.md",
        reset_title,
        reset_summary,
        {
            **common,
            "kind": "article",
            "id": "reset-password",
            "internal": False,
            "summary": reset_summary,
            "last_reviewed": "2026-10-01",
            "category": category,
            "error_codes": [],
            "keywords": ["forgot password", "locked out"],
            "related": [
                {
                    "title": "Why do I see DS-1001: Invalid credentials?",
                    "url": "ds-1001/",
                    "summary": "The sign-in details don't match an account.",
                }
            ],
            "jsonld": _jsonld("HowTo", reset_title, reset_summary),
            "translated": True,
            "canonical": f"{base}reset-password/",
            "alternates": [
                {"lang": "en", "name": "English", "url": "https://help.dataflow.example/reset-password/"},
                {"lang": "zh", "name": "中文", "url": "https://help.dataflow.example/zh/reset-password/"},
            ],
        },
        RESET_BODY,
    )
    ds_summary = "The sign-in details don't match an account."
    _page(
        docs,
        "ds-1001.md",
        "Why do I see DS-1001: Invalid credentials?",
        ds_summary,
        {
            **common,
            "kind": "article",
            "id": "ds-1001",
            "internal": False,
            "summary": ds_summary,
            "last_reviewed": "2026-09-01",
            "category": category,
            "error_codes": ["DS-1001"],
            "keywords": ["invalid credentials"],
            "related": [],
            "jsonld": _jsonld("HowTo", "Why do I see DS-1001: Invalid credentials?", ds_summary),
            "translated": lang == "en",
            "canonical": f"{base}ds-1001/",
            "alternates": [],
        },
        "## Steps\n\n1. Check the email address you typed.\n2. Reset your password.\n",
    )
    sync_summary = "A source stops syncing when its stored credentials expire."
    _page(
        docs,
        "sync-failed.md",
        "Why did my data sync stop?",
        sync_summary,
        {
            **common,
            "kind": "article",
            "id": "sync-failed",
            "internal": audience == "internal",
            "audience": audience,
            "summary": sync_summary,
            "last_reviewed": "2026-08-01",
            "category": category,
            "error_codes": ["DS-2040"],
            "keywords": ["sync stopped"],
            "related": [],
            "jsonld": _jsonld("HowTo", "Why did my data sync stop?", sync_summary),
            "translated": True,
            "canonical": f"{base}sync-failed/",
            "alternates": [],
        },
        SYNC_BODY + (AGENT_NOTE if audience == "internal" else ""),
    )
    _page(
        docs,
        "category/account.md",
        "Sign-in and account",
        "Passwords and sign-in.",
        {
            **common,
            "kind": "category",
            "id": "account",
            "internal": False,
            "translated": True,
            "jsonld": _jsonld("WebPage", "Sign-in and account", "Passwords and sign-in."),
            "canonical": f"{base}category/account/",
            "alternates": [],
        },
        "# Sign-in and account\n\n- [How do I reset my password?](../reset-password.md)\n\n"
        "    You can set a new password.\n",
    )
    _page(
        docs,
        "index.md",
        "DataFlow Solutions Help Center",
        "Answers to common questions.",
        {
            **common,
            "kind": "home",
            "id": "home",
            "internal": False,
            "translated": True,
            "jsonld": _jsonld("WebPage", "DataFlow Solutions Help Center", "Answers to common questions."),
            "canonical": base,
            "alternates": [],
        },
        HOME_BODY,
    )
    up = "" if lang == "en" else "../"
    config = {
        "site_name": "DataFlow Solutions Help Center",
        "site_url": base,
        "docs_dir": str(docs),
        "site_dir": str(root / "site"),
        "use_directory_urls": True,
        "theme": {"name": "material", "custom_dir": str(THEME), "language": lang},
        "plugins": [],
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            "pymdownx.details",
            "pymdownx.superfences",
            {"toc": {"permalink": True}},
        ],
        "extra": {
            "kb_audience": audience,
            # As generated: the interface strings of the language (the theme has no table of its own).
            "kb": {"strings": strings(Language(lang, lang), "DataFlow Solutions Help Center")},
            # As generated: relative to this build's root, which is /zh/ for the Chinese build.
            "alternate": [
                {"name": "English", "link": up, "lang": "en"},
                {"name": "中文", "link": up + "zh/", "lang": "zh"},
            ],
        },
        "nav": [{"Home": "index.md"}, {"Sign-in and account": "category/account.md"}],
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
