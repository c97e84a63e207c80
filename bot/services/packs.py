"""Loading a reading pack into a workspace, all or nothing."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.domain import count
from bot.errors import UserError
from bot.packs.loader import DEMO_PACK, Pack, PackStatement, load_pack
from bot.render.reply import Reply
from bot.services.registry import handles
from bot.storage.batches import taken_nicknames
from bot.storage.models import utcnow
from bot.storage.snapshot_rows import MapSnapshot, ReadingRow, StanceRow, StatementRow, SteelmanRow
from bot.storage.snapshot_writer import Wording, write_snapshot
from bot.storage.unit_of_work import UnitOfWork

PACKS = {"demo": DEMO_PACK}


def pack_member_id(name: str) -> str:
    """Pack authors are not platform users; they get a stable id of their own."""
    return f"pack:{name}"


@handles("import")
async def import_named_pack(uow: UnitOfWork, pack: str) -> Reply:
    """`/import demo`: load a bundled pack (read and checked off the event loop)."""
    return await import_pack(uow, await asyncio.to_thread(load_pack, PACKS[pack]))


async def import_pack(uow: UnitOfWork, pack: Pack) -> Reply:
    """Add the pack's reading and statements; refuse if any nickname is taken.

    The pack is already validated; it is written as a snapshot by the writer
    every import shares (bot/storage/snapshot_writer.py): in batches, and a
    failure part way removes what was written.
    """
    if await uow.readings.by_slug(pack.reading.slug) is not None:
        return Reply.done(
            f"The reading `{pack.reading.slug}` is already here; nothing was imported.",
            ephemeral=True,
        )
    taken = await taken_nicknames(uow, pack.all_slugs())
    if taken:
        raise UserError(
            "These nicknames are taken in this workspace: "
            + ", ".join(f"`{s}`" for s in taken[:10])
            + ". Rename them (or those in the pack) and import again."
        )
    snapshot = pack_snapshot(pack, uow.caller.user_id, utcnow())
    await write_snapshot(uow, snapshot, PackWording())
    reading = pack.reading
    return Reply.done(
        f"Imported the reading `{reading.slug}` ({reading.title}) with "
        f"{count(len(pack.statements), 'statement')}.",
        footer="Try /list objections or /objection lag.",
    )


class PackWording(Wording):
    """What the revision log says about a pack's rows (as it always has)."""

    def nickname(self, slug: str) -> str:
        """The line for a nickname."""
        return f"nickname {slug}"

    def steelman(self, row: SteelmanRow) -> str:
        """The line for a steelman, naming its author."""
        return f"imported steelman of {row.statement} by {row.author_name}"

    def stance(self, row: StanceRow) -> str:
        """The line for a stance, naming the member and their position."""
        return f"imported stance of {row.member_name}: {row.position} on {row.statement}"


def pack_snapshot(pack: Pack, importer_id: str, now: datetime) -> MapSnapshot:
    """The pack as a snapshot: its reading (the importer's), statements, steelmen, stances.

    Pack authors are not platform users (see `pack_member_id`); every row is
    dated `now`, the import.
    """
    reading = pack.reading
    snapshot = MapSnapshot(
        readings=[
            ReadingRow(
                slug=reading.slug,
                title=reading.title,
                author=reading.author,
                url=reading.url,
                created_by=importer_id,
                created_at=now,
            )
        ]
    )
    for item in pack.statements:
        snapshot.statements.append(_statement(item, reading.slug, now))
        snapshot.steelmen += [
            SteelmanRow(
                statement=item.slug,
                text=steelman.text,
                author_id=pack_member_id(steelman.author),
                author_name=steelman.author,
                endorsed=steelman.endorsed,
                created_at=now,
            )
            for steelman in item.steelmen
        ]
        snapshot.stances += [
            StanceRow(
                statement=item.slug,
                member_id=pack_member_id(stance.member),
                member_name=stance.member,
                position=stance.position,
                credence=stance.credence,
                updated_at=now,
            )
            for stance in item.stances
        ]
    return snapshot


def _statement(item: PackStatement, reading: str, now: datetime) -> StatementRow:
    return StatementRow(
        slug=item.slug,
        aliases=item.aliases,
        kind=item.kind,
        title=item.title,
        text=item.text,
        quote=item.quote,
        source_url=item.source_url,
        source_page=item.source_page,
        author_id=pack_member_id(item.author),
        author_name=item.author,
        status=item.status,
        target=item.target,
        reading=reading,
        created_at=now,
        updated_at=now,
    )
