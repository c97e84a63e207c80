"""The Markdown export, read as a viewer renders it: member text is only ever text.

A title such as "x\\n# Fake heading", or one starting with "- " or "1. ", must
not add headings or list items; `<script>` or `<img onerror>` must not reach
the page as HTML; `[click](javascript:alert(1))` must not become a link. Only
http, https and mailto addresses stay links. Each check renders the export
with a CommonMark parser (tables and strikethrough on, as on the big forges).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.app import Cruxbot
from bot.formats.markdown import to_markdown
from bot.services.readings import split_title_and_url
from bot.storage.snapshot_rows import MapSnapshot, ReadingRow, StatementRow
from tests.conftest import MODERATOR

PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
SAFE_SCHEMES = ("http://", "https://", "mailto:")
EXAMPLES = itertools.count()


def tokens_of(markdown: str) -> list[Token]:
    return PARSER.parse(markdown)


def shown(inline: Token) -> str:
    """The text a reader sees in an inline token (escapes and entities resolved)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def headings(tokens: list[Token]) -> list[str]:
    return [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def list_items(tokens: list[Token]) -> list[str]:
    """Each list item's own paragraph, as shown (nested items are items of their own)."""
    items = []
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            paragraph = next(t for t in tokens[i + 1 :] if t.type == "inline")
            items.append(shown(paragraph))
    return items


def assert_only_text_from_members(tokens: list[Token]) -> None:
    for token in tokens:
        assert token.type not in ("html_block", "html_inline", "table_open", "hr"), token
        for child in token.children or []:
            assert child.type not in ("html_inline", "image"), child
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                assert href.startswith(SAFE_SCHEMES), href


def flat(text: str) -> str:
    return " ".join(text.split())


def statement(slug: str, title: str, text: str, target: str | None = None) -> StatementRow:
    return StatementRow(
        slug=slug,
        kind="claim" if target is None else "objection",
        status="open",
        author_name="Ann",
        title=title,
        text=text,
        target=target,
        reading="r",
    )


def reading(title: str, author: str = "", url: str = "") -> ReadingRow:
    return ReadingRow(slug="r", title=title, author=author, url=url)


FORGERIES = [
    "x\n# Fake heading",
    "- fake item",
    "1. fake item",
    "* star item",
    "> quoted",
    "===",
    "---",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "a | b\n--- | ---",
    "```\ncode",
    "ends in a backslash \\",
    "&lt;b&gt; &amp; ## closing ##",
]


def test_forged_headings_items_html_and_links_stay_text() -> None:
    snapshot = MapSnapshot(
        readings=[reading("Title <b>x</b> #", "<i>Auth</i> [a](javascript:x)", "https://ok.org/")],
        statements=[
            statement(f"s{n}", forged.splitlines()[0], forged) for n, forged in enumerate(FORGERIES)
        ],
    )
    tokens = tokens_of(to_markdown(snapshot))
    assert_only_text_from_members(tokens)
    assert headings(tokens) == [
        "Argument map",
        "Title <b>x</b> # by <i>Auth</i> [a](javascript:x)",
    ]
    items = list_items(tokens)
    assert len(items) == len(FORGERIES)
    for item, forged in zip(items, FORGERIES, strict=True):
        assert flat(forged) in item, (forged, item)
    links = [c for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert [c.attrs["href"] for c in links] == ["https://ok.org/"]


def test_only_web_and_mail_addresses_stay_links() -> None:
    for url, linked in (
        ("https://example.org/book", True),
        ("http://example.org/", True),
        ("mailto:group@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://x.org/a><script>alert(1)</script>", False),
    ):
        snapshot = MapSnapshot(readings=[reading("Book", url=url)], statements=[])
        snapshot.statements.append(statement("c", "A claim.", "A claim."))
        tokens = tokens_of(to_markdown(snapshot))
        assert_only_text_from_members(tokens)
        hrefs = [c.attrs["href"] for t in tokens for c in t.children or [] if c.type == "link_open"]
        assert hrefs == ([url] if linked else []), url
        everything = " ".join(shown(t) for t in tokens if t.type == "inline")
        assert url in everything  # shown either way, as a link or as text


#: Member text made of Markdown's special characters, forgeries and words.
hostile = st.lists(
    st.one_of(
        st.sampled_from(FORGERIES),
        st.text(alphabet=st.sampled_from(list("#-+*_`[]()<>!&|~=.:\\ \n1aZ/\"'")), max_size=12),
        st.sampled_from(["word", "javascript:alert(1)", "https://ok.org", "1)", "#"]),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reading_title=hostile,
    texts=st.lists(hostile, min_size=1, max_size=4),
    name=hostile,
    steelman=hostile,
)
async def test_any_member_text_exports_as_text_only(
    app: Cruxbot, reading_title: str, texts: list[str], name: str, steelman: str
) -> None:
    # A moderator: exempt from the write limit, which this many commands would reach.
    caller = replace(MODERATOR, workspace_id=f"md-{next(EXAMPLES)}", user_name=flat(name) or "x")
    added = await app.run("reading", {"slug": "r", "title": reading_title}, caller)
    assume(not added.error)
    slugs = []
    for n, text in enumerate(texts):
        options = {"slug": f"s{n}", "text": text} | ({"to": "s0"} if n else {})
        logged = await app.run("objection" if n else "claim", options, caller)
        assume(not logged.error)
        slugs.append(f"s{n}")
    assume(not (await app.run("steelman", {"slug": "s0", "text": steelman}, caller)).error)

    markdown = (await app.export_text("md", None, caller))[1]
    tokens = tokens_of(markdown)
    assert_only_text_from_members(tokens)
    assert headings(tokens) == ["Argument map", split_title_and_url(reading_title)[0]]
    items = list_items(tokens)
    assert len(items) == len(texts)
    for n, (item, text) in enumerate(zip(items, texts, strict=True)):
        assert f"{'Objection' if n else 'Claim'} s{n} (open, " in item
        assert flat(text) in item, (text, item)
    assert flat(steelman) in items[0]
    assert flat(name) in items[0]
