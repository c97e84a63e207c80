"""A Reply says what it shows and how it pages; adapters read that, never guess it.

The statement a reply shows (for Slack's status menu) and its paging buttons
(the console's "page:" line) are fields of the Reply, so a button that happens
to be labelled "Next", or a reply coloured like a status, changes nothing.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.blocks import reply_blocks
from bot.app import Cruxbot
from bot.render.reply import Action, Reply, Shown
from bot.render.text import render_text
from tests.conftest import MEMBER


def _overflow_options(reply: Reply) -> list[str]:
    blocks: list[dict[str, Any]] = [block.to_dict() for block in reply_blocks(reply)]
    return [
        option["value"]
        for block in blocks
        for element in block.get("elements", [])
        if element.get("type") == "overflow"
        for option in element["options"]
    ]


def test_the_status_menu_follows_the_statement_a_reply_shows() -> None:
    agree = Action("Agree", "agree", (("slug", "lag"),))
    shown = Reply(title="Objection `lag`", actions=(agree,), shows=Shown("lag", "open"))
    assert "open" not in _overflow_options(shown) and "answered" in _overflow_options(shown)
    coloured_only = Reply(title="A list", actions=(agree,), accent="open")
    assert _overflow_options(coloured_only) == []


def test_the_console_tells_paging_from_other_buttons_by_the_reply_not_the_label() -> None:
    follow_up = Action("Next", "list", (("kind", "claims"),))
    page = Action("Next", "list", (("page", "2"),))
    shown = render_text(Reply(body="Claims", actions=(follow_up,), paging=(page,)))
    assert "Next: /list claims" in shown
    assert "Next page: /list page:2" in shown


async def test_a_statement_reply_names_its_statement_and_a_listing_none(
    demo_app: Cruxbot,
) -> None:
    shown = await demo_app.handle_line("/objection lag", MEMBER)
    assert shown.shows == Shown("lag", "open") and shown.paging == ()
    listed = await demo_app.handle_line("/list objections", MEMBER)
    assert listed.shows is None
