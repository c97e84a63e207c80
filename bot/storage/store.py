"""The repositories of one workspace, one per aggregate.

A service asks `uow.statements`, `uow.readings`, `uow.stances`, … rather
than writing SQL or touching the session. Each repository is bound to the
workspace when it is opened and every query it runs filters on it: tenants
stay apart because no repository can name another workspace.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.action_queries import ActionRepository
from bot.storage.export_queries import ExportRepository
from bot.storage.meeting_queries import MeetingRepository
from bot.storage.member_queries import MemberRepository
from bot.storage.reading_queries import ChannelRepository, ReadingRepository
from bot.storage.revision_queries import RevisionRepository
from bot.storage.stance_queries import StanceRepository
from bot.storage.statement_queries import StatementRepository
from bot.storage.web_queries import WebLinkRepository


class Store:
    """One repository per aggregate, all scoped to the same workspace."""

    session: AsyncSession
    workspace_id: int
    statements: StatementRepository
    readings: ReadingRepository
    channels: ChannelRepository
    stances: StanceRepository
    meetings: MeetingRepository
    revisions: RevisionRepository
    actions: ActionRepository
    members: MemberRepository
    exports: ExportRepository
    web_links: WebLinkRepository

    def open_repositories(self, session: AsyncSession, workspace_id: int) -> None:
        """Bind every repository to `session` and to the workspace `workspace_id`."""
        self.session, self.workspace_id = session, workspace_id
        self.statements = StatementRepository(session, workspace_id)
        self.readings = ReadingRepository(session, workspace_id)
        self.channels = ChannelRepository(session, workspace_id)
        self.stances = StanceRepository(session, workspace_id)
        self.meetings = MeetingRepository(session, workspace_id)
        self.revisions = RevisionRepository(session, workspace_id)
        self.actions = ActionRepository(session, workspace_id)
        self.members = MemberRepository(session, workspace_id)
        self.exports = ExportRepository(session, workspace_id)
        self.web_links = WebLinkRepository(session, workspace_id)


def store_over(session: AsyncSession, workspace_id: int) -> Store:
    """The repositories of a workspace over a session of the caller's own (web pages)."""
    store = Store()
    store.open_repositories(session, workspace_id)
    return store
