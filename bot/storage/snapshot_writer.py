"""Writing a checked snapshot into a workspace: the one writer of every import.

A JSON backup, a Kialo or Argdown file and a reading pack all become a typed
snapshot (bot/storage/snapshot_rows.py) and are written here, so each column
of each table is listed once. Rows are written in batches through
`BatchWriter` (short transactions, every row recorded under the command's one
change id, so /undo takes the whole import back); a failure part way removes
what was written, so an import is all or nothing.

The caller has checked the snapshot first (references resolve, vocabularies
hold: bot/services/restore_checks.py, or the pack loader) and refused taken
nicknames; what the revision log says about each row is the caller's
`Wording`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from bot.storage.batches import STATEMENTS_PER_BATCH, BatchWriter, chunks
from bot.storage.models import (
    ActionItem,
    Base,
    Crux,
    Meeting,
    Reading,
    SlugName,
    Stance,
    Statement,
    Steelman,
)
from bot.storage.snapshot_rows import (
    ActionRow,
    CruxRow,
    MapSnapshot,
    MeetingRow,
    ReadingRow,
    StanceRow,
    StatementRow,
    SteelmanRow,
)
from bot.storage.unit_of_work import UnitOfWork

#: Rows that each concern one statement, written per transaction.
ROWS_ABOUT_PER_BATCH = 100

AboutRow = TypeVar("AboutRow", SteelmanRow, StanceRow, CruxRow)


class Wording:
    """What the revision log says about imported rows (a backup's import, by default)."""

    def nickname(self, slug: str) -> str:
        """The line for a nickname."""
        return f"imported nickname {slug}"

    def steelman(self, row: SteelmanRow) -> str:
        """The line for a steelman."""
        return f"imported steelman of {row.statement}"

    def stance(self, row: StanceRow) -> str:
        """The line for a stance."""
        return f"imported stance on {row.statement}"


class _Ids:
    """Database ids of what has been written, by the names the snapshot uses."""

    def __init__(self) -> None:
        self.readings: dict[str, int] = {}
        self.meetings: dict[int, int] = {}
        self.statements: dict[str, int] = {}
        #: Whether every statement is written (so every row about one can be).
        self.all_written = False

    def reading(self, slug: str | None) -> int | None:
        return self.readings.get(slug or "")

    def meeting(self, ref: int | None) -> int | None:
        return self.meetings.get(ref or 0)


async def write_snapshot(uow: UnitOfWork, snapshot: MapSnapshot, wording: Wording) -> None:
    """Write every row of `snapshot` into the caller's workspace, all or nothing.

    An import that fits one batch is one transaction. A bigger one commits
    readings and meetings, then statements a batch at a time (with their
    nicknames, and the steelmen and stances about them that are ready: see
    `_Queue`), then the rest of those and cruxes, each batch in a
    transaction of its own.
    """
    writer = BatchWriter(uow, batched=not _fits_one_batch(snapshot))
    try:
        await _write(uow, writer, snapshot, wording)
    except BaseException:
        await writer.discard()
        raise


def _fits_one_batch(snapshot: MapSnapshot) -> bool:
    """Whether an import is small enough to be one transaction (a pack written by hand is)."""
    about = (snapshot.steelmen, snapshot.stances, snapshot.cruxes)
    return len(snapshot.statements) <= STATEMENTS_PER_BATCH and all(
        len(rows) <= ROWS_ABOUT_PER_BATCH for rows in about
    )


async def _write(
    uow: UnitOfWork, writer: BatchWriter, snapshot: MapSnapshot, wording: Wording
) -> None:
    ids = _Ids()
    readings = [_reading(uow, item) for item in snapshot.readings]
    await writer.write(readings)
    for row in readings:
        writer.record(row, f"imported reading {row.slug}")
    ids.readings = {row.slug: row.id for row in readings}
    meetings = [_meeting(uow, item, ids) for item in snapshot.meetings]
    await writer.write(meetings)
    ids.meetings = {item.ref: row.id for item, row in zip(snapshot.meetings, meetings, strict=True)}
    about = (
        _Queue(snapshot.steelmen, partial(_steelman, uow), wording.steelman),
        _Queue(snapshot.stances, partial(_stance, uow), wording.stance),
    )
    await _statements(uow, writer, snapshot.statements, ids, wording, about)
    for queue in (*about, _Queue(snapshot.cruxes, partial(_crux, uow), _crux_summary)):
        while queue.waiting:
            await writer.next_batch()
            await queue.write_ready(writer, ids)
    actions = [_action(uow, item, ids) for item in snapshot.actions]
    await writer.write(actions)
    for action in actions:
        writer.record(action, f"imported {action.kind} #{action.id}")
    for item in snapshot.channels:
        channel = await uow.channels.get(item.channel)
        channel.current_reading_id = ids.reading(item.current_reading)
    await writer.finish()


class _Queue(Generic[AboutRow]):
    """Rows about statements, written in the file's order as soon as their statements are.

    A pack lists each statement's steelmen and stances after it, so they go
    into the statement's batch; a backup lists them in the order they were
    made, which its rows' ids keep (an export of the import is the file again).
    """

    def __init__(
        self,
        items: Sequence[AboutRow],
        build: Callable[[AboutRow, _Ids], Base],
        summary: Callable[[AboutRow], str],
    ) -> None:
        self._items: Sequence[AboutRow] = items
        self._next = 0
        self._build: Callable[[AboutRow, _Ids], Base] = build
        self._summary: Callable[[AboutRow], str] = summary

    @property
    def waiting(self) -> bool:
        """Whether rows are left to write."""
        return self._next < len(self._items)

    async def write_ready(self, writer: BatchWriter, ids: _Ids) -> None:
        """Write the next rows (a batch at most) whose statements are written already."""
        start = end = self._next
        while (
            end < len(self._items)
            and end - start < ROWS_ABOUT_PER_BATCH
            and _written(self._items[end], ids)
        ):
            end += 1
        if end == start:
            if self.waiting and ids.all_written:  # the checks let through a dangling row
                raise KeyError(f"{self._items[start]!r} names no statement of the import")
            return
        batch, self._next = self._items[start:end], end
        rows = [self._build(item, ids) for item in batch]
        await writer.write(rows)
        for item, row in zip(batch, rows, strict=True):
            writer.record(row, self._summary(item), ids.statements[item.statement or ""])


def _written(item: SteelmanRow | StanceRow | CruxRow, ids: _Ids) -> bool:
    """Whether the statements a row is about are written (a crux is about two)."""
    names = [item.statement, *([item.belief] if isinstance(item, CruxRow) else [])]
    return all(name in ids.statements for name in names)


async def _statements(
    uow: UnitOfWork,
    writer: BatchWriter,
    items: Sequence[StatementRow],
    ids: _Ids,
    wording: Wording,
    about: Sequence[_Queue[Any]],
) -> None:
    """Statements and nicknames, batch by batch, with the rows `about` them that are ready.

    Links to later statements are set last.
    """
    later: list[tuple[StatementRow, Statement]] = []
    for batch in chunks(items):
        await writer.next_batch()
        rows = [_statement(uow, item, ids) for item in batch]
        await writer.write(rows)
        names: list[SlugName] = []
        for item, row in zip(batch, rows, strict=True):
            ids.statements[item.key] = row.id
            for nickname in item.nicknames:
                ids.statements[nickname] = row.id
                names.append(
                    SlugName(workspace_id=uow.workspace_id, slug=nickname, statement_id=row.id)
                )
        await writer.write(names)
        later += [
            (item, row) for item, row in zip(batch, rows, strict=True) if not _link(row, item, ids)
        ]
        for row in rows:
            writer.record(row, f"imported {row.kind} {row.slug}")
        for name in names:
            writer.record(name, wording.nickname(name.slug), name.statement_id)
        for queue in about:
            await queue.write_ready(writer, ids)
    ids.all_written = True
    for item, row in later:
        _link(row, item, ids)
    await writer.flush()


def _link(row: Statement, item: StatementRow, ids: _Ids) -> bool:
    """Set what the statement answers and duplicates; False if either is not written yet."""
    target, duplicate = item.target or "", item.duplicate_of or ""
    row.target_id = ids.statements.get(target)
    row.duplicate_of_id = ids.statements.get(duplicate)
    return (not target or target in ids.statements) and (
        not duplicate or duplicate in ids.statements
    )


def _crux_summary(row: CruxRow) -> str:
    return f"imported crux on {row.statement}"


def _reading(uow: UnitOfWork, item: ReadingRow) -> Reading:
    return Reading(
        workspace_id=uow.workspace_id,
        slug=item.slug,
        title=item.title,
        author=item.author,
        url=item.url,
        created_by=item.created_by,
        created_at=item.created_at,
    )


def _meeting(uow: UnitOfWork, item: MeetingRow, ids: _Ids) -> Meeting:
    return Meeting(
        workspace_id=uow.workspace_id,
        channel_id=item.channel,
        reading_id=ids.reading(item.reading),
        started_by_id=item.started_by_id,
        started_by_name=item.started_by_name,
        started_at=item.started_at,
        ended_at=item.ended_at,
        closed_automatically=item.closed_automatically,
        minutes=item.minutes,
    )


def _statement(uow: UnitOfWork, item: StatementRow, ids: _Ids) -> Statement:
    return Statement(
        workspace_id=uow.workspace_id,
        kind=item.kind,
        slug=item.slug,
        title=item.title,
        text=item.text,
        quote=item.quote,
        source_url=item.source_url,
        source_page=item.source_page,
        author_id=item.author_id,
        author_name=item.author_name,
        status=item.status,
        reading_id=ids.reading(item.reading),
        origin_url=item.origin_url,
        meeting_id=ids.meeting(item.meeting),
        created_at=item.created_at,
        updated_at=item.updated_at,
        deleted_at=item.deleted_at,
        source_member_id=item.source_member_id,
        source_member_name=item.source_member_name,
    )


def _steelman(uow: UnitOfWork, item: SteelmanRow, ids: _Ids) -> Steelman:
    return Steelman(
        workspace_id=uow.workspace_id,
        statement_id=ids.statements[item.statement or ""],
        text=item.text,
        author_id=item.author_id,
        author_name=item.author_name,
        endorsed=item.endorsed,
        created_at=item.created_at,
        deleted_at=item.deleted_at,
    )


def _stance(uow: UnitOfWork, item: StanceRow, ids: _Ids) -> Stance:
    return Stance(
        workspace_id=uow.workspace_id,
        statement_id=ids.statements[item.statement or ""],
        member_id=item.member_id,
        member_name=item.member_name,
        position=item.position,
        credence=item.credence,
        updated_at=item.updated_at,
    )


def _crux(uow: UnitOfWork, item: CruxRow, ids: _Ids) -> Crux:
    return Crux(
        workspace_id=uow.workspace_id,
        statement_id=ids.statements[item.statement or ""],
        belief_id=ids.statements[item.belief or ""],
        member_id=item.member_id,
        member_name=item.member_name,
        meeting_id=ids.meeting(item.meeting),
        reason=item.reason[:2000],
        created_at=item.created_at,
    )


def _action(uow: UnitOfWork, item: ActionRow, ids: _Ids) -> ActionItem:
    return ActionItem(
        workspace_id=uow.workspace_id,
        kind=item.kind,
        text=item.text[:1000],
        member_id=item.member_id[:64],
        member_name=item.member_name[:200],
        meeting_id=ids.meeting(item.meeting),
        created_at=item.created_at,
        done_at=item.done_at,
    )
