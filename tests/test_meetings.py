"""Meetings, minutes, cruxes and contested statements, as a facilitator runs them."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import update

from bot.app import Cruxbot
from bot.render.reply import Reply
from bot.storage.models import Meeting, utcnow
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, age_meetings, text_of

FACILITATOR = replace(MODERATOR, user_name="Fay", user_id="u-fay")
ELSEWHERE = replace(MEMBER, channel_id="other-channel")

SCRIPT = [
    (FACILITATOR, "/meeting start alignment-optimism"),
    (MEMBER, "/objection evals-gap Interpretability may not scale. to:mvp-researcher"),
    (OTHER_MEMBER, "/reply gap-answer Scaling laws for probes look fine. to:evals-gap"),
    (MEMBER, "/agree lag 70"),
    (OTHER_MEMBER, "/disagree lag 30"),
    (OTHER_MEMBER, "/steelman lag Even one lagging step is enough to lose control."),
    (FACILITATOR, "/status not-blank-slate answered"),
    (MEMBER, "/crux lag rigorous-evals"),
    (OTHER_MEMBER, "/crux lag rigorous-evals"),
]


async def run_script(app: Cruxbot) -> list[Reply]:
    return [await app.handle_line(line, caller) for caller, line in SCRIPT]


async def test_a_scripted_meeting_produces_minutes(demo_app: Cruxbot) -> None:
    replies = await run_script(demo_app)
    assert [r.body for r in replies if r.error] == []
    assert "Double crux on `lag`" in replies[-1].title
    assert "Ann (agrees) and Bob (disagrees)" in replies[-1].body
    # a command in another channel is not part of the meeting
    await demo_app.handle_line("/objection side Off topic. to:lag", ELSEWHERE)
    ended = await demo_app.handle_line("/meeting end", FACILITATOR)
    minutes = text_of(ended)
    assert "Minutes of meeting" in ended.title
    assert "Why I'm optimistic" in ended.title
    assert "**Took part:** Ann, Bob, Fay" in minutes
    assert "objection `evals-gap`" in minutes and "reply `gap-answer`" in minutes
    assert "`not-blank-slate`: open → answered (Fay)" in minutes
    assert "`lag` by Bob" in minutes  # the steelman
    assert "2 stances from 2 members" in minutes
    assert "**Double cruxes**" in minutes
    assert "`lag`: Ann and Bob both hinge on `rigorous-evals`" in minutes
    new_statements = minutes.split("**New statements**")[1].split("**Status changes**")[0]
    assert "`side`" not in new_statements
    assert "**Still open**" in minutes and "`evals-gap`" in minutes.split("**Still open**")[1]
    again = await demo_app.handle_line("/meeting minutes", MEMBER)
    assert again.body == ended.body


async def test_one_open_meeting_per_channel(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/meeting start", FACILITATOR)
    second = await demo_app.handle_line("/meeting start", MEMBER)
    assert second.error and "already open" in second.body
    other = await demo_app.handle_line("/meeting start", ELSEWHERE)
    assert not other.error
    nothing = await demo_app.handle_line("/meeting end", replace(MEMBER, channel_id="x"))
    assert nothing.error and "No meeting is open" in nothing.body


async def test_a_meeting_survives_a_restart(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/meeting start", FACILITATOR)
    restarted = Cruxbot(demo_app.engine)  # a new process on the same database
    await restarted.handle_line("/objection after-restart Still counted. to:lag", MEMBER)
    minutes = text_of(await restarted.handle_line("/meeting end", FACILITATOR))
    assert "`after-restart`" in minutes


async def test_a_forgotten_meeting_closes_itself_with_minutes(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/meeting start", FACILITATOR)
    await demo_app.handle_line("/agree lag", MEMBER)
    async with demo_app.sessions() as session:
        await session.execute(update(Meeting).values(started_at=utcnow() - timedelta(hours=7)))
        await session.commit()
    reply = await demo_app.handle_line("/disagree lag", OTHER_MEMBER)
    assert "closed automatically" in reply.footer
    minutes = await demo_app.handle_line("/meeting minutes", MEMBER)
    assert "closed automatically" in minutes.body
    assert "Ann" in minutes.body and "Bob" not in minutes.body  # Bob came after the close
    status = await demo_app.handle_line("/meeting", MEMBER)
    assert "No meeting is open" in status.title


async def test_the_sweep_closes_forgotten_meetings_once_with_their_minutes(
    demo_app: Cruxbot,
) -> None:
    await demo_app.handle_line("/meeting start", FACILITATOR)
    await demo_app.handle_line("/agree lag", MEMBER)
    assert await demo_app.close_forgotten_meetings("console") == []  # not forgotten yet
    await age_meetings(demo_app, 7)
    assert await demo_app.close_forgotten_meetings("slack") == []  # another platform's sweep
    closed = await demo_app.close_forgotten_meetings("console")
    assert [(c.workspace, c.channel_id) for c in closed] == [
        (FACILITATOR.workspace_id, FACILITATOR.channel_id)
    ]
    minutes = closed[0].minutes
    assert "Ann" in minutes.body and "closed automatically" in minutes.body
    assert "within 6 hours, so Cruxbot closed it" in minutes.footer
    assert await demo_app.close_forgotten_meetings("console") == []  # closed once only
    status = await demo_app.handle_line("/meeting", MEMBER)
    assert "No meeting is open" in status.title
    again = await demo_app.handle_line("/meeting minutes", MEMBER)
    assert again.body == minutes.body


async def test_two_sweeps_at_once_close_a_meeting_once(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/meeting start", FACILITATOR)
    await age_meetings(demo_app, 7)
    other_process = Cruxbot(demo_app.engine)
    both = await asyncio.gather(
        demo_app.close_forgotten_meetings("console"),
        other_process.close_forgotten_meetings("console"),
    )
    assert sorted(len(closed) for closed in both) == [0, 1]


async def test_minutes_of_an_unknown_or_open_meeting(demo_app: Cruxbot) -> None:
    none_yet = await demo_app.handle_line("/meeting minutes", MEMBER)
    assert none_yet.error and "No meeting has ended" in none_yet.body
    assert "no meeting 99" in (await demo_app.handle_line("/meeting minutes 99", MEMBER)).body
    await demo_app.handle_line("/meeting start", FACILITATOR)
    open_one = await demo_app.handle_line("/meeting minutes 1", MEMBER)
    assert not open_one.error and "still open" in open_one.footer  # a draft (see below)


async def test_draft_minutes_while_the_meeting_is_open(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/meeting start alignment-optimism", FACILITATOR)
    await demo_app.handle_line("/objection early A first point. to:lag", MEMBER)
    draft = await demo_app.handle_line("/meeting minutes", FACILITATOR)
    assert draft.title.startswith("Draft: Minutes of meeting 1")
    assert "to now (still open) UTC" in draft.body
    assert "objection `early`" in draft.body
    assert "/meeting end posts the final minutes" in draft.footer
    await demo_app.handle_line("/objection later A second point. to:lag", MEMBER)
    ended = await demo_app.handle_line("/meeting end", FACILITATOR)
    assert "objection `later`" in ended.body and not ended.title.startswith("Draft")


async def test_crux_bad_inputs_and_listing(demo_app: Cruxbot) -> None:
    itself = await demo_app.handle_line("/crux lag lag", MEMBER)
    assert itself.error and "its own crux" in itself.body
    unknown = await demo_app.handle_line("/crux lag nowhere", MEMBER)
    assert unknown.error and "no statement `nowhere`" in unknown.body
    logged = await demo_app.handle_line("/crux lag keeps-pace Checking keeps pace.", MEMBER)
    assert "Take a stance" in logged.body
    assert "Claim `keeps-pace`" in (await demo_app.handle_line("/claim keeps-pace", MEMBER)).title
    twice = await demo_app.handle_line("/crux lag keeps-pace", MEMBER)
    assert "already named" in twice.body
    listed = text_of(await demo_app.handle_line("/cruxes lag", MEMBER))
    assert "`lag` hinges on `keeps-pace` for Ann" in listed


async def test_contested_puts_even_splits_first(app: Cruxbot) -> None:
    voters = [replace(MEMBER, user_id=f"v{n}", user_name=f"V{n}") for n in range(4)]
    await app.handle_line("/claim lopsided Everyone agrees.", MEMBER)
    await app.handle_line("/claim split Half and half.", MEMBER)
    for voter in voters:
        await app.handle_line("/agree lopsided", voter)
    for voter, line in zip(voters, ["/agree split", "/disagree split"] * 2, strict=True):
        await app.handle_line(line, voter)
    reply = await app.handle_line("/contested", MEMBER)
    assert reply.body.index("`split`") < reply.body.index("`lopsided`")
    assert "agree 2 · disagree 2" in reply.body
