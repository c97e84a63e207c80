"""Actions and decisions, as meeting bots keep them (`#action`, `#agreed`).

`/action <text> [by:@member]` records what someone will do, `/decision <text>`
what the group agreed; both belong to the channel's open meeting, if any, and
its minutes list them. `/actions` lists the open actions across meetings and
`/action done N` closes one. Each is the credited member's (`by:`), so
/forget-me removes it with the rest of theirs.
"""

from __future__ import annotations

import re

from bot.domain import validate_text
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.registry import handles
from bot.storage.models import ActionItem, utcnow
from bot.storage.revisions import snapshot
from bot.storage.unit_of_work import UnitOfWork

_DONE = re.compile(r"^\s*done\s+#?(\d{1,9})\s*$", re.IGNORECASE)
#: How many open actions /actions shows.
LISTED = 25


def item_line(item: ActionItem) -> str:
    """`#3 Ann: write up the evals argument` (with "(done)" once closed)."""
    done = " (done)" if item.done_at is not None else ""
    return f"#{item.id} {item.member_name}: {item.text}{done}"


@handles("action")
async def action(uow: UnitOfWork, text: str) -> Reply:
    """`/action <text>` records an action; `/action done N` closes action N."""
    done = _DONE.match(text)
    if done:
        return await _close(uow, int(done.group(1)))
    return await _record(uow, "action", text)


@handles("decision")
async def decision(uow: UnitOfWork, text: str) -> Reply:
    """`/decision <text>` records what the group agreed."""
    return await _record(uow, "decision", text)


async def _record(uow: UnitOfWork, kind: str, text: str) -> Reply:
    text = validate_text(text.strip(), kind, 1000)
    item = ActionItem(
        workspace_id=uow.workspace_id,
        kind=kind,
        text=text,
        member_id=uow.author_id,
        member_name=uow.author_name,
        meeting_id=await uow.current_meeting(),
    )
    await uow.add_new(item)  # its number goes into the history line
    await uow.record(item, None, f"{kind} #{item.id}: {text[:200]}", "create")
    where = f" in meeting {item.meeting_id}" if item.meeting_id else ""
    if kind == "action":
        return Reply.done(
            f"Action #{item.id} for {item.member_name}{where}: {text}",
            footer=f"/action done {item.id} closes it; /actions lists the open ones.",
        )
    return Reply.done(f"Decision #{item.id}{where}: {text}")


async def _close(uow: UnitOfWork, number: int) -> Reply:
    item = await uow.actions.by_number(number)
    if item is None or item.kind != "action":
        raise UserError(f"There is no action #{number}.", hint="/actions lists the open ones.")
    if item.done_at is not None:
        return Reply.done(f"Action #{number} is done already.", ephemeral=True)
    before = snapshot(item)
    item.done_at = utcnow()
    await uow.record(item, before, f"action #{number} done")
    return Reply.done(f"Action #{number} is done: {item.text}")


@handles("actions")
async def open_actions(uow: UnitOfWork) -> Reply:
    """The actions nobody has closed yet, across meetings."""
    items = await uow.actions.open(LISTED + 1)
    if not items:
        return Reply(
            title="Open actions",
            body="No open actions.",
            footer="/action <text> [by:@member] records one.",
            ephemeral=True,
        )
    lines = [item_line(item) for item in items[:LISTED]]
    more = " (the oldest first; close some to see the rest)" if len(items) > LISTED else ""
    return Reply(
        title="Open actions",
        body="\n".join(lines),
        footer=f"/action done <number> closes one{more}.",
    )
