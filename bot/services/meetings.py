"""Meetings: start, end with minutes, show minutes again, close when forgotten.

A meeting lives in the database (never in memory), so it survives restarts and
is shared by every process. Each command in a channel with an open meeting is
tagged with it (statements, stances, steelmen, status changes, cruxes); the
minutes are built from those tags when the meeting ends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain import count
from bot.errors import UserError
from bot.render.minutes import MeetingRecord, minutes_markdown, still_open_slugs
from bot.render.reply import Reply
from bot.services.cruxes import double_cruxes
from bot.services.limits import WriteLimit, refuse_over_limit
from bot.services.registry import DEFAULT_RULES, Rules, handles
from bot.storage.models import Meeting, utcnow
from bot.storage.unit_of_work import UnitOfWork


async def attach_open_meeting(uow: UnitOfWork, max_age: timedelta) -> str:
    """Tag this command with the channel's open meeting, closing a forgotten one.

    Returns a note for the caller when a meeting was just closed automatically.
    """
    if not uow.caller.channel_id:
        return ""
    meeting = await uow.meetings.open_in(uow.caller.channel_id)
    if meeting is None:
        return ""
    if utcnow() - _aware(meeting.started_at) > max_age:
        await _close(uow, meeting, automatically=True, max_age=max_age)
        return (
            f"The meeting started {meeting.started_at:%Y-%m-%d %H:%M} UTC was still open after "
            f"{_hours(max_age)}, so it was closed automatically: /meeting minutes {meeting.id}"
        )
    uow.meeting_id = meeting.id
    return ""


async def close_forgotten(uow: UnitOfWork, meeting_id: int, max_age: timedelta) -> Reply | None:
    """Close a meeting left open past `max_age`; its minutes, or None if not (or no longer) due.

    The row is locked first, so that when several processes sweep at once only
    one closes the meeting and posts its minutes.
    """
    row = await uow.meetings.by_id(meeting_id, for_update=True)
    if row is None or row.ended_at is not None or utcnow() - _aware(row.started_at) <= max_age:
        return None
    await _close(uow, row, automatically=True, max_age=max_age)
    reply = _minutes_reply(row)
    note = f"Nobody ended this meeting within {_hours(max_age)}, so Cruxbot closed it."
    return replace(reply, footer=note)


@handles("meeting")
async def meeting(
    uow: UnitOfWork,
    action: str = "status",
    number: int | None = None,
    reading: str | None = None,
    *,
    rules: Rules = DEFAULT_RULES,
) -> Reply:
    """`/meeting start|end|minutes|status`.

    Starting and ending are writes under the member's write limit: each end
    posts minutes in public, so they must not loop unchecked.
    """
    await uow.current_meeting()  # closes a forgotten meeting first, with a note
    if reading and action != "start":
        raise UserError(
            f"`{reading}` is not something /meeting can do: use start, end, minutes or status.",
            hint="/meeting start <reading> opens a meeting on a reading.",
        )
    if number is not None and action != "minutes":
        raise UserError("Only /meeting minutes takes a meeting number.")
    if action == "start":
        return await _start(uow, reading, rules.write_limit)
    if action == "end":
        return await _end(uow, rules.meeting_max_age, rules.write_limit)
    if action == "minutes":
        return await _minutes(uow, number)
    return await _status(uow)


def _channel(uow: UnitOfWork) -> str:
    if not uow.caller.channel_id:
        raise UserError("Meetings happen in a channel; run this in the channel of the meeting.")
    return uow.caller.channel_id


async def _start(uow: UnitOfWork, reading_slug: str | None, write_limit: WriteLimit) -> Reply:
    channel_id = _channel(uow)
    current = await uow.meetings.open_in(channel_id)
    if current is not None:
        raise UserError(
            f"A meeting is already open here (started {current.started_at:%H:%M} UTC by "
            f"{current.started_by_name}).",
            hint="/meeting end closes it and posts the minutes.",
        )
    await refuse_over_limit(uow, write_limit)
    channel = await uow.channels.get(channel_id)
    reading = None
    if reading_slug:
        reading = await uow.readings.by_slug(reading_slug)
        if reading is None:
            raise UserError(
                f"There is no reading `{reading_slug}`.",
                hint=f"/reading {reading_slug} <title> adds it.",
            )
        channel.current_reading_id = reading.id
    else:
        reading = await uow.readings.by_id(channel.current_reading_id)
    row = Meeting(
        workspace_id=uow.workspace_id,
        channel_id=channel_id,
        reading_id=reading.id if reading else None,
        started_by_id=uow.caller.user_id,
        started_by_name=uow.caller.user_name,
    )
    await uow.add_new(row)
    about = f" on `{reading.slug}` — {reading.title}" if reading else ""
    return Reply(
        title=f"Meeting {row.id} started{about}",
        body="Everything logged in this channel now belongs to the meeting: objections, "
        "replies, stances, steelmen, status changes and cruxes.",
        footer="/meeting end posts the minutes.",
        accent="open",
    )


async def _end(uow: UnitOfWork, max_age: timedelta, write_limit: WriteLimit) -> Reply:
    """Close the channel's meeting, for its starter or a moderator only.

    Anyone else ending it would cut the facilitator's session short; the
    sweeper closes forgotten meetings by another path (`close_forgotten`).
    """
    channel_id = _channel(uow)
    current = await uow.meetings.open_in(channel_id)
    if current is None:
        raise UserError("No meeting is open in this channel.", hint="/meeting start opens one.")
    if current.started_by_id != uow.caller.user_id and not uow.caller.is_moderator:
        raise UserError(
            f"Only {current.started_by_name}, who started meeting {current.id}, "
            "or a moderator can end it.",
            hint=f"It closes by itself after {_hours(max_age)} if nobody ends it.",
        )
    await refuse_over_limit(uow, write_limit)
    await _close(uow, current, automatically=False, max_age=max_age)
    return _minutes_reply(current)


async def _close(uow: UnitOfWork, row: Meeting, *, automatically: bool, max_age: timedelta) -> None:
    row.ended_at = _aware(row.started_at) + max_age if automatically else utcnow()
    row.closed_automatically = automatically
    row.minutes = minutes_markdown(await _record(uow, row))
    await uow.flush()
    uow.meeting_id = None


async def rewrite_minutes(uow: UnitOfWork, row: Meeting) -> None:
    """Write an ended meeting's minutes again from the rows as they now are.

    Used when a member is forgotten: the stored minutes must lose their name
    and words. "Still open" told what was open when the meeting ended, which
    the rows no longer say, so it keeps the statements the old minutes listed
    that still exist.
    """
    still_open = []
    for slug in still_open_slugs(row.minutes):
        found = await uow.statements.by_slug(slug)
        if found is not None and found.deleted_at is None:
            still_open.append(found)
    row.minutes = minutes_markdown(replace(await _record(uow, row), still_open=still_open))
    await uow.flush()


async def _record(uow: UnitOfWork, row: Meeting) -> MeetingRecord:
    revisions = await uow.revisions.during(row.id)
    statements = await uow.statements.logged_during(row.id)
    cruxes = await uow.stances.cruxes(meeting_id=row.id)
    reading = await uow.readings.by_id(row.reading_id)
    slugs = {}
    mentioned = {c.statement_id for c in cruxes} | {c.belief_id for c in cruxes}
    mentioned |= {r.statement_id for r in revisions if r.statement_id is not None}
    for statement_id in mentioned:
        found = await uow.statements.by_id(statement_id)
        if found is not None:
            slugs[statement_id] = found.slug
    doubles = []
    for statement_id in {c.statement_id for c in cruxes}:
        stances = await uow.stances.on(statement_id)
        doubles += double_cruxes(await uow.stances.cruxes(statement_id=statement_id), stances)
    still_open = []
    if reading is not None:
        objections, _ = await uow.statements.page("objection", "open", reading.id, 0, 25)
        still_open = list(objections)
    else:
        still_open = [s for s in statements if s.kind == "objection" and s.status == "open"]
    return MeetingRecord(
        meeting=row,
        reading=reading,
        revisions=revisions,
        statements=statements,
        cruxes=cruxes,
        double_cruxes=doubles,
        slugs=slugs,
        still_open=still_open,
        action_items=await uow.actions.taken_during(row.id),
    )


async def _minutes(uow: UnitOfWork, number: int | None) -> Reply:
    """The minutes of a meeting; of one still open, a draft built from the rows so far."""
    if number is None and uow.caller.channel_id:
        current = await uow.meetings.open_in(uow.caller.channel_id)
        if current is not None:
            return await _draft(uow, current)
    if number is None:
        row = await uow.meetings.last_ended(_channel(uow))
        if row is None:
            raise UserError(
                "No meeting has ended in this channel yet.",
                hint="/meeting minutes <number> shows another one.",
            )
    else:
        row = await uow.meetings.by_id(number)
        if row is None:
            raise UserError(f"There is no meeting {number}.")
    if row.ended_at is None:
        return await _draft(uow, row)
    return _minutes_reply(row)


async def _draft(uow: UnitOfWork, row: Meeting) -> Reply:
    """Minutes so far: a facilitator checks the record before ending the meeting."""
    title, _, body = minutes_markdown(await _record(uow, row)).partition("\n")
    return Reply(
        title="Draft: " + title.lstrip("# ").strip(),
        body=body.strip(),
        footer=f"Meeting {row.id} is still open; /meeting end posts the final minutes.",
        accent="open",
        minutes_of=row.id,
    )


def _minutes_reply(row: Meeting) -> Reply:
    title, _, body = row.minutes.partition("\n")
    return Reply(
        title=title.lstrip("# ").strip(), body=body.strip(), accent="answered", minutes_of=row.id
    )


async def _status(uow: UnitOfWork) -> Reply:
    current = await uow.meetings.open_in(_channel(uow))
    if current is None:
        return Reply(
            title="No meeting is open here",
            body="/meeting start [reading] opens one in this channel.",
            ephemeral=True,
        )
    revisions = await uow.revisions.during(current.id)
    people = sorted({r.actor_name for r in revisions} | {current.started_by_name})
    return Reply(
        title=f"Meeting {current.id} is open",
        body=f"Started {current.started_at:%Y-%m-%d %H:%M} UTC by {current.started_by_name}; "
        f"{count(len(revisions), 'change')} so far by {', '.join(people)}.",
        footer="/meeting end posts the minutes.",
        ephemeral=True,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _hours(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours:g} hours" if hours != 1 else "1 hour"
