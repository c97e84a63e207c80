"""Readings and channels: what a group reads, and which reading each channel is on.

Every query filters on the repository's workspace (see `bot.storage.scoped`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from bot.storage.models import Channel, Reading
from bot.storage.scoped import Scoped
from bot.storage.snapshot import seen_channels


class ReadingRepository(Scoped):
    """The workspace's readings."""

    async def by_slug(self, slug: str) -> Reading | None:
        """A reading of this workspace by slug."""
        query = select(Reading).where(
            Reading.workspace_id == self.workspace_id, Reading.slug == slug.lower()
        )
        return await self.session.scalar(query)

    async def by_id(self, reading_id: int | None) -> Reading | None:
        """A reading of this workspace by id."""
        if reading_id is None:
            return None
        query = select(Reading).where(
            Reading.workspace_id == self.workspace_id, Reading.id == reading_id
        )
        return await self.session.scalar(query)

    async def newest(self, limit: int = 25) -> Sequence[Reading]:
        """The workspace's readings, newest first."""
        query = (
            select(Reading)
            .where(Reading.workspace_id == self.workspace_id)
            .order_by(Reading.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def complete(self, typed: str, limit: int) -> Sequence[tuple[str, str]]:
        """(slug, title) of readings whose slug or title contains what was typed."""
        pattern = f"%{_escape_like(typed.lower())}%"
        query = (
            select(Reading.slug, Reading.title)
            .where(
                Reading.workspace_id == self.workspace_id,
                or_(
                    Reading.slug.like(pattern, escape="\\"),
                    func.lower(Reading.title).like(pattern, escape="\\"),
                ),
            )
            .order_by(Reading.slug)
            .limit(limit)
        )
        return [(slug, title) for slug, title in await self.session.execute(query)]


class ChannelRepository(Scoped):
    """The workspace's channels and what each is on (its current reading)."""

    async def get(self, external_id: str) -> Channel:
        """The channel's state row, created on first use."""
        query = select(Channel).where(
            Channel.workspace_id == self.workspace_id, Channel.external_id == external_id
        )
        found = await self.session.scalar(query)
        if found is None:
            found = Channel(workspace_id=self.workspace_id, external_id=external_id)
            self.session.add(found)
            await self.session.flush()
        return found

    async def current_reading_id(self, external_id: str) -> int | None:
        """The channel's current reading, without creating its row (for read-only checks)."""
        return await self.session.scalar(
            select(Channel.current_reading_id).where(
                Channel.workspace_id == self.workspace_id, Channel.external_id == external_id
            )
        )

    async def seen(self) -> set[str]:
        """Channel ids this workspace has a row for: made when a command ran there."""
        return await seen_channels(self.session, self.workspace_id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
