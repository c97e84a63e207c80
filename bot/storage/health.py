"""What the host's health checks and metrics read from the database.

Kept here so the application object holds no SQL of its own.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.models import Meeting

log = logging.getLogger(__name__)


async def database_answers(engine: AsyncEngine) -> bool:
    """Whether the database answers a trivial query; never raises."""
    try:
        async with engine.connect() as connection:
            await connection.execute(select(1))
    except Exception:
        log.warning("health check: database unreachable", exc_info=True)
        return False
    return True


def connections_in_use(engine: AsyncEngine) -> int | None:
    """Connections checked out of the pool now (None: the pool cannot tell)."""
    checked_out = getattr(engine.sync_engine.pool, "checkedout", None)
    return None if checked_out is None else int(checked_out())


async def open_meeting_count(session: AsyncSession) -> int:
    """Meetings open across all workspaces."""
    count = await session.scalar(
        select(func.count()).select_from(Meeting).where(Meeting.ended_at.is_(None))
    )
    return int(count or 0)
