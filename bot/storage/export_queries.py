"""What exports and maps read: a workspace's rows, or one reading's, in bulk.

Scoped to the repository's workspace like every other repository; the bulk
readers themselves live in `bot.storage.snapshot` and `bot.storage.map_queries`.
"""

from __future__ import annotations

from typing import Any

from bot.storage.map_queries import map_rows
from bot.storage.scoped import Scoped
from bot.storage.snapshot import MapSnapshot, load_snapshot


class ExportRepository(Scoped):
    """Bulk reads of the workspace for /export and /map."""

    async def snapshot(self, reading_slug: str | None = None) -> MapSnapshot:
        """The workspace (or one reading and its statements) as a snapshot."""
        return await load_snapshot(self.session, self.workspace_id, reading_slug)

    async def map_rows(self, reading_id: int | None = None) -> list[dict[str, Any]]:
        """Live statements (of one reading, if given) as /map draws them."""
        return await map_rows(self.session, self.workspace_id, reading_id)
