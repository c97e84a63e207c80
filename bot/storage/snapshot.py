"""A workspace's map read from the database into a snapshot (bot/storage/snapshot_rows.py).

Rows refer to each other by slug (statements, readings) or by position
(meetings), never by database id, so an export means the same thing in any
database it is imported into. Platform ids (members, channels, message links)
are exported as they are; what an import may keep of them is decided against
what the importing workspace has seen itself (`seen_members`, `seen_channels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    ActionItem,
    Base,
    Channel,
    Crux,
    Meeting,
    Reading,
    Revision,
    SlugName,
    Stance,
    Statement,
    Steelman,
)
from bot.storage.snapshot_rows import (
    ActionRow,
    ChannelRow,
    CruxRow,
    MapSnapshot,
    MeetingRow,
    ReadingRow,
    StanceRow,
    StatementRow,
    SteelmanRow,
    iso,
)

__all__ = ["MapSnapshot", "iso", "load_snapshot", "seen_channels", "seen_members"]


ModelT = TypeVar("ModelT", bound=Base)


async def _all(session: AsyncSession, model: type[ModelT], workspace_id: int) -> Sequence[ModelT]:
    """Every row of one kind in the workspace, in the order they were made."""
    query = select(model).where(model.workspace_id == workspace_id)  # type: ignore[attr-defined]
    return (await session.scalars(query.order_by(model.id))).all()  # type: ignore[attr-defined]


async def load_snapshot(
    session: AsyncSession, workspace_id: int, reading_slug: str | None = None
) -> MapSnapshot:
    """Read a workspace (or one reading and its statements) into a snapshot.

    Rows name each other by slug and meeting position, so the ids are turned
    into those names first; each kind of row is then written by its own
    function below, so a new column is added in one place.
    """
    snap = MapSnapshot()
    readings = await _all(session, Reading, workspace_id)
    if reading_slug is not None:
        readings = [r for r in readings if r.slug == reading_slug]
    reading_slugs = {r.id: r.slug for r in readings}
    snap.readings = [_reading_row(r) for r in readings]
    statements = await _all(session, Statement, workspace_id)
    if reading_slug is not None:
        statements = [s for s in statements if s.reading_id in reading_slugs]
    owned: dict[int, list[str]] = {}
    for name in await _all(session, SlugName, workspace_id):
        owned.setdefault(name.statement_id, []).append(name.slug)
    # A statement that no longer answers to its own slug was merged into another.
    merged = {s.id for s in statements if s.slug not in owned.get(s.id, ())}
    slugs = {
        s.id: f"{s.slug}@{position}" if s.id in merged else s.slug
        for position, s in enumerate(statements, start=1)
    }
    meetings = await _all(session, Meeting, workspace_id)
    if reading_slug is not None:
        meetings = [m for m in meetings if m.reading_id in reading_slugs]
    refs = Refs(slugs, reading_slugs, {m.id: index for index, m in enumerate(meetings, start=1)})
    snap.meetings = [_meeting_row(m, refs) for m in meetings]
    snap.statements = [
        _statement_row(s, owned.get(s.id, []), s.id in merged, refs) for s in statements
    ]
    steelmen = await _all(session, Steelman, workspace_id)
    snap.steelmen = [_steelman_row(m, refs) for m in steelmen if m.statement_id in slugs]
    stances = await _all(session, Stance, workspace_id)
    snap.stances = [_stance_row(t, refs) for t in stances if t.statement_id in slugs]
    cruxes = await _all(session, Crux, workspace_id)
    snap.cruxes = [
        _crux_row(c, refs) for c in cruxes if c.statement_id in slugs and c.belief_id in slugs
    ]
    items = await _all(session, ActionItem, workspace_id)
    snap.actions = [
        _action_row(a, refs) for a in items if reading_slug is None or a.meeting_id in refs.meetings
    ]
    channels = await _all(session, Channel, workspace_id)
    snap.channels = [
        ChannelRow(c.external_id, reading_slugs.get(c.current_reading_id or 0))
        for c in channels
        if reading_slug is None or c.current_reading_id in reading_slugs
    ]
    return snap


@dataclass(frozen=True)
class Refs:
    """How rows name each other in a snapshot: statement and reading slugs, meeting positions."""

    statements: dict[int, str]
    readings: dict[int, str]
    meetings: dict[int, int]


def _reading_row(r: Reading) -> ReadingRow:
    return ReadingRow(
        slug=r.slug,
        title=r.title,
        author=r.author,
        url=r.url,
        created_by=r.created_by,
        created_at=r.created_at,
    )


def _meeting_row(m: Meeting, refs: Refs) -> MeetingRow:
    return MeetingRow(
        ref=refs.meetings[m.id],
        channel=m.channel_id,
        reading=refs.readings.get(m.reading_id or 0),
        started_by_id=m.started_by_id,
        started_by_name=m.started_by_name,
        started_at=m.started_at,
        ended_at=m.ended_at,
        closed_automatically=m.closed_automatically,
        minutes=m.minutes,
    )


def _statement_row(s: Statement, names: list[str], merged: bool, refs: Refs) -> StatementRow:
    slugs = refs.statements
    return StatementRow(
        slug=s.slug,
        aliases=tuple(name for name in names if name != s.slug),
        kind=s.kind,
        title=s.title,
        text=s.text,
        quote=s.quote,
        source_url=s.source_url,
        source_page=s.source_page,
        author_id=s.author_id,
        author_name=s.author_name,
        status=s.status,
        target=slugs.get(s.target_id or 0),
        duplicate_of=slugs.get(s.duplicate_of_id or 0),
        reading=refs.readings.get(s.reading_id or 0),
        origin_url=s.origin_url,
        meeting=refs.meetings.get(s.meeting_id or 0),
        created_at=s.created_at,
        updated_at=s.updated_at,
        deleted_at=s.deleted_at,
        source_member_id=s.source_member_id,
        source_member_name=s.source_member_name,
        merged=merged,
        ref=slugs[s.id] if merged else None,
    )


def _steelman_row(m: Steelman, refs: Refs) -> SteelmanRow:
    return SteelmanRow(
        statement=refs.statements[m.statement_id],
        text=m.text,
        author_id=m.author_id,
        author_name=m.author_name,
        endorsed=m.endorsed,
        created_at=m.created_at,
        deleted_at=m.deleted_at,
    )


def _stance_row(t: Stance, refs: Refs) -> StanceRow:
    return StanceRow(
        statement=refs.statements[t.statement_id],
        member_id=t.member_id,
        member_name=t.member_name,
        position=t.position,
        credence=t.credence,
        updated_at=t.updated_at,
    )


def _crux_row(c: Crux, refs: Refs) -> CruxRow:
    return CruxRow(
        statement=refs.statements[c.statement_id],
        belief=refs.statements[c.belief_id],
        member_id=c.member_id,
        member_name=c.member_name,
        meeting=refs.meetings.get(c.meeting_id or 0),
        reason=c.reason,
        created_at=c.created_at,
    )


def _action_row(a: ActionItem, refs: Refs) -> ActionRow:
    return ActionRow(
        kind=a.kind,
        text=a.text,
        member_id=a.member_id,
        member_name=a.member_name,
        meeting=refs.meetings.get(a.meeting_id or 0),
        created_at=a.created_at,
        done_at=a.done_at,
    )


#: Ids looked up per query (well under every driver's limit on parameters).
_CHUNK = 500


async def seen_members(
    session: AsyncSession, workspace_id: int, candidates: Iterable[str]
) -> set[str]:
    """Which of these member ids have changed something in this workspace themselves.

    The revision log names the member behind each change made through a
    command; an import is recorded as its importer's change, never under the
    ids written in the file, so a file cannot make an id "seen" here.
    """
    ids = sorted({c for c in candidates if c})
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(Revision.actor_id)
            .where(
                Revision.workspace_id == workspace_id,
                Revision.actor_id.in_(ids[start : start + _CHUNK]),
            )
            .distinct()
        )
        found.update(await session.scalars(query))
    return found


async def seen_channels(session: AsyncSession, workspace_id: int) -> set[str]:
    """Channel ids this workspace has a row for: made when a command ran there."""
    query = select(Channel.external_id).where(Channel.workspace_id == workspace_id)
    return set(await session.scalars(query))
