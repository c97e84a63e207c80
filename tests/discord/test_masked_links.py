"""A member's `[Verify](https://evil.example)` shows as typed, never as a disguised link.

Discord turns `[text](url)` in embed descriptions and field values into a link
that shows only `text`: in a bot's embed it reads as the bot's own link. The
adapter escapes the `](` so Discord shows the brackets and the address as
typed (a bare address still links, but shows where it goes).
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.render import build_embed
from bot.render.reply import Field, Reply
from testing_support.discord.payloads import BOB_ID, member
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import embed, embed_text, only_callback

PHISH = "[Verify your account](https://evil.example/login)"


def as_discord_shows(text: str) -> str:
    """Text as Discord displays it: a backslash before punctuation is dropped."""
    return re.sub(r"\\([^0-9A-Za-z\s])", r"\1", text)


def markdown_strings(e: dict[str, Any]) -> list[str]:
    """Every string of an embed that Discord reads as Markdown."""
    parts = [e.get("title", ""), e.get("description", "")]
    parts += [f["value"] for f in e.get("fields", [])] + [f["name"] for f in e.get("fields", [])]
    return [p for p in parts if p]


def assert_no_masked_link(e: dict[str, Any]) -> None:
    for part in markdown_strings(e):
        assert "](" not in part, part


async def test_a_masked_link_in_an_objection_shows_literally(demo_bot: DiscordBot) -> None:
    text = f"Before replying, please {PHISH} first."
    shown = embed(
        only_callback(await demo_bot.command("objection", slug="phish", text=text, to="lag"))[
            "data"
        ]
    )
    assert_no_masked_link(shown)
    assert as_discord_shows(shown["description"]) == text
    again = embed(only_callback(await demo_bot.command("objection", slug="phish"))["data"])
    assert_no_masked_link(again)
    assert PHISH in as_discord_shows(embed_text(again))


async def test_a_masked_link_in_a_title_list_and_steelman_shows_literally(
    demo_bot: DiscordBot,
) -> None:
    only_callback(await demo_bot.command("claim", slug="bait", text=f"{PHISH}\n\nMore text."))
    bob = member(BOB_ID, "Bob")
    only_callback(
        await demo_bot.command("steelman", who=bob, slug="bait", text=f"Best case: {PHISH}")
    )
    commands: tuple[tuple[str, dict[str, Any]], ...] = (
        ("claim", {"slug": "bait"}),
        ("list", {}),
        ("steelman", {"slug": "bait"}),
        ("search", {"words": "verify account"}),
    )
    for name, options in commands:
        shown = embed(only_callback(await demo_bot.command(name, **options))["data"])
        assert_no_masked_link(shown)
        assert PHISH in as_discord_shows(embed_text(shown)), (name, embed_text(shown))


link_text = st.text(alphabet=st.sampled_from(list("[]()<>:/ab .*_`\n")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(title=link_text, body=link_text, value=link_text)
def test_no_text_in_an_embed_makes_a_masked_link(title: str, body: str, value: str) -> None:
    reply = Reply(title=title, body=body, fields=(Field("Name", value),))
    e = build_embed(reply).to_dict()
    assert_no_masked_link(dict(e))
    placeholder = "" if title.split() else "Done."  # an embed needs a title or a body
    assert as_discord_shows(e.get("description", "")) == (body or placeholder)
    assert as_discord_shows(e["fields"][0]["value"]) == (value or "\u200b")
