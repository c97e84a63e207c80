"""How busy a member has been: the revision log doubles as the rate-limit counter.

Every write records a revision, so counting a member's recent changes needs no
counter of its own, and holds across processes because it is in the database.
Meetings are the exception (starting or ending one records no revision), so
their rows are counted too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Meeting, Revision


def _changes(workspace_id: int, actor_id: str, since: datetime, but: str) -> Select[Any]:
    return select(func.count(distinct(Revision.change_id))).where(
        Revision.workspace_id == workspace_id,
        Revision.actor_id == actor_id,
        Revision.created_at >= since,
        Revision.change_id != but,
    )


def _meeting_changes(workspace_id: int, actor_id: str, since: datetime) -> Select[Any]:
    started = Meeting.started_at >= since
    ended = and_(Meeting.ended_at >= since, Meeting.closed_automatically.is_(False))
    return select(
        func.coalesce(func.sum(case((started, 1), else_=0) + case((ended, 1), else_=0)), 0)
    ).where(
        Meeting.workspace_id == workspace_id,
        Meeting.started_by_id == actor_id,
        or_(started, ended),
    )


async def writes_since(
    session: AsyncSession, workspace_id: int, actor_id: str, since: datetime, but: str
) -> int:
    """How many changes `actor_id` made since `since`, not counting the change `but`
    (the one being made): one round trip, as every write pays for it.

    Changes are commands (not rows) that recorded revisions, plus meetings the
    member started since then and meetings of theirs ended by hand since then.

    A meeting does not record who ended it; only its starter or a moderator
    may, and moderators are not limited, so the starter is who is counted (a
    moderator ending a member's meeting counts against that member: rare, and
    the member's meeting all the same).
    """
    changes = _changes(workspace_id, actor_id, since, but).scalar_subquery()
    meetings = _meeting_changes(workspace_id, actor_id, since).scalar_subquery()
    return int(await session.scalar(select(changes + meetings)) or 0)
