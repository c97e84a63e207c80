"""/forget-me: a member's content and stances removed, or anonymised, on request.

Two steps, so nobody loses their contributions by a slip: `/forget-me` says
what would go, `/forget-me confirm` does it. Moderators do the same for a
member who has left (`/forget-me member:<id> confirm`). The revision log is
scrubbed too: history must not keep what the member asked to be forgotten.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from bot.errors import PermissionDenied, UserError
from bot.render.reply import Action, Reply
from bot.storage.models import Crux, Revision, Stance, Statement, Steelman
from bot.storage.unit_of_work import UnitOfWork

FORGET_MODES = ("delete", "anonymise")
ANONYMOUS_NAME = "a former member"


def _anonymous_id(member_id: str) -> str:
    return "forgotten:" + hashlib.sha256(member_id.encode()).hexdigest()[:16]


async def forget(uow: UnitOfWork, member: str | None, confirm: bool, mode: str) -> Reply:
    """Describe, or (with confirm) carry out, forgetting a member."""
    caller = uow.caller
    member_id = member or caller.user_id
    if member_id != caller.user_id and not caller.is_moderator:
        raise PermissionDenied("Only a moderator can make Cruxbot forget another member.")
    counts = await _counts(uow, member_id)
    who = "you" if member_id == caller.user_id else f"member {member_id}"
    if not any(counts.values()):
        return Reply.done(
            f"Cruxbot holds nothing written by {who} in this workspace.", ephemeral=True
        )
    summary = (
        f"{counts['statements']} statements, {counts['steelmen']} steelmen, "
        f"{counts['stances']} stances and {counts['cruxes']} cruxes"
    )
    verb = "deleted" if mode == "delete" else "anonymised (kept, shown as by a former member)"
    if not confirm:
        args = (("confirm", "confirm"),) + ((("member", member_id),) if member else ())
        return Reply(
            title="Forget " + ("me" if who == "you" else who) + "?",
            body=f"This finds {summary} by {who}. Statements and steelmen will be {verb}; "
            "stances and cruxes deleted; the history scrubbed. This cannot be undone.",
            actions=(Action("Yes, forget", "forget-me", args, style="danger"),),
            footer="To go ahead: /forget-me confirm" + (f" member:{member_id}" if member else ""),
            ephemeral=True,
        )
    if mode == "delete":
        await _delete(uow, member_id)
    else:
        await _anonymise(uow, member_id)
    return Reply.done(
        f"Done: {summary} by {who} were {verb.split(' (')[0]}; stances and "
        "cruxes deleted, history scrubbed.",
        ephemeral=True,
    )


#: Each kind of row a member owns, and the column saying they own it.
_OWNED: tuple[tuple[str, Any, Any], ...] = (
    ("statements", Statement, Statement.author_id),
    ("steelmen", Steelman, Steelman.author_id),
    ("stances", Stance, Stance.member_id),
    ("cruxes", Crux, Crux.member_id),
)


async def _owned_ids(uow: UnitOfWork, model: Any, column: Any, member_id: str) -> list[int]:
    """Ids of the member's rows of one kind in this workspace."""
    query = select(model.id).where(model.workspace_id == uow.workspace_id, column == member_id)
    return list((await uow.session.scalars(query)).all())


async def _counts(uow: UnitOfWork, member_id: str) -> dict[str, int]:
    return {
        name: len(await _owned_ids(uow, model, column, member_id)) for name, model, column in _OWNED
    }


async def _delete(uow: UnitOfWork, member_id: str) -> None:
    ws = uow.workspace_id
    session = uow.session
    statement_ids = await _owned_ids(uow, Statement, Statement.author_id, member_id)
    await _common(uow, member_id)
    await session.execute(
        delete(Steelman).where(Steelman.workspace_id == ws, Steelman.author_id == member_id)
    )
    if statement_ids:
        # What answered a forgotten statement stays, no longer attached to it.
        await session.execute(
            update(Statement)
            .where(Statement.workspace_id == ws, Statement.target_id.in_(statement_ids))
            .values(target_id=None)
        )
        await session.execute(
            update(Statement)
            .where(Statement.workspace_id == ws, Statement.duplicate_of_id.in_(statement_ids))
            .values(duplicate_of_id=None)
        )
        await session.execute(
            delete(Revision).where(
                Revision.workspace_id == ws, Revision.statement_id.in_(statement_ids)
            )
        )
        await session.execute(delete(Statement).where(Statement.id.in_(statement_ids)))
    await session.execute(
        delete(Revision).where(Revision.workspace_id == ws, Revision.actor_id == member_id)
    )
    await session.flush()


async def _anonymise(uow: UnitOfWork, member_id: str) -> None:
    ws = uow.workspace_id
    session = uow.session
    anonymous = _anonymous_id(member_id)
    statement_ids = await _owned_ids(uow, Statement, Statement.author_id, member_id)
    steelman_ids = await _owned_ids(uow, Steelman, Steelman.author_id, member_id)
    await _common(uow, member_id)
    for model in (Statement, Steelman):
        await session.execute(
            update(model)
            .where(model.workspace_id == ws, model.author_id == member_id)
            .values(author_id=anonymous, author_name=ANONYMOUS_NAME)
        )
    await session.execute(
        update(Revision)
        .where(Revision.workspace_id == ws, Revision.actor_id == member_id)
        .values(actor_id=anonymous, actor_name=ANONYMOUS_NAME)
    )
    # The log's snapshots of what the member wrote name them too: rewrite those.
    naming = await session.scalars(
        select(Revision).where(
            Revision.workspace_id == ws,
            or_(
                and_(Revision.entity_type == "statement", Revision.entity_id.in_(statement_ids)),
                and_(Revision.entity_type == "steelman", Revision.entity_id.in_(steelman_ids)),
            ),
        )
    )
    for revision in naming.all():
        revision.before = _scrub(revision.before, member_id, anonymous)
        revision.after = _scrub(revision.after, member_id, anonymous)
    await session.flush()


async def _common(uow: UnitOfWork, member_id: str) -> None:
    """Stances and cruxes go in both modes, with the log entries that record them."""
    ws = uow.workspace_id
    for model, column in ((Stance, Stance.member_id), (Crux, Crux.member_id)):
        ids = await _owned_ids(uow, model, column, member_id)
        entity = "stance" if model is Stance else "crux"
        await uow.session.execute(
            delete(Revision).where(
                Revision.workspace_id == ws,
                Revision.entity_type == entity,
                Revision.entity_id.in_(ids),
            )
        )
        await uow.session.execute(delete(model).where(model.id.in_(ids)))


def _scrub(values: dict[str, Any] | None, member_id: str, anonymous: str) -> dict[str, Any] | None:
    if not values or member_id not in (values.get("author_id"), values.get("member_id")):
        return values
    scrubbed = dict(values)
    for id_key, name_key in (("author_id", "author_name"), ("member_id", "member_name")):
        if scrubbed.get(id_key) == member_id:
            scrubbed[id_key], scrubbed[name_key] = anonymous, ANONYMOUS_NAME
    return scrubbed


def check_mode(mode: str) -> str:
    """Validate the FORGET_MODE setting."""
    if mode not in FORGET_MODES:
        raise UserError(f"FORGET_MODE must be delete or anonymise, not {mode!r}")
    return mode
