"""Writing a big import in short transactions, so other commands are not kept waiting.

On SQLite one transaction holds the database's only write lock until it ends,
so an import of thousands of rows written as one transaction kept every other
workspace's commands queued for tens of seconds. An import is validated
completely first, then written here batch by batch: each batch is flushed in
a few statements and committed on its own, and after each commit the import
pauses briefly so that commands queued on the lock get it.

What a user sees stays "all or nothing": a small import (one batch, as every
pack a group writes by hand) is a single transaction; when a later batch
of a big one fails, `discard` deletes what the earlier batches committed before
the error is reported. Every row is recorded in the revision log under the
command's one change id, whichever batch wrote it, so /undo takes the whole
import back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select

from bot.storage.models import (
    Base,
    Crux,
    Meeting,
    Reading,
    Revision,
    SlugName,
    Stance,
    Statement,
    Steelman,
)
from bot.storage.revisions import ENTITY_NAMES, snapshot
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

#: Statements written per transaction (with their nicknames, steelmen, stances and
#: revisions: a few hundred rows). Measured on SQLite: a batch holds the write lock
#: for some tens of milliseconds, well under what a waiting command notices.
STATEMENTS_PER_BATCH = 25

#: Rows prepared and flushed between two returns to the event loop (each row costs
#: some 0.1 ms of the loop's time in SQLAlchemy).
_ROWS_PER_FLUSH = 100

#: After each commit, how long the import waits before its next batch. On SQLite,
#: waiting writers poll the lock (its busy handler sleeps up to 25 ms between tries
#: while a wait is younger than 100 ms): without a pause the import would win every
#: race for the lock it has just released. On both databases the import shares the
#: event loop with everyone's commands; pausing leaves the loop to them for a while.
PAUSE_SECONDS = 0.03

#: Rows are removed children first, so no foreign key is left dangling meanwhile.
_REMOVAL_ORDER: tuple[type[Base], ...] = (
    Crux,
    Stance,
    Steelman,
    SlugName,
    Statement,
    Meeting,
    Reading,
)

#: How many ids go into one `IN (…)` list (PostgreSQL and SQLite both take this many).
_IN_CHUNK = 500


def chunks(items: Sequence[Any], size: int = STATEMENTS_PER_BATCH) -> Iterable[Sequence[Any]]:
    """`items` in consecutive slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def taken_nicknames(uow: UnitOfWork, names: Sequence[str]) -> list[str]:
    """Which of `names` are already nicknames in the workspace (a few queries, not one each)."""
    taken: set[str] = set()
    for part in chunks(sorted({n.lower() for n in names}), _IN_CHUNK):
        query = select(SlugName.slug).where(
            SlugName.workspace_id == uow.workspace_id, SlugName.slug.in_(part)
        )
        taken.update((await uow.session.scalars(query)).all())
    return [name for name in names if name.lower() in taken]


class BatchWriter:
    """Writes an import's rows batch by batch and records them in the revision log."""

    def __init__(self, uow: UnitOfWork, *, batched: bool = True) -> None:
        """Write through `uow`'s session, recording under its change id.

        `batched=False` (an import that fits one batch) makes `next_batch` do
        nothing, so the whole import is the command's one transaction.
        """
        self._uow = uow
        self._batched = batched
        #: Rows flushed since the last commit, and the revisions still to write for them.
        self._open: list[tuple[type[Base], int]] = []
        self._to_record: list[tuple[Base, str, int | None]] = []
        #: Rows committed by earlier batches (what `discard` removes).
        self._committed: list[tuple[type[Base], int]] = []

    @property
    def _sqlite(self) -> bool:
        return self._uow.session.get_bind().dialect.name == "sqlite"

    async def _number(self, rows: Sequence[Base]) -> None:
        """Give new rows the ids SQLite would give them (one more than the largest).

        SQLite cannot report the ids of a many-row INSERT in order, so without ids
        SQLAlchemy inserts row by row, one round trip each; with them it sends
        one `executemany`. Safe: this transaction holds SQLite's write lock.
        """
        models: dict[type[Base], list[Any]] = {}
        for row in rows:
            models.setdefault(type(row), []).append(row)
        for model, group in models.items():
            table: Any = model
            largest = await self._uow.session.scalar(select(func.max(table.id)))
            for offset, row in enumerate(group, start=1):
                row.id = int(largest or 0) + offset

    @property
    def committed_batches(self) -> bool:
        """Whether some batch has been committed (and so outlives a rollback)."""
        return bool(self._committed)

    async def write(self, rows: Sequence[Base]) -> None:
        """Insert rows, a hundred per flush; their ids are set afterwards."""
        if self._sqlite:
            await self._number(rows)
        for part in chunks(rows, _ROWS_PER_FLUSH):  # the loop runs other commands in between
            self._uow.session.add_all(part)
            await self._uow.session.flush()
        self._open.extend((type(row), int(row.id)) for row in rows)  # type: ignore[attr-defined]

    async def flush(self) -> None:
        """Send changes made to written rows (links set after `write`) to the database."""
        await self._uow.session.flush()

    def record(self, row: Base, summary: str, statement_id: int | None = None) -> None:
        """Log the creation of a written row; `statement_id`: the statement it concerns."""
        self._to_record.append((row, summary, statement_id))

    async def next_batch(self) -> None:
        """End the current batch: write its revisions, commit, and let waiting writers in.

        Called before each batch but the first, so an import of one batch stays a
        single transaction that the unit of work commits (or rolls back) as before.
        """
        if not self._open or not self._batched:
            return
        await self.finish()
        await self._uow.session.commit()
        self._committed.extend(self._open)
        self._open.clear()
        await asyncio.sleep(PAUSE_SECONDS)

    async def finish(self) -> None:
        """Write the revisions of the rows written so far (the unit of work commits them)."""
        if not self._to_record:
            return
        uow = self._uow
        await uow.session.flush()  # changes made after `write` (targets) belong in `after`
        meeting_id = await uow.current_meeting()
        revisions = []
        for index, (row, summary, statement_id) in enumerate(self._to_record):
            if index and index % _ROWS_PER_FLUSH == 0:
                await asyncio.sleep(0)  # let other commands run between slices of the work
            after = snapshot(row)
            if statement_id is None and isinstance(row, Statement):
                statement_id = row.id
            revisions.append(
                Revision(
                    workspace_id=uow.workspace_id,
                    change_id=uow.change_id,
                    statement_id=statement_id,
                    entity_type=ENTITY_NAMES[type(row)],
                    entity_id=after["id"],
                    action="create",
                    summary=summary[:300],
                    actor_id=uow.caller.user_id,
                    actor_name=uow.caller.user_name[:200],
                    before=None,
                    after=after,
                    meeting_id=meeting_id,
                )
            )
        await self.write(revisions)
        uow.revisions_written += len(revisions)
        self._to_record.clear()

    async def discard(self) -> None:
        """After a failure: roll back the open batch and delete what earlier ones committed.

        Never raises: the caller is already reporting an error, which matters more;
        a failure here is logged with the change id, which /undo can still revert.
        """
        session = self._uow.session
        await session.rollback()
        if not self._committed:
            return
        try:
            await self._delete_committed()
            await session.commit()
        except Exception:
            await session.rollback()
            log.exception("removing the partial import %s failed", self._uow.change_id)
        self._committed.clear()

    async def _delete_committed(self) -> None:
        session = self._uow.session
        ws = self._uow.workspace_id
        await session.execute(
            delete(Revision).where(
                Revision.workspace_id == ws, Revision.change_id == self._uow.change_id
            )
        )
        for model in _REMOVAL_ORDER:
            ids = [row_id for kind, row_id in self._committed if kind is model]
            table: Any = model
            for part in chunks(ids, _IN_CHUNK):
                await session.execute(
                    delete(model).where(table.workspace_id == ws, table.id.in_(part))
                )
