"""Objections to the reading as a whole: most objections answer the essay, not one claim."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, text_of

ELSEWHERE = replace(MEMBER, channel_id="no-reading-here")


async def test_an_objection_without_to_answers_the_channels_reading(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/reading alignment-optimism", MODERATOR)
    logged = await demo_app.handle_line(
        "/objection whole-thing The essay assumes what it sets out to prove.", MEMBER
    )
    assert not logged.error, logged.body
    shown = text_of(await demo_app.handle_line("/objection whole-thing", MEMBER))
    assert "Against: the reading `alignment-optimism`" in shown
    exported = (await demo_app.handle_line("/export md", MEMBER)).attachment
    assert exported is not None and b"`whole-thing`" in exported.content


async def test_without_a_reading_the_objection_still_needs_to(demo_app: Cruxbot) -> None:
    refused = await demo_app.handle_line("/objection loose A point without a target.", ELSEWHERE)
    assert refused.error
    assert "Say which statement this objection answers, with `to:`" in refused.body
    assert "no reading" in refused.body


async def test_a_form_without_to_is_fine_where_a_reading_is_set(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/reading alignment-optimism", MODERATOR)
    here = await demo_app.problems("objection", {"slug": "x", "text": "A point."}, MEMBER)
    assert "to" not in here
    there = await demo_app.problems("objection", {"slug": "x", "text": "A point."}, ELSEWHERE)
    assert "no reading is set here" in there["to"]
