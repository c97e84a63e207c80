"""The revision log: /history shows it, /undo walks it back."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.errors import PermissionDenied, UserError
from bot.render.reply import Reply
from bot.services.common import PAGE_SIZE, find_statement, page_offset
from bot.services.registry import handles
from bot.storage.models import Revision
from bot.storage.revisions import (
    ENTITY_MODELS,
    RowElsewhere,
    snapshot,
)
from bot.storage.unit_of_work import UnitOfWork

#: How members call the rows undo puts back, where the code's name differs.
_ENTITY_WORDS = {"slug": "nickname"}


@handles("history")
async def history(uow: UnitOfWork, slug: str | None = None, page: int = 1) -> Reply:
    """Changes to a statement (or the workspace), newest first."""
    statement_id = None
    title = "Recent changes"
    if slug:
        statement = await find_statement(uow, slug, include_deleted=True)
        statement_id = statement.id
        title = f"History of `{statement.slug}`"
    rows = await uow.revisions.newest(statement_id, page_offset(page), PAGE_SIZE + 1)
    if not rows:
        return Reply(
            title=title,
            body="No changes recorded yet." if page == 1 else "No more.",
            ephemeral=True,
        )
    slugs = await _slugs(uow, rows[:PAGE_SIZE])
    lines = [_line(row, slugs.get(row.statement_id or 0)) for row in rows[:PAGE_SIZE]]
    more = len(rows) > PAGE_SIZE
    command = f"/history {slug}" if slug else "/history"
    footer = f"Page {page}" + (f" · older: {command} page:{page + 1}" if more else "")
    return Reply(title=title, body="\n".join(lines), footer=footer, ephemeral=True)


async def _slugs(uow: UnitOfWork, rows: Sequence[Revision]) -> dict[int, str]:
    """The nickname of each statement the rows are about (gone ones are left out)."""
    slugs: dict[int, str] = {}
    for statement_id in {r.statement_id for r in rows if r.statement_id is not None}:
        found = await uow.statements.by_id(statement_id)
        if found is not None:
            slugs[statement_id] = found.slug
    return slugs


def describe(summary: str, slug: str | None) -> str:
    """A change's summary naming its statement: "deleted `lag-2`", "edited text of `lag`".

    Summaries are written by the command that made the change, many without
    the nickname (it was the subject of the command); the log shows it.
    """
    if not slug:
        return summary
    if re.search(rf"(?<![\w`-]){re.escape(slug)}(?![\w-])", summary):
        return re.sub(rf"(?<![\w`-]){re.escape(slug)}(?![\w-])", f"`{slug}`", summary)
    if summary in ("deleted", "restored"):
        return f"{summary} `{slug}`"
    if summary.startswith("status "):
        return f"status of `{slug}`: {summary.removeprefix('status ')}"
    return f"{summary} of `{slug}`"


def _line(row: Revision, slug: str | None) -> str:
    when = row.created_at.strftime("%Y-%m-%d %H:%M")
    undone = " (undone)" if row.undone else ""
    return f"{when}  {row.actor_name}: {describe(row.summary, slug)}{undone}"


@handles("undo")
async def undo(uow: UnitOfWork, slug: str | None = None) -> Reply:
    """Revert a whole change: the caller's last one, or the last one to a statement.

    Anyone may undo their own change; a moderator may undo anyone's. A change
    that someone has since built on (a later change to the same rows) is
    refused, so undo never silently discards another member's work.
    """
    caller = uow.caller
    if slug:
        statement = await find_statement(uow, slug, include_deleted=True)
        revisions = await uow.revisions.last_change(statement_id=statement.id)
        where = f" to `{statement.slug}`"
    else:
        revisions = await uow.revisions.last_change(actor_id=caller.user_id)
        where = " of yours"
    if not revisions:
        raise UserError(f"There is no change{where} to undo.")
    first = revisions[0]
    if first.actor_id != caller.user_id and not caller.is_moderator:
        raise PermissionDenied(
            f"The last change{where} was made by {first.actor_name}; only they or a moderator "
            "can undo it."
        )
    for revision in revisions:
        later = await uow.revisions.later_than(revision, first.change_id)
        if later is not None:
            raise UserError(
                f'Cannot undo "{first.summary}": {later.actor_name} changed it since '
                f'("{later.summary}"). Undo that first.'
            )
    try:
        for revision in reversed(revisions):
            await _revert(uow, revision)
    except RowElsewhere as exc:
        # Raising rolls the whole command back: rows reverted so far come back too.
        what = _ENTITY_WORDS.get(exc.entity_type, exc.entity_type)
        raise UserError(
            f'Cannot undo "{first.summary}": the {what} it would bring back can no '
            "longer be restored here. Nothing was changed."
        ) from None
    slug = (await _slugs(uow, [first])).get(first.statement_id or 0)
    by = "" if first.actor_id == caller.user_id else f" ({first.actor_name}'s change)"
    return Reply.done(f"Undid: {describe(first.summary, slug)}{by}.")


async def _revert(uow: UnitOfWork, revision: Revision) -> None:
    """Put one row back as it was before `revision`, and record that as a change.

    The row is looked up by (workspace, id): this workspace's history never
    reaches a row of another workspace, even one that holds the same id.
    """
    model = ENTITY_MODELS[revision.entity_type]
    current = await uow.revisions.row(model, revision.entity_id)
    before = snapshot(current) if current is not None else None
    row = await uow.revisions.restore(revision.entity_type, revision.entity_id, revision.before)
    revision.undone = True
    await uow.write_revision(
        revision.entity_type,
        revision.entity_id,
        before,
        snapshot(row) if row is not None else None,
        f"undid: {revision.summary}",
        "undo",
        revision.statement_id,
    )
