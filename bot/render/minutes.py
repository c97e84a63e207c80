"""A meeting's minutes as Markdown: the record a group keeps of its discussion."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.render.minutes_changes import (
    changed_minds,
    endorsements,
    merges_and_renames,
    stance_moves,
    status_changes,
)
from bot.storage.models import ActionItem, Crux, Meeting, Reading, Revision, Statement

if TYPE_CHECKING:
    from bot.services.cruxes import DoubleCrux

MAX_LISTED = 25
STILL_OPEN = "Still open"


@dataclass(frozen=True)
class MeetingRecord:
    """Everything the minutes are made of, loaded once."""

    meeting: Meeting
    reading: Reading | None
    revisions: Sequence[Revision]
    statements: Sequence[Statement]
    cruxes: Sequence[Crux]
    double_cruxes: Sequence[DoubleCrux]
    slugs: Mapping[int, str]
    still_open: Sequence[Statement]
    action_items: Sequence[ActionItem] = ()


def minutes_markdown(record: MeetingRecord) -> str:
    """The minutes: heading line first, then sections with what happened."""
    lines = _heading(record)
    moves = stance_moves(record.revisions, record.slugs)
    summary = changed_minds(moves)
    if summary:
        lines += ["", summary]
    lines += _section(
        "New statements",
        [f"- {s.kind} `{s.slug}` — {s.title} ({s.author_name})" for s in record.statements],
    )
    lines += _section("Stances that moved", [move.line() for move in moves])
    lines += _section("Status changes", status_changes(record.revisions))
    lines += _section("Merges and renames", merges_and_renames(record.revisions))
    lines += _section("Endorsements", endorsements(record.revisions))
    lines += _section(
        "Steelmen",
        [
            f"- `{_slug_of(record, r)}` by {r.actor_name}"
            for r in record.revisions
            if r.entity_type == "steelman" and r.action == "create"
        ],
    )
    stance_count = sum(1 for r in record.revisions if r.entity_type == "stance")
    if stance_count:
        members = {r.actor_name for r in record.revisions if r.entity_type == "stance"}
        lines += [
            "",
            f"**Stances:** {_count(stance_count, 'stance')} from {_count(len(members), 'member')}",
        ]
    lines += _section(
        "Cruxes",
        [
            f"- `{record.slugs.get(c.statement_id, '?')}` hinges on "
            f"`{record.slugs.get(c.belief_id, '?')}` for {c.member_name}"
            + (f" because {c.reason}" if c.reason else "")
            for c in record.cruxes
        ],
    )
    lines += _section(
        "Double cruxes",
        [
            f"- `{record.slugs.get(d.statement_id, '?')}`: {d.agreeing} and {d.disagreeing} both "
            f"hinge on `{record.slugs.get(d.belief_id, '?')}`"
            for d in record.double_cruxes
        ],
    )
    lines += _section("Decisions", _items(record, "decision"))
    lines += _section("Actions", _items(record, "action"))
    lines += _section(STILL_OPEN, [f"- `{s.slug}` — {s.title}" for s in record.still_open])
    if len(lines) <= 6:
        lines += ["", "Nothing was logged during this meeting."]
    return "\n".join(lines).rstrip() + "\n"


def _heading(record: MeetingRecord) -> list[str]:
    """The title, when and by whom, and who took part: the lines every minutes open with."""
    meeting = record.meeting
    started = f"{meeting.started_at:%Y-%m-%d %H:%M}"
    ended = f"{meeting.ended_at:%H:%M}" if meeting.ended_at else "now (still open)"
    about = f": {record.reading.title}" if record.reading else ""
    lines = [f"# Minutes of meeting {meeting.id}{about}", ""]
    lines.append(f"{started} to {ended} UTC, started by {meeting.started_by_name}.")
    if meeting.closed_automatically:
        lines.append("Nobody ended this meeting, so it was closed automatically.")
    people = sorted({r.actor_name for r in record.revisions} | {meeting.started_by_name})
    people = sorted(set(people) | {s.author_name for s in record.statements})
    lines += ["", f"**Took part:** {', '.join(people)}"]
    return lines


_LISTED_SLUG = re.compile(r"^- `([^`]+)` — ")


def still_open_slugs(minutes: str) -> list[str]:
    """The nicknames the minutes listed under "Still open", in order."""
    _, found, rest = minutes.partition(f"\n**{STILL_OPEN}**\n")
    if not found:
        return []
    slugs = []
    for line in rest.splitlines():
        match = _LISTED_SLUG.match(line)
        if match is None:
            break
        slugs.append(match.group(1))
    return slugs


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    shown = items[:MAX_LISTED]
    if len(items) > MAX_LISTED:
        shown.append(f"- …and {len(items) - MAX_LISTED} more")
    return ["", f"**{title}**", *shown]


def _items(record: MeetingRecord, kind: str) -> list[str]:
    """`- #3 Ann: write up the evals argument` for each action (or decision) taken."""
    return [
        f"- #{item.id} {item.member_name}: {item.text}" + (" (done)" if item.done_at else "")
        for item in record.action_items
        if item.kind == kind
    ]


def _slug_of(record: MeetingRecord, revision: Revision) -> str:
    return record.slugs.get(revision.statement_id or 0, "?")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
