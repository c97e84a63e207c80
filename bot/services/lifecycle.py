"""A statement's lifecycle: status, nicknames, edits, deletion and merging.

Everything here changes what someone wrote, so (except adding an alias) only
the statement's author or a moderator may do it. Each change is recorded.
"""

from __future__ import annotations

from bot.domain import TEXT_MAX, TITLE_MAX, URL_MAX, article, reason_text, validate_text
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.common import find_statement, require_author_or_moderator
from bot.services.registry import handles
from bot.services.statements import same_words
from bot.storage.models import SlugName, Statement, utcnow
from bot.storage.revisions import snapshot
from bot.storage.unit_of_work import UnitOfWork

EDITABLE_FIELDS = {
    "text": ("text", TEXT_MAX),
    "title": ("title", TITLE_MAX),
    "quote": ("quote", TEXT_MAX),
    "url": ("source_url", URL_MAX),
    "page": ("source_page", 40),
}


async def _change(uow: UnitOfWork, statement: Statement, summary: str, **values: object) -> None:
    """Set columns on a statement and record the change."""
    before = snapshot(statement)
    for key, value in values.items():
        setattr(statement, key, value)
    statement.updated_at = utcnow()
    await uow.record(statement, before, summary)


@handles("status")
async def set_status(
    uow: UnitOfWork, slug: str, status: str, of: str | None = None, because: str | None = None
) -> Reply:
    """Move a statement through open, answered, conceded, withdrawn, duplicate, parked.

    The reason given (`because …`, or any words) goes into the change's summary,
    where the minutes find it. Read by position, the reason's first word lands in
    `of`; only a duplicate names another statement, so for any other status it is
    the reason's start (`/status lag answered settled`).
    """
    if of and status != "duplicate":
        because, of = f"{of} {because or ''}".strip(), None
    reason = reason_text(because) if because and because.strip() else ""
    statement = await find_statement(uow, slug)
    require_author_or_moderator(uow, statement.author_id, "change its status")
    duplicate_of = None
    if status == "duplicate" and of:  # the spec makes `of` required for a duplicate
        duplicate_of = await find_statement(uow, of)
        if duplicate_of.id == statement.id:
            raise UserError("A statement cannot duplicate itself.")
    if statement.status == status and statement.duplicate_of_id == (
        duplicate_of.id if duplicate_of else None
    ):
        return Reply.done(f"`{statement.slug}` is already {status}.", ephemeral=True)
    old = statement.status
    await _change(
        uow,
        statement,
        f"status {old} → {status}" + (f" because {reason}" if reason else ""),
        status=status,
        duplicate_of_id=duplicate_of.id if duplicate_of else None,
    )
    extra = f" of `{duplicate_of.slug}`" if duplicate_of else ""
    why = f" because {reason}" if reason else ""
    return Reply.done(f"`{statement.slug}` is now {status}{extra} (was {old}){why}.")


@handles("alias")
async def add_alias(uow: UnitOfWork, slug: str, alias: str) -> Reply:
    """Give a statement another nickname; anyone may, since it only adds a way in."""
    statement = await find_statement(uow, slug)
    await _claim_slug(uow, alias)
    await uow.add(
        SlugName(workspace_id=uow.workspace_id, slug=alias, statement_id=statement.id),
        f"alias {alias} for {statement.slug}",
        statement.id,
    )
    return Reply.done(f"`{alias}` now also names `{statement.slug}`.")


@handles("rename")
async def rename(uow: UnitOfWork, slug: str, new: str) -> Reply:
    """Change the main nickname; the old one keeps working as an alias."""
    statement = await find_statement(uow, slug)
    require_author_or_moderator(uow, statement.author_id, "rename it")
    old = statement.slug
    if old == new:
        return Reply.done(f"`{old}` is already called that.", ephemeral=True)
    owner = await uow.statements.nickname_owner(new)
    if owner is None:
        await uow.add(
            SlugName(workspace_id=uow.workspace_id, slug=new, statement_id=statement.id),
            f"nickname {new}",
            statement.id,
        )
    elif owner.statement_id != statement.id:
        await _claim_slug(uow, new)
    await _change(uow, statement, f"renamed {old} → {new}", slug=new)
    return Reply.done(f"Renamed `{old}` to `{new}`; `{old}` still works as an alias.")


async def _claim_slug(uow: UnitOfWork, slug: str) -> None:
    taken = await uow.statements.nickname_owner(slug)
    if taken is not None:
        owner = await uow.statements.by_id(taken.statement_id)
        name = f"`{owner.slug}`" if owner else "another statement"
        raise UserError(f"The nickname `{slug}` is taken by {name}.")


@handles("edit")
async def edit(uow: UnitOfWork, slug: str, field: str, value: str) -> Reply:
    """Replace a statement's text, title, quote, source url or page."""
    statement = await find_statement(uow, slug)
    require_author_or_moderator(uow, statement.author_id, "edit it")
    column, limit = EDITABLE_FIELDS[field]
    validate_text(value, field, limit)
    if column != "text":
        value = value.strip()
    if getattr(statement, column) == value:
        return Reply.done(f"The {field} of `{statement.slug}` is unchanged.", ephemeral=True)
    changes: dict[str, object] = {column: value}
    if column == "text" and not same_words(statement.text, value):
        # No longer the quoted member's words: stop naming them (undo brings it back).
        changes |= {"source_member_id": "", "source_member_name": ""}
    await _change(uow, statement, f"edited {field}", **changes)
    return Reply.done(
        f"Updated the {field} of `{statement.slug}`.",
        footer=f"/history {statement.slug} shows every version; /undo reverts.",
    )


@handles("delete")
async def delete(uow: UnitOfWork, slug: str) -> Reply:
    """Soft-delete: hidden from lists and search, kept for /restore and /history."""
    statement = await find_statement(uow, slug)
    require_author_or_moderator(uow, statement.author_id, "delete it")
    await _change(uow, statement, "deleted", deleted_at=utcnow())
    return Reply.done(
        f"Deleted `{statement.slug}`.", footer=f"/restore {statement.slug} brings it back."
    )


@handles("restore")
async def restore(uow: UnitOfWork, slug: str) -> Reply:
    """Bring back a soft-deleted statement."""
    statement = await find_statement(uow, slug, include_deleted=True)
    require_author_or_moderator(uow, statement.author_id, "restore it")
    if statement.deleted_at is None:
        return Reply.done(f"`{statement.slug}` is not deleted.", ephemeral=True)
    await _change(uow, statement, "restored", deleted_at=None)
    return Reply.done(f"Restored `{statement.slug}`.")


@handles("merge")
async def merge(uow: UnitOfWork, slug: str, into: str) -> Reply:
    """Fold a statement into another: nicknames, stances, steelmen and answers move.

    A member with stances on both keeps the one on the statement that stays.
    The merged statement is marked a duplicate and hidden; /undo reverts all.
    """
    source = await find_statement(uow, slug)
    target = await find_statement(uow, into)
    if source.id == target.id:
        raise UserError(f"`{slug}` and `{into}` are the same statement.")
    require_author_or_moderator(uow, source.author_id, "merge it")
    if source.kind != target.kind:
        raise UserError(
            f"`{source.slug}` is {article(source.kind)} {source.kind} and `{target.slug}` "
            f"{article(target.kind)} {target.kind}; "
            "only statements of the same kind merge."
        )
    if target.target_id == source.id:
        raise UserError(f"`{target.slug}` answers `{source.slug}`; merge the other way round.")
    note = f"merged {source.slug} into {target.slug}"
    for name in await uow.statements.nicknames(source.id):
        before = snapshot(name)
        name.statement_id = target.id
        await uow.record(name, before, note, statement_id=target.id)
    kept = {s.member_id for s in await uow.stances.on(target.id)}
    for stance in await uow.stances.on(source.id):
        if stance.member_id in kept:
            await uow.remove(stance, note, target.id)
        else:
            before = snapshot(stance)
            stance.statement_id = target.id
            await uow.record(stance, before, note, statement_id=target.id)
    for steelman in await uow.statements.steelmen(source.id):
        before = snapshot(steelman)
        steelman.statement_id = target.id
        steelman.endorsed = steelman.endorsed and steelman.author_id == target.author_id
        await uow.record(steelman, before, note, statement_id=target.id)
    for child in await uow.statements.children(source.id):
        await _change(uow, child, note, target_id=target.id)
    await _change(
        uow, source, note, status="duplicate", duplicate_of_id=target.id, deleted_at=utcnow()
    )
    return Reply.done(
        f"Merged `{source.slug}` into `{target.slug}`: its nicknames, stances, steelmen and "
        "answers now belong to it.",
        footer="/undo reverts the merge.",
    )
