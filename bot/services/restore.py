"""Importing a JSON export into a workspace, all or nothing.

Every item is checked before anything is written, and the error names the
section, the item and the field (bot/services/restore_checks.py); this module
writes what passed. A big import is written in batches (see
bot.storage.batches), all recorded as one change in the revision log, so /undo
takes it back; a failure part way removes what was written.

Nicknames in the file are read the way typed ones are (`LAG` and ` lag ` are
`lag`), references to them too, so nothing imported is out of reach. Platform
ids are kept only where this workspace owns them (see `import_trust`): a file
from elsewhere comes in with its members' names but not their ids, without
channels or message links this workspace has not seen, and with its open
meetings closed; the reply says what was left out. The host restoring a backup
at the command line keeps every id.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.domain import count
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.import_trust import Localised, localise, seen_here
from bot.services.restore_actions import write_actions
from bot.services.restore_checks import check, nicknames, normalised, text_field, when
from bot.storage.batches import BatchWriter, chunks, taken_nicknames
from bot.storage.models import (
    Crux,
    Meeting,
    Reading,
    SlugName,
    Stance,
    Statement,
    Steelman,
    utcnow,
)
from bot.storage.snapshot import MapSnapshot, statement_key
from bot.storage.unit_of_work import UnitOfWork


async def import_snapshot(uow: UnitOfWork, snapshot: MapSnapshot) -> Reply:
    """Write an export into the caller's workspace; refuse if any nickname is taken."""
    snapshot = await asyncio.to_thread(normalised, snapshot)  # big files take seconds:
    await asyncio.to_thread(check, snapshot)  # off the event loop
    localised = Localised()
    if not uow.caller.is_operator:  # a restore by the host keeps every id it holds
        snapshot, localised = localise(snapshot, await seen_here(uow, snapshot), utcnow())
    taken = [r["slug"] for r in snapshot.readings if await uow.readings.by_slug(r["slug"])]
    taken += await taken_nicknames(
        uow, [name for item in snapshot.statements for name in nicknames(item)]
    )
    if taken:
        raise UserError(
            "Already in this workspace: "
            + ", ".join(f"`{t}`" for t in taken[:10])
            + ". Import into an empty workspace, or rename these first."
        )
    writer = BatchWriter(uow)
    try:
        await _write(uow, writer, snapshot)
    except BaseException:
        await writer.discard()
        raise
    summary = (
        f"Imported {count(len(snapshot.readings), 'reading')} and "
        f"{count(len(snapshot.statements), 'statement')} with "
        f"{count(len(snapshot.steelmen), 'steelman')} and {count(len(snapshot.stances), 'stance')}."
    )
    return Reply.done(
        "\n".join([summary, *localised.sentences()]),
        footer="/undo takes the whole import back.",
    )


async def _write(uow: UnitOfWork, writer: BatchWriter, snapshot: MapSnapshot) -> None:
    ws = uow.workspace_id
    rows = [
        Reading(
            workspace_id=ws,
            slug=item["slug"],
            title=text_field(item, "title", "reading"),
            author=text_field(item, "author", "reading"),
            url=text_field(item, "url", "reading"),
            created_by=text_field(item, "created_by", "reading"),
            created_at=when(item.get("created_at"), "reading"),
        )
        for item in snapshot.readings
    ]
    await writer.write(rows)
    for row in rows:
        writer.record(row, f"imported reading {row.slug}")
    readings = {row.slug: row.id for row in rows}
    meeting_rows = [
        Meeting(
            workspace_id=ws,
            channel_id=str(item.get("channel") or ""),
            reading_id=readings.get(item.get("reading") or ""),
            started_by_id=str(item.get("started_by_id", "")),
            started_by_name=str(item.get("started_by_name", "")),
            started_at=when(item.get("started_at"), "meeting"),
            ended_at=when(item.get("ended_at"), "meeting", required=False),
            closed_automatically=bool(item.get("closed_automatically")),
            minutes=str(item.get("minutes", "")),
        )
        for item in snapshot.meetings
    ]
    await writer.write(meeting_rows)
    meetings = {
        int(item.get("ref", 0)): row.id
        for item, row in zip(snapshot.meetings, meeting_rows, strict=True)
    }
    ids = await _statements(uow, writer, snapshot, readings, meetings)
    await _around_statements(uow, writer, snapshot, ids, meetings)
    await write_actions(writer, ws, snapshot.actions, meetings, when)
    for item in snapshot.channels:
        channel = await uow.channels.get(str(item.get("channel", "")))
        channel.current_reading_id = readings.get(item.get("current_reading") or "")
    await writer.finish()


def _statement(
    uow: UnitOfWork, item: dict[str, Any], readings: dict[str, int], meetings: dict[int, int]
) -> Statement:
    where = f"statement `{item['slug']}`"
    return Statement(
        workspace_id=uow.workspace_id,
        kind=item["kind"],
        slug=item["slug"],
        title=text_field(item, "title", where),
        text=text_field(item, "text", where),
        quote=text_field(item, "quote", where),
        source_url=text_field(item, "source_url", where),
        source_page=text_field(item, "source_page", where),
        author_id=text_field(item, "author_id", where),
        author_name=text_field(item, "author_name", where),
        status=item["status"],
        reading_id=readings.get(item.get("reading") or ""),
        origin_url=text_field(item, "origin_url", where),
        meeting_id=meetings.get(item.get("meeting") or 0),
        created_at=when(item.get("created_at"), where),
        updated_at=when(item.get("updated_at") or item.get("created_at"), where),
        deleted_at=when(item.get("deleted_at"), where, required=False),
        # Whose message the text quotes; absent from older exports.
        source_member_id=text_field(item, "source_member_id", where),
        source_member_name=text_field(item, "source_member_name", where),
    )


async def _statements(
    uow: UnitOfWork,
    writer: BatchWriter,
    snapshot: MapSnapshot,
    readings: dict[str, int],
    meetings: dict[int, int],
) -> dict[str, int]:
    """Statements and nicknames, batch by batch; links to later statements come last."""
    ids: dict[str, int] = {}
    later: list[tuple[dict[str, Any], Statement]] = []
    for batch in chunks(snapshot.statements):
        await writer.next_batch()
        rows = [_statement(uow, item, readings, meetings) for item in batch]
        await writer.write(rows)
        names: list[SlugName] = []
        for item, row in zip(batch, rows, strict=True):
            ids[statement_key(item)] = row.id
            for nickname in nicknames(item):
                ids[nickname] = row.id
                names.append(
                    SlugName(workspace_id=uow.workspace_id, slug=nickname, statement_id=row.id)
                )
        await writer.write(names)
        for item, row in zip(batch, rows, strict=True):
            if not _link(row, item, ids):
                later.append((item, row))
        for row in rows:
            writer.record(row, f"imported {row.kind} {row.slug}")
        for name in names:
            writer.record(name, f"imported nickname {name.slug}", name.statement_id)
    for item, row in later:
        _link(row, item, ids)
    await uow.flush()
    return ids


def _link(row: Statement, item: dict[str, Any], ids: dict[str, int]) -> bool:
    """Set what the statement answers and duplicates; False if either is not written yet."""
    target, duplicate = item.get("target") or "", item.get("duplicate_of") or ""
    row.target_id = ids.get(target)
    row.duplicate_of_id = ids.get(duplicate)
    return (not target or target in ids) and (not duplicate or duplicate in ids)


async def _around_statements(
    uow: UnitOfWork,
    writer: BatchWriter,
    snapshot: MapSnapshot,
    ids: dict[str, int],
    meetings: dict[int, int],
) -> None:
    ws = uow.workspace_id
    for batch in chunks(snapshot.steelmen, 100):
        await writer.next_batch()
        steelmen = [
            Steelman(
                workspace_id=ws,
                statement_id=ids[item["statement"]],
                text=str(item["text"]),
                author_id=str(item.get("author_id", "")),
                author_name=str(item.get("author_name", "")),
                endorsed=bool(item.get("endorsed")),
                created_at=when(item.get("created_at"), "steelman"),
                deleted_at=when(item.get("deleted_at"), "steelman", required=False),
            )
            for item in batch
        ]
        await _write_about(writer, steelmen, batch, ids, "imported steelman of")
    for batch in chunks(snapshot.stances, 100):
        await writer.next_batch()
        stances = [
            Stance(
                workspace_id=ws,
                statement_id=ids[item["statement"]],
                member_id=str(item.get("member_id", "")),
                member_name=str(item.get("member_name", "")),
                position=item["position"],
                credence=int(item["credence"]) if item.get("credence") is not None else None,
                updated_at=when(item.get("updated_at"), "stance"),
            )
            for item in batch
        ]
        await _write_about(writer, stances, batch, ids, "imported stance on")
    for batch in chunks(snapshot.cruxes, 100):
        await writer.next_batch()
        cruxes = [
            Crux(
                workspace_id=ws,
                statement_id=ids[item["statement"]],
                belief_id=ids[item["belief"]],
                member_id=str(item.get("member_id", "")),
                member_name=str(item.get("member_name", "")),
                meeting_id=meetings.get(item.get("meeting") or 0),
                reason=str(item.get("reason") or "")[:2000],
                created_at=when(item.get("created_at"), "crux"),
            )
            for item in batch
        ]
        await _write_about(writer, cruxes, batch, ids, "imported crux on")


async def _write_about(
    writer: BatchWriter,
    rows: list[Any],
    items: Any,
    ids: dict[str, int],
    summary: str,
) -> None:
    """Write rows that each concern one statement, and log them against it."""
    await writer.write(rows)
    for item, row in zip(items, rows, strict=True):
        writer.record(row, f"{summary} {item['statement']}", ids[item["statement"]])
