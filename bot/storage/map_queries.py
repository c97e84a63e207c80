"""What /map draws, read in four light queries.

The map needs five columns of each live statement, counts of steelmen and of
stances, and which statements are cruxes, not whole rows: loading ORM objects
for a workspace of thousands of statements took longer on the event loop than
drawing them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Crux, Stance, Statement, Steelman


async def map_rows(
    session: AsyncSession, workspace_id: int, reading_id: int | None = None
) -> list[dict[str, Any]]:
    """Live statements (of one reading, if given) in the order they were made.

    Each is {slug, kind, title, status, target, steelmen, agree, disagree,
    crux_for}; `target` is the slug of what it answers, None for a claim or when
    that statement is deleted; `crux_for` the slugs of the statements it is a
    crux of for some member.
    """
    query = select(
        Statement.id,
        Statement.slug,
        Statement.kind,
        Statement.title,
        Statement.status,
        Statement.target_id,
        Statement.deleted_at,
        Statement.reading_id,
    ).where(Statement.workspace_id == workspace_id)
    rows = (await session.execute(query.order_by(Statement.id))).all()
    live = {row.id: row.slug for row in rows if row.deleted_at is None}
    counts_query = (
        select(Steelman.statement_id, func.count())
        .where(Steelman.workspace_id == workspace_id, Steelman.deleted_at.is_(None))
        .group_by(Steelman.statement_id)
    )
    counts = {sid: int(n) for sid, n in (await session.execute(counts_query)).all()}
    stances = await _stance_counts(session, workspace_id)
    cruxes = await _crux_targets(session, workspace_id, live)
    return [
        {
            "slug": row.slug,
            "kind": row.kind,
            "title": row.title,
            "status": row.status,
            "target": live.get(row.target_id) if row.target_id is not None else None,
            "steelmen": counts.get(row.id, 0),
            "agree": stances.get((row.id, "agree"), 0),
            "disagree": stances.get((row.id, "disagree"), 0),
            "crux_for": cruxes.get(row.id, []),
        }
        for row in rows
        if row.deleted_at is None and (reading_id is None or row.reading_id == reading_id)
    ]


async def _stance_counts(session: AsyncSession, workspace_id: int) -> dict[tuple[int, str], int]:
    """Members' stances, counted by (statement id, position)."""
    query = (
        select(Stance.statement_id, Stance.position, func.count())
        .where(Stance.workspace_id == workspace_id)
        .group_by(Stance.statement_id, Stance.position)
    )
    return {(sid, position): int(n) for sid, position, n in (await session.execute(query)).all()}


async def _crux_targets(
    session: AsyncSession, workspace_id: int, live: dict[int, str]
) -> dict[int, list[str]]:
    """For each belief named as a crux, the live statements it is a crux of, once each."""
    query = (
        select(Crux.belief_id, Crux.statement_id)
        .where(Crux.workspace_id == workspace_id)
        .distinct()
        .order_by(Crux.belief_id, Crux.statement_id)
    )
    targets: dict[int, list[str]] = {}
    for belief_id, statement_id in (await session.execute(query)).all():
        if statement_id in live:
            targets.setdefault(belief_id, []).append(live[statement_id])
    return targets
