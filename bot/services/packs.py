"""Loading a reading pack into a workspace, all or nothing."""

from __future__ import annotations

from bot.errors import UserError
from bot.packs.loader import DEMO_PACK, Pack, load_pack
from bot.render.reply import Reply
from bot.storage.models import Reading, SlugName, Stance, Statement, Steelman
from bot.storage.unit_of_work import UnitOfWork

PACKS = {"demo": DEMO_PACK}


def pack_member_id(name: str) -> str:
    """Pack authors are not platform users; they get a stable id of their own."""
    return f"pack:{name}"


async def import_named_pack(uow: UnitOfWork, name: str) -> Reply:
    """`/import demo`: load a bundled pack."""
    if not uow.caller.is_moderator:
        raise UserError("Only a moderator can import a reading pack.")
    return await import_pack(uow, load_pack(PACKS[name]))


async def import_pack(uow: UnitOfWork, pack: Pack) -> Reply:
    """Add the pack's reading and statements; refuse if any nickname is taken."""
    if await uow.repos.reading_by_slug(pack.reading.slug) is not None:
        return Reply.done(
            f"The reading `{pack.reading.slug}` is already here; nothing was imported.",
            ephemeral=True,
        )
    taken = [slug for slug in pack.all_slugs() if await uow.repos.slug_owner(slug)]
    if taken:
        raise UserError(
            "These nicknames are taken in this workspace: "
            + ", ".join(f"`{s}`" for s in taken[:10])
            + ". Rename them (or those in the pack) and import again."
        )
    reading = Reading(
        workspace_id=uow.workspace_id,
        slug=pack.reading.slug,
        title=pack.reading.title,
        author=pack.reading.author,
        url=pack.reading.url,
        created_by=uow.caller.user_id,
    )
    await uow.add(reading, f"imported reading {reading.slug}")
    ids: dict[str, int] = {}
    for item in pack.statements:
        statement = Statement(
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
            target_id=ids[item.target] if item.target else None,
            reading_id=reading.id,
        )
        await uow.add(statement, f"imported {item.kind} {item.slug}")
        for slug in (item.slug, *item.aliases):
            ids[slug] = statement.id
            await uow.add(
                SlugName(workspace_id=uow.workspace_id, slug=slug, statement_id=statement.id),
                f"nickname {slug}",
                statement.id,
            )
        for steelman in item.steelmen:
            await uow.add(
                Steelman(
                    workspace_id=uow.workspace_id,
                    statement_id=statement.id,
                    text=steelman.text,
                    author_id=pack_member_id(steelman.author),
                    author_name=steelman.author,
                    endorsed=steelman.endorsed,
                ),
                f"imported steelman of {item.slug} by {steelman.author}",
                statement.id,
            )
        for stance in item.stances:
            await uow.add(
                Stance(
                    workspace_id=uow.workspace_id,
                    statement_id=statement.id,
                    member_id=pack_member_id(stance.member),
                    member_name=stance.member,
                    position=stance.position,
                    credence=stance.credence,
                ),
                f"imported stance of {stance.member}: {stance.position} on {item.slug}",
                statement.id,
            )
    return Reply.done(
        f"Imported the reading `{reading.slug}` ({reading.title}) with "
        f"{len(pack.statements)} statements.",
        footer="Try /list objections or /objection lag.",
    )
