"""/forget-me: a member's content goes (or is anonymised), only after confirming."""

from __future__ import annotations

import json

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, text_of


async def _ann_contributes(app: Cruxbot) -> None:
    for line in (
        "/claim ann-claim Ann's private theory.",
        "/objection ann-point Ann objects. to:lag",
        "/steelman lag Ann's stronger lag.",
        "/agree lag 80",
        "/crux lag rigorous-evals",
    ):
        reply = await app.handle_line(line, MEMBER)
        assert not reply.error, reply.body
    await app.handle_line("/reply bob-answer Bob answers Ann. to:ann-point", OTHER_MEMBER)


async def test_forget_me_asks_first_then_deletes_everything(demo_app: Cruxbot) -> None:
    await _ann_contributes(demo_app)
    asked = await demo_app.handle_line("/forget-me", MEMBER)
    assert "2 statements, 1 steelman, 1 stance and 1 crux" in asked.body
    assert asked.actions[0].command == "forget-me"
    assert not (await demo_app.handle_line("/claim ann-claim", MEMBER)).error  # nothing yet
    done = await demo_app.handle_line("/forget-me confirm", MEMBER)
    assert not done.error, done.body
    assert (await demo_app.handle_line("/claim ann-claim", MEMBER)).error
    lag = text_of(await demo_app.handle_line("/objection lag", MEMBER))
    assert "Ann" not in lag
    bob = await demo_app.handle_line("/reply bob-answer", MEMBER)
    assert not bob.error  # what others wrote stays
    _, exported = await demo_app.export_text("json", None, MEMBER)
    assert "u-ann" not in exported and "Ann's" not in exported
    history = text_of(await demo_app.handle_line("/history", MODERATOR))
    assert "Ann" not in history
    nothing = await demo_app.handle_line("/forget-me", MEMBER)
    assert "holds nothing" in nothing.body


async def test_anonymise_mode_keeps_the_arguments(demo_app: Cruxbot) -> None:
    anonymising = Cruxbot(demo_app.engine, forget_mode="anonymise")
    await _ann_contributes(anonymising)
    await anonymising.handle_line("/forget-me confirm", MEMBER)
    kept = text_of(await anonymising.handle_line("/claim ann-claim", MEMBER))
    assert "Ann's private theory." in kept
    assert "Author: a former member" in kept
    _, exported = await anonymising.export_text("json", None, MEMBER)
    document = json.loads(exported)
    assert all(s["author_id"] != "u-ann" for s in document["statements"])
    assert all(s["member_id"] != "u-ann" for s in document["stances"])
    history = text_of(await anonymising.handle_line("/history ann-claim", MODERATOR))
    assert "a former member" in history and "Ann:" not in history


async def test_moderators_forget_a_departed_member(demo_app: Cruxbot) -> None:
    await _ann_contributes(demo_app)
    refused = await demo_app.handle_line("/forget-me confirm member:u-ann", OTHER_MEMBER)
    assert refused.error and "Only a moderator" in refused.body
    asked = await demo_app.handle_line("/forget-me member:<@u-ann>", MODERATOR)
    assert "member u-ann" in asked.body
    await demo_app.handle_line("/forget-me confirm member:u-ann", MODERATOR)
    assert (await demo_app.handle_line("/objection ann-point", MEMBER)).error
    bad = await demo_app.handle_line("/forget-me member:'drop'", MODERATOR)
    assert bad.error and "not a member id" in bad.body
