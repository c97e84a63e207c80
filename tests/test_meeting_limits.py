"""Meetings are writes like any other: limited per member, and ended only by their owner.

Starting or ending a meeting writes no revision, yet each end posts public
minutes, so a member looping `/meeting start` and `/meeting end` could flood a
channel; and ending someone else's meeting cut their session short.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.app import Cruxbot
from bot.services.limits import WriteLimit
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, age_meetings, text_of

ELSEWHERE = replace(MEMBER, channel_id="c2")


async def test_a_start_and_end_loop_is_stopped_by_the_default_limit(demo_app: Cruxbot) -> None:
    replies = []
    for _ in range(60):
        replies.append(await demo_app.handle_line("/meeting start", MEMBER))
        replies.append(await demo_app.handle_line("/meeting end", MEMBER))
    done = [r for r in replies if not r.error]
    minutes_posted = [r for r in done if r.title.startswith("Minutes of meeting")]
    assert len(done) == 30  # the default limit: 30 changes a minute
    assert len(minutes_posted) == 15
    refused = replies[-2]  # the last start (the end after it finds no meeting open)
    assert "the limit here is 30" in refused.body and "Nothing was changed" in refused.body


async def test_meetings_and_other_writes_share_one_limit(app: Cruxbot) -> None:
    limited = Cruxbot(app.engine, write_limit=WriteLimit(3, timedelta(minutes=1)))
    assert not (await limited.handle_line("/claim c1 One.", MEMBER)).error
    assert not (await limited.handle_line("/meeting start", MEMBER)).error
    assert not (await limited.handle_line("/meeting end", MEMBER)).error
    refused = await limited.handle_line("/meeting start", MEMBER)
    assert refused.error and "3 times in the last 60 seconds" in refused.body
    assert "No meeting is open" in (await limited.handle_line("/meeting", MEMBER)).title
    claim = await limited.handle_line("/claim c2 Two.", MEMBER)
    assert claim.error and "the limit here is 3" in claim.body
    # Someone else, and a moderator, are not held back by Ann's writes.
    assert not (await limited.handle_line("/meeting start", OTHER_MEMBER)).error
    assert not (await limited.handle_line("/meeting end", OTHER_MEMBER)).error
    for _ in range(3):
        assert not (await limited.handle_line("/meeting start", MODERATOR)).error
        assert not (await limited.handle_line("/meeting end", MODERATOR)).error


async def test_a_refused_end_leaves_the_meeting_open(app: Cruxbot) -> None:
    limited = Cruxbot(app.engine, write_limit=WriteLimit(2, timedelta(minutes=1)))
    await limited.handle_line("/claim c1 One.", MEMBER)
    await limited.handle_line("/meeting start", MEMBER)
    refused = await limited.handle_line("/meeting end", MEMBER)
    assert refused.error and "the limit here is 2" in refused.body
    assert "Meeting 1 is open" in (await limited.handle_line("/meeting", MEMBER)).title


async def test_the_limit_on_meetings_holds_across_processes(app: Cruxbot) -> None:
    limit = WriteLimit(2, timedelta(minutes=1))
    first, second = Cruxbot(app.engine, write_limit=limit), Cruxbot(app.engine, write_limit=limit)
    assert not (await first.handle_line("/meeting start", MEMBER)).error
    assert not (await second.handle_line("/meeting end", MEMBER)).error
    assert (await first.handle_line("/meeting start", MEMBER)).error


async def test_only_the_starter_or_a_moderator_ends_a_meeting(demo_app: Cruxbot) -> None:
    assert not (await demo_app.handle_line("/meeting start", MEMBER)).error
    refused = await demo_app.handle_line("/meeting end", OTHER_MEMBER)
    assert refused.error
    assert "Only Ann, who started meeting 1, or a moderator can end it" in refused.body
    assert "Meeting 1 is open" in (await demo_app.handle_line("/meeting", OTHER_MEMBER)).title
    assert not (await demo_app.handle_line("/meeting end", MEMBER)).error

    assert not (await demo_app.handle_line("/meeting start", OTHER_MEMBER)).error
    ended = await demo_app.handle_line("/meeting end", MODERATOR)
    assert not ended.error and "Minutes of meeting 2" in ended.title


async def test_the_sweep_and_the_next_command_still_close_anyone_s_meeting(
    demo_app: Cruxbot,
) -> None:
    await demo_app.handle_line("/meeting start", MEMBER)
    await demo_app.handle_line("/meeting start", replace(OTHER_MEMBER, channel_id="c2"))
    await age_meetings(demo_app, 7)
    closed = await demo_app.close_forgotten_meetings("console")
    assert sorted(c.channel_id for c in closed) == ["c1", "c2"]
    assert all("Cruxbot closed it" in c.minutes.footer for c in closed)

    await demo_app.handle_line("/meeting start", MEMBER)
    await age_meetings(demo_app, 7)
    reply = await demo_app.handle_line("/agree lag", OTHER_MEMBER)
    assert not reply.error and "closed automatically" in reply.footer
    assert "No meeting is open" in text_of(await demo_app.handle_line("/meeting", MEMBER))
