"""Platform request ids already applied, so a re-delivered request is applied once.

Slack re-sends a request it thinks failed, Discord may replay an interaction,
and a gateway or Socket Mode connection can hand the same message over twice.
Keeping the keys in the database (not in memory) makes this hold across
restarts and several processes. A command that changes anything claims its key
inside its own transaction: the key and the command's rows commit together or
not at all, so a crash between them can neither lose a retried command nor
apply it twice.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Delivery, utcnow

#: How long a handled request id is remembered; platforms retry within minutes.
DELIVERY_MEMORY = timedelta(days=1)

#: Keys longer than the column are cut; platform ids are far shorter.
KEY_LENGTH = 200


async def claim(session: AsyncSession, key: str) -> bool:
    """Record `key` in the session's transaction; False if it was recorded before.

    Two transactions claiming one key at once cannot both commit: the second
    fails on the primary key and, run again, sees the first one's row.
    """
    key = key[:KEY_LENGTH]
    seen = await session.scalar(select(Delivery.key).where(Delivery.key == key))
    if seen is not None:
        return False
    session.add(Delivery(key=key))
    await session.flush()
    if secrets.randbelow(100) == 0:  # now and then, forget keys older than any retry
        await session.execute(
            delete(Delivery).where(Delivery.created_at < utcnow() - DELIVERY_MEMORY)
        )
    return True


class DeliveryRepository:
    """The request keys a unit of work claims (not scoped: platform ids are global)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, key: str) -> bool:
        """Record `key` in this transaction; False if it was recorded before (see `claim`)."""
        return await claim(self.session, key)
