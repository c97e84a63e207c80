"""Importing a JSON export into a workspace, all or nothing.

Every item is checked before anything is written, and the error names the
section, the item and the field. A big import is written in batches (see
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
from datetime import datetime
from typing import Any

from bot.domain import (
    ALLOWED_TARGETS,
    KINDS,
    POSITIONS,
    STATUSES,
    article,
    count,
    normalise_slug,
    validate_slug,
)
from bot.errors import UserError
from bot.formats.json_format import ExportFormatError
from bot.render.reply import Reply
from bot.services.import_trust import Localised, localise, seen_here
from bot.services.restore_actions import check_actions, write_actions
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


def _when(value: Any, where: str, required: bool = True) -> datetime | None:
    if value is None and not required:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ExportFormatError(f"{where}: {value!r} is not an ISO 8601 timestamp.") from None


def _text(item: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ExportFormatError(f"{where}: `{key}` must be text.")
    if required and not value.strip():
        raise ExportFormatError(f"{where}: `{key}` is missing.")
    return value


def _slug(value: Any, where: str) -> str:
    try:
        return validate_slug(value if isinstance(value, str) else "")
    except UserError as exc:
        raise ExportFormatError(f"{where}: {exc.message}") from exc


def _ref(value: Any) -> str | None:
    """A reference to a nickname, read as a typed one is (`check` says if it names nothing)."""
    return None if value is None else normalise_slug(str(value))


def _with_refs(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return [{**item, **{key: _ref(item.get(key)) for key in keys}} for item in items]


def _merged(item: dict[str, Any], where: str) -> dict[str, Any]:
    """A merged statement's `merged` flag and `ref`, checked (nothing for other statements).

    Its slug went to the statement it was merged into, so the file refers to
    it by `ref` (see `statement_key`); a ref has an `@`, which no nickname has,
    so refs and nicknames never collide.
    """
    merged = item.get("merged", False)
    if not isinstance(merged, bool):
        raise ExportFormatError(f"{where}: `merged` must be true or false.")
    if not merged:
        return {}
    ref = _ref(item.get("ref")) or ""
    if "@" not in ref:
        raise ExportFormatError(f"{where}: a merged statement needs a `ref` like `slug@3`.")
    return {"merged": True, "ref": ref}


def nicknames(item: dict[str, Any]) -> list[str]:
    """The nicknames a `normalised` statement answers to (a merged one's slug is not one)."""
    return [*([] if item.get("merged") else [item["slug"]]), *item["aliases"]]


def normalised(snapshot: MapSnapshot) -> MapSnapshot:
    """A copy with every nickname and reference as a typed one would be stored.

    A nickname that is not one even then (`bad slug!`) is refused, naming its
    item; a reference is only normalised here, and `check` says if it names
    nothing.
    """
    statements = []
    for index, item in enumerate(snapshot.statements):
        slug = _slug(item.get("slug"), f"statements[{index}]")
        where = f"statements[{index}] `{slug}`"
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise ExportFormatError(f"{where}: `aliases` must be a list.")
        statements.append(
            {
                **item,
                "slug": slug,
                "aliases": [_slug(alias, where) for alias in aliases],
                **{key: _ref(item.get(key)) for key in ("target", "duplicate_of", "reading")},
                **_merged(item, where),
            }
        )
    return MapSnapshot(
        readings=[
            {**item, "slug": _slug(item.get("slug"), f"readings[{index}]")}
            for index, item in enumerate(snapshot.readings)
        ],
        statements=statements,
        steelmen=_with_refs(snapshot.steelmen, "statement"),
        stances=_with_refs(snapshot.stances, "statement"),
        meetings=_with_refs(snapshot.meetings, "reading"),
        cruxes=_with_refs(snapshot.cruxes, "statement", "belief"),
        channels=_with_refs(snapshot.channels, "current_reading"),
        actions=snapshot.actions,
    )


def check(snapshot: MapSnapshot) -> None:
    """Validate references and vocabularies of a `normalised` snapshot before any write."""
    reading_slugs = {r["slug"] for r in snapshot.readings}
    kinds: dict[str, str] = {}
    for index, item in enumerate(snapshot.statements):
        slug = item["slug"]
        where = f"statements[{index}] `{slug}`"
        if item.get("kind") not in KINDS:
            raise ExportFormatError(f"{where}: kind must be one of {', '.join(KINDS)}.")
        if item.get("status") not in STATUSES:
            raise ExportFormatError(f"{where}: status must be one of {', '.join(STATUSES)}.")
        for name in nicknames(item):
            if name in kinds:
                raise ExportFormatError(f"{where}: the nickname `{name}` is used twice.")
            kinds[name] = str(item["kind"])
        if item.get("merged"):
            if item["ref"] in kinds:
                raise ExportFormatError(f"{where}: the ref `{item['ref']}` is used twice.")
            kinds[item["ref"]] = str(item["kind"])
        if item.get("reading") is not None and item["reading"] not in reading_slugs:
            raise ExportFormatError(f"{where}: unknown reading `{item['reading']}`.")
        _text(item, "text", where, required=True)
        _when(item.get("created_at"), where)
    for index, item in enumerate(snapshot.statements):
        where = f"statements[{index}] `{item['slug']}`"
        for key in ("target", "duplicate_of"):
            if item.get(key) is not None and item[key] not in kinds:
                raise ExportFormatError(f"{where}: `{key}` names unknown `{item[key]}`.")
        target = item.get("target")
        if target is not None and kinds[target] not in ALLOWED_TARGETS[item["kind"]]:
            kind, other = item["kind"], kinds[target]
            raise ExportFormatError(
                f"{where}: {article(kind)} {kind} cannot answer {article(other)} {other}."
            )
    for section in ("steelmen", "stances", "cruxes"):
        for index, item in enumerate(getattr(snapshot, section)):
            for key in ("statement", "belief") if section == "cruxes" else ("statement",):
                if item.get(key) not in kinds:
                    raise ExportFormatError(
                        f"{section}[{index}]: unknown `{key}` {item.get(key)!r}."
                    )
    check_actions(snapshot.actions)
    for index, item in enumerate(snapshot.stances):
        if item.get("position") not in POSITIONS:
            raise ExportFormatError(
                f"stances[{index}]: position must be agree, disagree or unsure."
            )


async def import_snapshot(uow: UnitOfWork, snapshot: MapSnapshot) -> Reply:
    """Write an export into the caller's workspace; refuse if any nickname is taken."""
    snapshot = await asyncio.to_thread(normalised, snapshot)  # big files take seconds:
    await asyncio.to_thread(check, snapshot)  # off the event loop
    localised = Localised()
    if not uow.caller.is_operator:  # a restore by the host keeps every id it holds
        snapshot, localised = localise(snapshot, await seen_here(uow, snapshot), utcnow())
    repos = uow.repos
    taken = [r["slug"] for r in snapshot.readings if await repos.reading_by_slug(r["slug"])]
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
            title=_text(item, "title", "reading"),
            author=_text(item, "author", "reading"),
            url=_text(item, "url", "reading"),
            created_by=_text(item, "created_by", "reading"),
            created_at=_when(item.get("created_at"), "reading"),
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
            started_at=_when(item.get("started_at"), "meeting"),
            ended_at=_when(item.get("ended_at"), "meeting", required=False),
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
    await write_actions(writer, ws, snapshot.actions, meetings, _when)
    for item in snapshot.channels:
        channel = await uow.repos.channel(str(item.get("channel", "")))
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
        title=_text(item, "title", where),
        text=_text(item, "text", where),
        quote=_text(item, "quote", where),
        source_url=_text(item, "source_url", where),
        source_page=_text(item, "source_page", where),
        author_id=_text(item, "author_id", where),
        author_name=_text(item, "author_name", where),
        status=item["status"],
        reading_id=readings.get(item.get("reading") or ""),
        origin_url=_text(item, "origin_url", where),
        meeting_id=meetings.get(item.get("meeting") or 0),
        created_at=_when(item.get("created_at"), where),
        updated_at=_when(item.get("updated_at") or item.get("created_at"), where),
        deleted_at=_when(item.get("deleted_at"), where, required=False),
        # Whose message the text quotes; absent from older exports.
        source_member_id=_text(item, "source_member_id", where),
        source_member_name=_text(item, "source_member_name", where),
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
    await uow.session.flush()
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
                created_at=_when(item.get("created_at"), "steelman"),
                deleted_at=_when(item.get("deleted_at"), "steelman", required=False),
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
                updated_at=_when(item.get("updated_at"), "stance"),
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
                created_at=_when(item.get("created_at"), "crux"),
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
