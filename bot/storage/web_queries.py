"""The rows the web view reads besides what the repositories already offer.

Every query filters on the workspace a page's token named: a page can never
show another workspace's rows. The web link rows themselves are here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.storage.models import Crux, Meeting, Reading, Stance, Statement, WebLink, Workspace


async def link_by_hash(session: AsyncSession, token_hash: str) -> WebLink | None:
    """The web link whose token hashes to this, if any."""
    return await session.scalar(select(WebLink).where(WebLink.token_hash == token_hash))


async def link_of(session: AsyncSession, workspace_id: int) -> WebLink | None:
    """The workspace's web link row, if one was ever made."""
    return await session.scalar(select(WebLink).where(WebLink.workspace_id == workspace_id))


async def workspace_name(session: AsyncSession, workspace_id: int) -> str:
    """How the workspace is shown (its name, else its platform)."""
    row = (
        await session.execute(
            select(Workspace.name, Workspace.platform).where(Workspace.id == workspace_id)
        )
    ).first()
    if row is None:
        return ""
    return row.name or f"{row.platform} workspace"


async def readings_with_counts(
    session: AsyncSession, workspace_id: int
) -> list[tuple[Reading, int]]:
    """Every reading of the workspace, with how many live statements it holds, newest first."""
    counts = (
        select(Statement.reading_id, func.count().label("n"))
        .where(Statement.workspace_id == workspace_id, Statement.deleted_at.is_(None))
        .group_by(Statement.reading_id)
        .subquery()
    )
    query = (
        select(Reading, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.reading_id == Reading.id)
        .where(Reading.workspace_id == workspace_id)
        .order_by(Reading.id.desc())
    )
    return [(reading, int(n)) for reading, n in (await session.execute(query)).all()]


async def meetings_of(
    session: AsyncSession, workspace_id: int, reading_id: int | None = None, limit: int = 50
) -> Sequence[Meeting]:
    """The workspace's meetings (on one reading, if given), newest first."""
    query = select(Meeting).where(Meeting.workspace_id == workspace_id)
    if reading_id is not None:
        query = query.where(Meeting.reading_id == reading_id)
    return (await session.scalars(query.order_by(Meeting.id.desc()).limit(limit))).all()


async def last_change(session: AsyncSession, workspace_id: int) -> tuple[int, datetime | None]:
    """(how many statements, when the latest changed): a page's version, for live refresh."""
    row = (
        await session.execute(
            select(func.count(), func.max(Statement.updated_at)).where(
                Statement.workspace_id == workspace_id, Statement.deleted_at.is_(None)
            )
        )
    ).one()
    return int(row[0]), row[1]


async def stance_totals(
    session: AsyncSession, workspace_id: int, reading_id: int | None
) -> dict[str, tuple[int, int, int]]:
    """Slug -> (agree, disagree, unsure) for the live statements of a reading with stances."""
    query = (
        select(Statement.slug, Stance.position, func.count())
        .join(Statement, Statement.id == Stance.statement_id)
        .where(
            Stance.workspace_id == workspace_id,
            Statement.workspace_id == workspace_id,
            Statement.deleted_at.is_(None),
        )
        .group_by(Statement.slug, Stance.position)
    )
    if reading_id is not None:
        query = query.where(Statement.reading_id == reading_id)
    totals: dict[str, list[int]] = {}
    for slug, position, n in (await session.execute(query)).all():
        counts = totals.setdefault(slug, [0, 0, 0])
        counts[("agree", "disagree", "unsure").index(position)] += int(n)
    return {slug: (a, d, u) for slug, (a, d, u) in totals.items()}


async def crux_rows(
    session: AsyncSession,
    workspace_id: int,
    *,
    reading_id: int | None = None,
    statement_id: int | None = None,
) -> list[tuple[str, str, str]]:
    """(statement slug, belief slug, member name) of live statements' cruxes, oldest first.

    Of one reading's statements, or of one statement (as the statement or as the belief).
    """
    belief = aliased(Statement)
    query = (
        select(Statement.slug, belief.slug, Crux.member_name)
        .join(Statement, Statement.id == Crux.statement_id)
        .join(belief, belief.id == Crux.belief_id)
        .where(
            Crux.workspace_id == workspace_id,
            Statement.deleted_at.is_(None),
            belief.deleted_at.is_(None),
        )
        .order_by(Crux.id)
        .limit(500)
    )
    if reading_id is not None:
        query = query.where(Statement.reading_id == reading_id)
    if statement_id is not None:
        query = query.where((Crux.statement_id == statement_id) | (Crux.belief_id == statement_id))
    return [(s, b, m) for s, b, m in (await session.execute(query)).all()]
