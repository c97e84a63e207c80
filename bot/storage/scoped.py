"""What every aggregate repository shares: one session, one workspace.

Each repository is built for one workspace and every query it runs filters on
`workspace_id`: that filter is what keeps tenants apart, so a service holding
a repository cannot reach another workspace's rows even by id.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class Scoped:
    """A repository bound to a session and to the workspace its queries filter on."""

    def __init__(self, session: AsyncSession, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
