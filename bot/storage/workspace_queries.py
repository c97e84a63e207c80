"""Workspaces: the tenants, one per guild, team or console.

The one repository not scoped to a workspace, since it is how a workspace's
id is found in the first place.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Workspace


class WorkspaceRepository:
    """Tenants, created the first time a guild, team or console is seen."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, platform: str, external_id: str) -> int | None:
        """The workspace's id if it has been seen, without creating it."""
        return await self.session.scalar(
            select(Workspace.id).where(
                Workspace.platform == platform, Workspace.external_id == external_id
            )
        )

    async def ensure(self, platform: str, external_id: str, name: str = "") -> tuple[int, bool]:
        """The workspace's id, creating it on first sight, and whether it is new.

        Safe when two commands of a new workspace arrive at once: the loser of
        the insert race reads the winner's row.
        """
        query = select(Workspace.id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
        found = await self.session.scalar(query)
        if found is not None:
            return found, False
        try:
            async with self.session.begin_nested():
                row = Workspace(platform=platform, external_id=external_id, name=name[:200])
                self.session.add(row)
            return row.id, True
        except IntegrityError:
            found = await self.session.scalar(query)
            assert found is not None
            return found, False
