"""Loading a reading pack into a workspace, all or nothing."""

from __future__ import annotations

import asyncio

from bot.domain import count
from bot.errors import UserError
from bot.packs.loader import DEMO_PACK, Pack, PackStatement, load_pack
from bot.render.reply import Reply
from bot.services.registry import handles
from bot.storage.batches import BatchWriter, chunks, taken_nicknames
from bot.storage.models import Base, Reading, SlugName, Stance, Statement, Steelman
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

    The pack is already validated; it is written in batches (see
    bot.storage.batches), and a failure part way removes what was written.
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
    writer = BatchWriter(uow)
    try:
        reading = await _write(uow, writer, pack)
    except BaseException:
        await writer.discard()
        raise
    return Reply.done(
        f"Imported the reading `{reading.slug}` ({reading.title}) with "
        f"{count(len(pack.statements), 'statement')}.",
        footer="Try /list objections or /objection lag.",
    )


async def _write(uow: UnitOfWork, writer: BatchWriter, pack: Pack) -> Reading:
    reading = Reading(
        workspace_id=uow.workspace_id,
        slug=pack.reading.slug,
        title=pack.reading.title,
        author=pack.reading.author,
        url=pack.reading.url,
        created_by=uow.caller.user_id,
    )
    await writer.write([reading])
    writer.record(reading, f"imported reading {reading.slug}")
    ids: dict[str, int] = {}
    for batch in chunks(pack.statements):
        await writer.next_batch()
        rows = [_statement(uow, item, reading.id) for item in batch]
        await writer.write(rows)
        families: list[tuple[Statement, list[Base]]] = []
        for item, row in zip(batch, rows, strict=True):
            row.target_id = ids[item.target] if item.target else None
            ids.update((slug, row.id) for slug in (item.slug, *item.aliases))
            families.append((row, _children(uow, item, row)))
        await writer.write([child for _, children in families for child in children])
        for row, children in families:
            writer.record(row, f"imported {row.kind} {row.slug}")
            for child in children:
                writer.record(child, _summary(row, child), row.id)
    await writer.finish()
    return reading


def _summary(statement: Statement, child: Base) -> str:
    """What the revision log says about a nickname, steelman or stance (as before)."""
    if isinstance(child, SlugName):
        return f"nickname {child.slug}"
    if isinstance(child, Steelman):
        return f"imported steelman of {statement.slug} by {child.author_name}"
    assert isinstance(child, Stance)
    return f"imported stance of {child.member_name}: {child.position} on {statement.slug}"


def _statement(uow: UnitOfWork, item: PackStatement, reading_id: int) -> Statement:
    return Statement(
        workspace_id=uow.workspace_id,
        kind=item.kind,
        slug=item.slug,
        title=item.title,
        text=item.text,
        quote=item.quote,
        source_url=item.source_url,
        source_page=item.source_page,
        author_id=pack_member_id(item.author),
        author_name=item.author,
        status=item.status,
        reading_id=reading_id,
    )


def _children(uow: UnitOfWork, item: PackStatement, row: Statement) -> list[Base]:
    """The statement's nicknames, steelmen and stances, in the order they are logged."""
    ws = uow.workspace_id
    children: list[Base] = [
        SlugName(workspace_id=ws, slug=slug, statement_id=row.id)
        for slug in (item.slug, *item.aliases)
    ]
    children += [
        Steelman(
            workspace_id=ws,
            statement_id=row.id,
            text=steelman.text,
            author_id=pack_member_id(steelman.author),
            author_name=steelman.author,
            endorsed=steelman.endorsed,
        )
        for steelman in item.steelmen
    ]
    children += [
        Stance(
            workspace_id=ws,
            statement_id=row.id,
            member_id=pack_member_id(stance.member),
            member_name=stance.member,
            position=stance.position,
            credence=stance.credence,
        )
        for stance in item.stances
    ]
    return children
