"""Cruxes with a reason, and /crux on a belief whose nickname exists already."""

from __future__ import annotations

import json

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, text_of


async def test_a_crux_records_why_and_shows_it(demo_app: Cruxbot) -> None:
    named = await demo_app.handle_line(
        "/crux lag rigorous-evals because evals would catch the lag", MEMBER
    )
    assert not named.error, named.body
    assert "would change their mind on `lag` because evals would catch the lag." in named.body
    listed = text_of(await demo_app.handle_line("/cruxes lag", MEMBER))
    assert "`lag` hinges on `rigorous-evals` for Ann because evals would catch the lag" in listed


async def test_crux_text_on_an_existing_nickname_is_the_reason_not_a_refusal(
    demo_app: Cruxbot,
) -> None:
    # It used to try to log `rigorous-evals` again and refuse: "the nickname is taken".
    named = await demo_app.handle_line("/crux lag rigorous-evals Evaluation keeps pace.", MEMBER)
    assert not named.error, named.body
    assert "because Evaluation keeps pace." in named.body
    assert "exists already, so your text is kept as the reason" in named.body


async def test_a_new_reason_replaces_the_old_and_undo_brings_it_back(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/crux lag rigorous-evals because one", MEMBER)
    again = await demo_app.handle_line("/crux lag rigorous-evals because two", MEMBER)
    assert "because two" in again.body
    await demo_app.handle_line("/undo", MEMBER)
    assert "because one" in text_of(await demo_app.handle_line("/cruxes lag", MEMBER))


async def test_the_reason_survives_a_json_backup(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/crux lag rigorous-evals because evals catch it", MEMBER)
    exported = (await demo_app.handle_line("/export json", MODERATOR)).attachment
    assert exported is not None
    cruxes = json.loads(exported.content)["cruxes"]
    assert [c["reason"] for c in cruxes if c["member_name"] == "Ann"] == ["evals catch it"]
