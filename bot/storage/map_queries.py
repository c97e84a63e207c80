"""What /map draws, read in two light queries.

The map needs five columns of each live statement and a count of steelmen, not
whole rows: loading ORM objects for a workspace of thousands of statements took
longer on the event loop than drawing them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Statement, Steelman


async def map_rows(
    session: AsyncSession, workspace_id: int, reading_id: int | None = None
) -> list[dict[str, Any]]:
    """Live statements (of one reading, if given) in the order they were made.

    Each is {slug, kind, title, status, target, steelmen}; `target` is the slug
    of what it answers, None for a claim or when that statement is deleted.
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
    return [
        {
            "slug": row.slug,
            "kind": row.kind,
            "title": row.title,
            "status": row.status,
            "target": live.get(row.target_id) if row.target_id is not None else None,
            "steelmen": counts.get(row.id, 0),
        }
        for row in rows
        if row.deleted_at is None and (reading_id is None or row.reading_id == reading_id)
    ]
