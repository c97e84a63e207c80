"""Importing a JSON export into a workspace, all or nothing.

Every item is checked before anything is written, and the error names the
section, the item and the field (bot/formats/json_rows.py,
bot/services/restore_checks.py); what passed is written by the writer every
import shares (bot/storage/snapshot_writer.py): in batches, all recorded as
one change in the revision log, so /undo takes it back; a failure part way
removes what was written.

Nicknames in the file were read the way typed ones are (`LAG` and ` lag ` are
`lag`), references to them too, so nothing imported is out of reach. Platform
ids are kept only where this workspace owns them (see `import_trust`): a file
from elsewhere comes in with its members' names but not their ids, without
channels or message links this workspace has not seen, and with its open
meetings closed; the reply says what was left out. The host restoring a backup
at the command line keeps every id.
"""

from __future__ import annotations

import asyncio

from bot.domain import count
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.import_trust import Localised, localise, seen_here
from bot.services.restore_checks import check
from bot.storage.batches import taken_nicknames
from bot.storage.models import utcnow
from bot.storage.snapshot_rows import MapSnapshot
from bot.storage.snapshot_writer import Wording, write_snapshot
from bot.storage.unit_of_work import UnitOfWork


async def import_snapshot(uow: UnitOfWork, snapshot: MapSnapshot) -> Reply:
    """Write an export into the caller's workspace; refuse if any nickname is taken."""
    await asyncio.to_thread(check, snapshot)  # big files take a second: off the event loop
    localised = Localised()
    if not uow.caller.is_operator:  # a restore by the host keeps every id it holds
        snapshot, localised = localise(snapshot, await seen_here(uow, snapshot), utcnow())
    taken = [r.slug for r in snapshot.readings if await uow.readings.by_slug(r.slug)]
    taken += await taken_nicknames(
        uow, [name for item in snapshot.statements for name in item.nicknames]
    )
    if taken:
        raise UserError(
            "Already in this workspace: "
            + ", ".join(f"`{t}`" for t in taken[:10])
            + ". Import into an empty workspace, or rename these first."
        )
    await write_snapshot(uow, snapshot, Wording())
    summary = (
        f"Imported {count(len(snapshot.readings), 'reading')} and "
        f"{count(len(snapshot.statements), 'statement')} with "
        f"{count(len(snapshot.steelmen), 'steelman')} and {count(len(snapshot.stances), 'stance')}."
    )
    return Reply.done(
        "\n".join([summary, *localised.sentences()]),
        footer="/undo takes the whole import back.",
    )
