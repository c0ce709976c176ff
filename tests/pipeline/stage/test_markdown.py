"""The staged Markdown's link and image rewrites (generator/pipeline/stage/markdown.rewrite)."""

from __future__ import annotations

from generator.mdparse import parse
from generator.pipeline.stage.markdown import code_blocks, rewrite

PAGE = "kb_source/account/a.md"
ARTICLES = {"kb_source/billing/plans.md": "plans.md"}


def staged(text: str) -> tuple[str, list[str]]:
    """The rewritten text, and the images the rewrite asked to copy."""
    images: list[str] = []

    def resolve(path: str, image: bool) -> str | None:
        if image:
            images.append(path)
            return "images/" + path.rsplit("/", 1)[-1]
        return ARTICLES.get(path)

    return rewrite(text, PAGE, resolve, code_blocks(parse(text))), images


def test_links_to_articles_and_images_are_resolved_and_other_links_kept() -> None:
    text, images = staged(
        '[Plans](../billing/plans.md#prices "Prices"), [site](https://x.example/), ![A](../images/a.png)\n'
    )
    assert text == '[Plans](plans.md#prices "Prices"), [site](https://x.example/), ![A](images/a.png)\n'
    assert images == ["kb_source/images/a.png"]


def test_a_screenshot_inside_a_link_is_staged_like_any_image() -> None:
    text, images = staged("[![The menu](../images/menu.png)](../billing/plans.md)\n")
    assert text == "[![The menu](images/menu.png)](plans.md)\n"
    text, more = staged("[![The menu](../images/menu.png)](https://x.example/menu-large.png)\n")
    assert text == "[![The menu](images/menu.png)](https://x.example/menu-large.png)\n"
    assert images == more == ["kb_source/images/menu.png"]


def test_nested_links_that_are_not_articles_leave_their_text_and_no_link() -> None:
    # docfx's include syntax inside link text: neither link names an article, so neither may
    # survive, or the renderer would meet a link the checker never saw.
    text, _ = staged("[Work with [!INCLUDE[prod_short](includes/prod_short.md)]](ui-work-product.md)\n")
    assert text == "Work with [!INCLUDEprod_short]\n"


def test_code_blocks_fenced_or_indented_are_left_as_written() -> None:
    page = (
        "Text with ![A](../images/a.png).\n\n"
        "```\n![Not an image](../images/code.png)\n```\n\n"
        "        ![Indented, so code](../images/indented.png)\n\n"
        "!!! tip\n    An admonition is not code: ![B](../images/b.png)\n"
    )
    text, images = staged(page)
    assert images == ["kb_source/images/a.png", "kb_source/images/b.png"]
    assert "](../images/code.png)" in text
    assert "](../images/indented.png)" in text
    assert text.count("\n") == page.count("\n")


def test_a_link_may_break_a_line_but_never_spans_a_blank_one() -> None:
    text, _ = staged("See [the billing\nplans](../billing/plans.md).\n")
    assert text == "See [the billing\nplans](plans.md).\n"
    # An image left open, and a paragraph further on that ends like a link: not one image whose
    # target the staging would copy.
    page = "![The sign-in page\n\nThe agent procedure](../playbooks/escalation.md).\n"
    text, images = staged(page)
    assert (text, images) == (page, [])


def test_a_target_ends_where_another_link_text_closes() -> None:
    """A target never holds `](`: `[a](` pasted over and over is text, then one link, as both
    renderers read it, not one link whose target runs to the end of the line."""
    page = "[a](" * 2000 + "[Plans](../billing/plans.md)\n"
    text, _ = staged(page)
    assert text == "[a](" * 2000 + "[Plans](plans.md)\n"
    assert staged("[a](x](../billing/plans.md)\n")[0] == "[a](x](../billing/plans.md)\n"
    # A `]` alone may still be part of a target.
    text, images = staged("![A](../images/shot[1].png) and [B](../billing/plans.md)\n")
    assert text == "![A](images/shot[1].png) and [B](plans.md)\n"
    assert images == ["kb_source/images/shot[1].png"]
