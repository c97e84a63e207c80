"""How busy a member has been: the revision log doubles as the rate-limit counter.

Every write records a revision, so counting a member's recent changes needs no
counter of its own, and holds across processes because it is in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Revision


async def changes_since(
    session: AsyncSession, workspace_id: int, actor_id: str, since: datetime, but: str
) -> int:
    """How many commands (not rows) `actor_id` changed something with since `since`,
    not counting the change `but` (the one being made)."""
    query = select(func.count(distinct(Revision.change_id))).where(
        Revision.workspace_id == workspace_id,
        Revision.actor_id == actor_id,
        Revision.created_at >= since,
        Revision.change_id != but,
    )
    return int(await session.scalar(query) or 0)
