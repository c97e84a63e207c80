"""/forget-me: a member's content and stances removed, or anonymised, on request.

Two steps, so nobody loses their contributions by a slip: `/forget-me` says
what would go, `/forget-me confirm` does it. Moderators do the same for a
member who has left (`/forget-me member:<id> confirm`). The revision log is
scrubbed too: history must not keep what the member asked to be forgotten.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from bot.domain import count
from bot.errors import PermissionDenied, UserError
from bot.render.reply import Action, Reply
from bot.services.meetings import rewrite_minutes
from bot.services.registry import DEFAULT_RULES, Rules, handles
from bot.storage.member_queries import MEMBER_KEYS, OWNED, STATEMENT_KEYS, MemberRows
from bot.storage.models import Revision
from bot.storage.unit_of_work import UnitOfWork

FORGET_MODES = ("delete", "anonymise")
#: Other rows that carry a member's id or name, as the confirmation counts them.
_TRACES = ("meeting", "reading", "history entry")
ANONYMOUS_NAME = "a former member"


@handles("forget-me")
async def forget(
    uow: UnitOfWork,
    confirm: str | None = None,
    member: str | None = None,
    *,
    rules: Rules = DEFAULT_RULES,
) -> Reply:
    """Describe, or (with `confirm`) carry out, forgetting a member.

    What happens to statements and steelmen is the host's `rules.forget_mode`.
    """
    mode = rules.forget_mode
    caller = uow.caller
    member_id = member or caller.user_id
    if member_id != caller.user_id and not caller.is_moderator:
        raise PermissionDenied("Only a moderator can make Cruxbot forget another member.")
    rows = await uow.members.rows_of(member_id)
    counts = {kind: len(getattr(rows, kind)) for kind in OWNED}
    traces = rows.traces
    quoting = await uow.members.quoting_ids(member_id)
    who = "you" if member_id == caller.user_id else f"member {member_id}"
    if not any(counts.values()) and not any(traces.values()) and not quoting:
        return Reply.done(
            f"Cruxbot holds nothing written by {who} in this workspace.", ephemeral=True
        )
    summary = (
        f"{count(counts['statements'], 'statement')}, {count(counts['steelmen'], 'steelman')}, "
        f"{count(counts['stances'], 'stance')} and {count(counts['cruxes'], 'crux')}"
    ) + (f" (and {count(len(quoting), 'statement')} quoting a message)" if quoting else "")
    if counts["actions"]:
        items = _count(counts["actions"], "action or decision", "actions or decisions")
        summary += f", and {items}"
    shown = [_count(traces[noun], noun) for noun in _TRACES if traces[noun]]
    named = " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    also = f" The id and name of {who} also show on {named}." if named else ""
    verb = "deleted" if mode == "delete" else "anonymised (kept, shown as by a former member)"
    if not confirm:
        args = (("confirm", "confirm"),) + ((("member", member_id),) if member else ())
        return Reply(
            title="Forget " + ("me" if who == "you" else who) + "?",
            body=f"This finds {summary} by {who}. Statements and steelmen will be {verb}; "
            "stances and cruxes deleted; the history scrubbed. This cannot be undone." + also,
            actions=(Action("Yes, forget", "forget-me", args, style="danger"),),
            footer="To go ahead: /forget-me confirm" + (f" member:{member_id}" if member else ""),
            ephemeral=True,
        )
    await _carry_out(uow, member_id, rows, mode)
    return Reply.done(
        f"Done: {summary} by {who} were {verb.split(' (')[0]}; stances and "
        "cruxes deleted, history scrubbed.",
        ephemeral=True,
    )


def _count(number: int, noun: str, plural: str = "") -> str:
    plural = plural or (noun[:-1] + "ies" if noun.endswith("y") else noun + "s")
    return f"{number} {noun if number == 1 else plural}"


async def _carry_out(uow: UnitOfWork, member_id: str, rows: MemberRows, mode: str) -> None:
    """Forget the member everywhere: rows, every log entry, minutes, search index.

    Nothing of this is itself logged, so no undo can bring it back; and log
    entries that held the member are removed or rewritten first, so undoing an
    older change (anyone's) cannot either. Minutes that told of the member are
    written again from the rows that are left.
    """
    revisions = await uow.members.revisions_touching(member_id)
    meetings = await uow.members.meetings_mentioning(
        member_id, rows, (r.meeting_id for r in revisions if r.meeting_id is not None)
    )
    anonymous = "forgotten:" + secrets.token_hex(8)
    if mode == "delete":
        gone, slug_ids = _forget_in_log(revisions, member_id, rows, anonymous)
    else:
        gone, slug_ids = _anonymise_in_log(revisions, member_id, rows, anonymous), set()
    await uow.members.delete_revisions(gone)
    await uow.members.delete_stances_and_cruxes(member_id)
    if mode == "delete":
        await uow.members.delete_writings(member_id, slug_ids)
    else:
        await uow.members.rename_author(member_id, anonymous, ANONYMOUS_NAME)
    await uow.members.rename_in_meetings_and_readings(member_id, anonymous, ANONYMOUS_NAME)
    # Others' statements quoting the member's messages stop naming them.
    if mode == "delete":
        await uow.members.rename_source(member_id, "", "")
    else:
        await uow.members.rename_source(member_id, anonymous, ANONYMOUS_NAME)
    await uow.flush()
    for meeting in meetings:
        await rewrite_minutes(uow, meeting)
    if mode == "delete":
        await uow.statements.forget_deleted_words()


def _forget_in_log(
    revisions: Sequence[Revision], member_id: str, rows: MemberRows, anonymous: str
) -> tuple[set[int], set[int]]:
    """Entries to remove, and nicknames of the member's statements that a merge moved.

    An entry goes when the member made it or it holds any row of theirs (or a
    row attached to their statements, which goes with them). Other entries
    that merely point at one of their statements (a reply to it) keep their
    place in the log, pointing at nothing, with its nickname taken out; a
    reading they added (which stays) is shown as added by a former member.
    """
    gone: set[int] = set()
    slug_ids: set[int] = set()
    for revision in revisions:
        snapshots = [s for s in (revision.before, revision.after) if s]
        if (
            revision.actor_id == member_id
            or revision.statement_id in rows.statements
            or rows.owns(revision.entity_type, revision.entity_id)
            or any(s.get(key) == member_id for s in snapshots for key in _OWNER_KEYS)
            or any(s.get(key) in rows.statements for s in snapshots for key in _ATTACHED)
        ):
            gone.add(revision.id)
            if revision.entity_type == "slug":
                slug_ids.add(revision.entity_id)
            continue
        revision.before = _scrub(_detach(revision.before, rows.statements), member_id, anonymous)
        revision.after = _scrub(_detach(revision.after, rows.statements), member_id, anonymous)
        revision.summary = _without_slugs(revision.summary, rows.slugs)
    return gone, slug_ids


#: Snapshot keys of rows that belong to a statement (deleted with it).
_ATTACHED = ("statement_id", "belief_id")
#: Snapshot keys naming who wrote a row (which goes, when the member is deleted).
_OWNER_KEYS = ("author_id", "member_id")


def _detach(values: dict[str, Any] | None, statements: set[int]) -> dict[str, Any] | None:
    if not values or not any(values.get(key) in statements for key in STATEMENT_KEYS):
        return values
    return {
        key: None if key in STATEMENT_KEYS and value in statements else value
        for key, value in values.items()
    }


def _without_slugs(summary: str, slugs: set[str]) -> str:
    for slug in sorted(slugs, key=len, reverse=True):
        summary = re.sub(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", "a forgotten statement", summary)
    return summary


def _anonymise_in_log(
    revisions: Sequence[Revision], member_id: str, rows: MemberRows, anonymous: str
) -> set[int]:
    """Entries to remove (the member's stances and cruxes go); the rest lose the member's name."""
    gone: set[int] = set()
    for revision in revisions:
        snapshots = [s for s in (revision.before, revision.after) if s]
        stance_or_crux = revision.entity_type in ("stance", "crux", "action")
        if (stance_or_crux and rows.owns(revision.entity_type, revision.entity_id)) or any(
            s.get("member_id") == member_id for s in snapshots
        ):
            gone.add(revision.id)
            continue
        if revision.actor_id == member_id:
            revision.actor_id, revision.actor_name = anonymous, ANONYMOUS_NAME
        revision.before = _scrub(revision.before, member_id, anonymous)
        revision.after = _scrub(revision.after, member_id, anonymous)
        revision.summary = _without_credit(revision.summary, rows.names)
    return gone


def _without_credit(summary: str, names: set[str]) -> str:
    """A change typed for the member (`by:`) ends "for <name>": the name goes."""
    for name in names:
        if summary.endswith(f" for {name}"):
            return summary.removesuffix(f" for {name}") + f" for {ANONYMOUS_NAME}"
    return summary


def _scrub(values: dict[str, Any] | None, member_id: str, anonymous: str) -> dict[str, Any] | None:
    if not values or member_id not in (values.get(key) for key in MEMBER_KEYS):
        return values
    scrubbed = dict(values)
    for id_key, name_key in (
        ("author_id", "author_name"),
        ("source_member_id", "source_member_name"),
        ("created_by", None),
    ):
        if scrubbed.get(id_key) == member_id:
            scrubbed[id_key] = anonymous
            if name_key:
                scrubbed[name_key] = ANONYMOUS_NAME
    return scrubbed


def check_mode(mode: str) -> str:
    """Validate the FORGET_MODE setting."""
    if mode not in FORGET_MODES:
        raise UserError(f"FORGET_MODE must be delete or anonymise, not {mode!r}")
    return mode
