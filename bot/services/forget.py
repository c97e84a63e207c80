"""/forget-me: a member's content and stances removed, or anonymised, on request.

Two steps, so nobody loses their contributions by a slip: `/forget-me` says
what would go, `/forget-me confirm` does it. Moderators do the same for a
member who has left (`/forget-me member:<id> confirm`). The revision log is
scrubbed too: history must not keep what the member asked to be forgotten.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.errors import PermissionDenied, UserError
from bot.render.reply import Action, Reply
from bot.storage.member_queries import OWNED
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
    quoting = await uow.repos.quoting_ids(member_id)
    who = "you" if member_id == caller.user_id else f"member {member_id}"
    if not any(counts.values()) and not quoting:
        return Reply.done(
            f"Cruxbot holds nothing written by {who} in this workspace.", ephemeral=True
        )
    summary = (
        f"{counts['statements']} statements, {counts['steelmen']} steelmen, "
        f"{counts['stances']} stances and {counts['cruxes']} cruxes"
    ) + (f" (and {len(quoting)} statements quoting a message)" if quoting else "")
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
        await _unquote(uow, member_id, quoting, "", "")
        await _delete(uow, member_id)
    else:
        await _unquote(uow, member_id, quoting, _anonymous_id(member_id), ANONYMOUS_NAME)
        await _anonymise(uow, member_id)
    return Reply.done(
        f"Done: {summary} by {who} were {verb.split(' (')[0]}; stances and "
        "cruxes deleted, history scrubbed.",
        ephemeral=True,
    )


async def _counts(uow: UnitOfWork, member_id: str) -> dict[str, int]:
    return {kind: len(await uow.repos.owned_ids(kind, member_id)) for kind in OWNED}


async def _delete(uow: UnitOfWork, member_id: str) -> None:
    await uow.repos.delete_stances_and_cruxes(member_id)
    await uow.repos.delete_writings(member_id)


async def _anonymise(uow: UnitOfWork, member_id: str) -> None:
    repos = uow.repos
    anonymous = _anonymous_id(member_id)
    statement_ids = await repos.owned_ids("statements", member_id)
    steelman_ids = await repos.owned_ids("steelmen", member_id)
    await repos.delete_stances_and_cruxes(member_id)
    await repos.rename_author(member_id, anonymous, ANONYMOUS_NAME)
    # The log's snapshots of what the member wrote name them too: rewrite those.
    for revision in await repos.revisions_about(statement_ids, steelman_ids):
        revision.before = _scrub(revision.before, member_id, anonymous)
        revision.after = _scrub(revision.after, member_id, anonymous)
    await uow.session.flush()


async def _unquote(
    uow: UnitOfWork, member_id: str, quoting: list[int], new_id: str, new_name: str
) -> None:
    """Others' statements quoting the member's messages stop naming them, history too."""
    if not quoting:
        return
    await uow.repos.rename_source(member_id, new_id, new_name)
    for revision in await uow.repos.revisions_about(quoting, []):
        revision.before = _scrub(revision.before, member_id, new_id, new_name)
        revision.after = _scrub(revision.after, member_id, new_id, new_name)
    await uow.session.flush()


_MEMBER_KEYS = (
    ("author_id", "author_name"),
    ("member_id", "member_name"),
    ("source_member_id", "source_member_name"),
)


def _scrub(
    values: dict[str, Any] | None, member_id: str, anonymous: str, name: str = ANONYMOUS_NAME
) -> dict[str, Any] | None:
    if not values or member_id not in (values.get(id_key) for id_key, _ in _MEMBER_KEYS):
        return values
    scrubbed = dict(values)
    for id_key, name_key in _MEMBER_KEYS:
        if scrubbed.get(id_key) == member_id:
            scrubbed[id_key], scrubbed[name_key] = anonymous, name
    return scrubbed


def check_mode(mode: str) -> str:
    """Validate the FORGET_MODE setting."""
    if mode not in FORGET_MODES:
        raise UserError(f"FORGET_MODE must be delete or anonymise, not {mode!r}")
    return mode
