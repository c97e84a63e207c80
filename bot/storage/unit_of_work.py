"""The unit of work: one transaction per command, with its revision log.

A service opens a UnitOfWork, reads and changes rows through it, and the
command's changes are committed together at the end, or not at all when a
UserError (or anything else) escapes. Every change goes through `record`, so
/history and /undo see each one, grouped under the command's change id.
A command that only reads gets a unit of work outside any transaction (see
`reading_sessions`), which refuses to write.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, UOWTransaction

from bot.context import Caller
from bot.storage.database import reading_engine
from bot.storage.deliveries import DeliveryRepository
from bot.storage.models import Base, Revision
from bot.storage.revisions import ENTITY_NAMES, Snapshot, snapshot
from bot.storage.store import Store
from bot.storage.workspace_queries import WorkspaceRepository

#: Finds (and tags the unit of work with) the caller's open meeting; returns a note.
MeetingFinder = Callable[["UnitOfWork"], Awaitable[str]]


class ReadOnlyViolation(RuntimeError):
    """A command run as read-only tried to write: a bug, and nothing is stored."""


class ReadingSession(Session):
    """A session outside any transaction, for commands that only read.

    Each flush would commit on its own there, so any flush is refused.
    """


def _refuse_changes(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyViolation("a command run as read-only tried to write")


@event.listens_for(ReadingSession, "before_flush")
def _refuse_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    _refuse_changes(session)


def reading_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for read-only units of work (see `reading_engine`)."""
    return async_sessionmaker(
        reading_engine(engine), expire_on_commit=False, sync_session_class=ReadingSession
    )


class UnitOfWork(Store):
    """A transaction scoped to one workspace and one caller.

    Its repositories (`uow.statements`, `uow.readings`, … see `Store`) are
    ready once it is entered; services read and write through them and through
    `add`, `record` and `remove`, never through the session itself.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        caller: Caller,
        *,
        workspace_id: int | None = None,
        meeting_finder: MeetingFinder | None = None,
    ) -> None:
        """Prepare a unit of work for `caller`.

        Args:
            sessions: where sessions come from.
            caller: who runs the command, and where.
            workspace_id: the caller's workspace id, when already known (saves a query).
            meeting_finder: looks up the channel's open meeting the first time this
                command writes something (reads never need it).
        """
        self._sessions = sessions
        self._known_workspace_id = workspace_id
        self._meeting_finder = meeting_finder
        self._meeting_looked_up = meeting_finder is None
        self.caller = caller
        self.change_id = str(uuid.uuid4())
        self.session: AsyncSession
        self.workspace_id: int
        self.workspaces: WorkspaceRepository
        self.deliveries: DeliveryRepository
        self.new_workspace = False
        #: How many revisions this command has recorded (0: it changed nothing).
        self.revisions_written = 0
        #: The open meeting of the caller's channel, once looked up (see current_meeting).
        self.meeting_id: int | None = None
        #: Things the caller should be told besides the reply (a meeting closed itself).
        self.notes: list[str] = []
        #: Whose words and stances this command records: the caller, or the member a
        #: facilitator credits with `by:` (see `credit`). Revisions keep the caller.
        self.author_id = caller.user_id
        self.author_name = caller.user_name

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        await self.session.__aenter__()
        self.workspaces = WorkspaceRepository(self.session)
        if self._known_workspace_id is not None:
            self.workspace_id = self._known_workspace_id
        else:
            self.workspace_id, self.new_workspace = await self.workspaces.ensure(
                self.caller.platform, self.caller.workspace_id, self.caller.workspace_name
            )
        self.open_repositories(self.session, self.workspace_id)
        self.deliveries = DeliveryRepository(self.session)
        return self

    def credit(self, member_id: str, member_name: str) -> None:
        """Record what this command logs as `member_id`'s: they said it, the caller typed it."""
        self.author_id, self.author_name = member_id, member_name[:200]

    @property
    def credited(self) -> bool:
        """Whether the command logs for another member than the caller."""
        return self.author_id != self.caller.user_id

    async def current_meeting(self) -> int | None:
        """The id of the open meeting this command's changes belong to, if any."""
        if not self._meeting_looked_up:
            self._meeting_looked_up = True
            assert self._meeting_finder is not None
            note = await self._meeting_finder(self)
            if note:
                self.notes.append(note)
        return self.meeting_id

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if isinstance(self.session.sync_session, ReadingSession):
                # Nothing to commit; unflushed changes are a bug, refused like a flush.
                _refuse_changes(self.session.sync_session)
            elif exc_type is None:
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.__aexit__(exc_type, exc, traceback)

    async def add_new(self, row: Base) -> None:
        """Insert a row now, so its id is known, without recording it yet (see `record`)."""
        self.session.add(row)
        await self.session.flush()

    async def flush(self) -> None:
        """Send the changes made so far to the database, inside the transaction.

        Later queries of the command see them, and a constraint they break fails here.
        """
        await self.session.flush()

    async def commit_early(self) -> None:
        """Commit what the command wrote so far, before slow work that writes nothing more.

        An open transaction holds SQLite's write lock; a command that goes on
        to draw or parse for seconds ends it first, so everyone else can write.
        """
        if self.session.in_transaction():
            await self.session.commit()

    async def add(self, row: Base, summary: str, statement_id: int | None = None) -> None:
        """Insert a row and record its creation."""
        self.session.add(row)
        await self.session.flush()
        await self.record(row, None, summary, "create", statement_id)

    async def remove(self, row: Base, summary: str, statement_id: int | None = None) -> None:
        """Delete a row for good and record what it held."""
        before = snapshot(row)
        await self.session.delete(row)
        await self.session.flush()
        await self.write_revision(
            ENTITY_NAMES[type(row)], before["id"], before, None, summary, "remove", statement_id
        )

    async def record(
        self,
        row: Base,
        before: Snapshot | None,
        summary: str,
        action: str = "update",
        statement_id: int | None = None,
    ) -> None:
        """Record a change to `row`, whose state before the change was `before`."""
        await self.session.flush()
        after = snapshot(row)
        await self.write_revision(
            ENTITY_NAMES[type(row)], after["id"], before, after, summary, action, statement_id
        )

    async def write_revision(
        self,
        entity_type: str,
        entity_id: int,
        before: Snapshot | None,
        after: Snapshot | None,
        summary: str,
        action: str,
        statement_id: int | None,
    ) -> None:
        self.revisions_written += 1
        meeting_id = await self.current_meeting()
        if statement_id is None and entity_type == "statement":
            statement_id = entity_id
        self.session.add(
            Revision(
                workspace_id=self.workspace_id,
                change_id=self.change_id,
                statement_id=statement_id,
                entity_type=entity_type,
                entity_id=entity_id,
                action=action,
                summary=(summary + (f" for {self.author_name}" if self.credited else ""))[:300],
                actor_id=self.caller.user_id,
                actor_name=self.caller.user_name[:200],
                before=before,
                after=after,
                meeting_id=meeting_id,
            )
        )
        await self.session.flush()
