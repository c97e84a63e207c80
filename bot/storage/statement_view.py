"""Everything the full view of a statement shows, loaded in one query.

`/objection lag` is the command members run most. Its view names the target,
the duplicate, the reading, the nicknames, the steelmen, the stances and the
first replies; asked for one by one that was seven round trips, each costing
more in SQLAlchemy and the driver than in the database. Here the related rows
come back as JSON arrays from correlated subqueries (SQLite's
`json_group_array`, PostgreSQL's `json_agg`), so the whole view is one indexed
query on either database.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ColumnExpressionArgument,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.storage.models import Reading, SlugName, Stance, Statement, Steelman

#: How many replies (and, separately, other answers) the view lists by name.
LISTED_CHILDREN = 5


@dataclass(frozen=True)
class Named:
    """Another statement or a reading, as the view names it."""

    slug: str
    title: str
    kind: str = ""
    status: str = ""


@dataclass(frozen=True)
class StanceShown:
    """One member's stance, as the view summarises it."""

    member_name: str
    position: str
    credence: int | None


@dataclass(frozen=True)
class StatementView:
    """A statement with what its full view shows about its neighbours."""

    statement: Statement
    target: Named | None
    duplicate_of: Named | None
    reading: Named | None
    names: tuple[str, ...]
    steelmen: int
    stances: tuple[StanceShown, ...]
    replies: tuple[Named, ...]
    reply_count: int
    answers: tuple[Named, ...]
    answer_count: int


async def load_view(
    session: AsyncSession, workspace_id: int, *, slug: str = "", statement_id: int = 0
) -> StatementView | None:
    """The view of the statement a nickname (or id) names in a workspace, deleted or not."""
    dialect = session.get_bind().dialect.name
    query = _view_query(dialect, by_slug=bool(slug))
    values = {"workspace": workspace_id, "slug": slug.lower(), "statement": statement_id}
    row = (await session.execute(query, values)).first()
    if row is None:
        return None
    (statement, t_slug, t_title, t_kind, d_slug, d_title, r_slug, r_title) = row[:8]
    (steelmen, names, stances, replies, reply_count, answers, answer_count) = row[8:]
    return StatementView(
        statement=statement,
        target=Named(t_slug, t_title, t_kind) if t_slug is not None else None,
        duplicate_of=Named(d_slug, d_title) if d_slug is not None else None,
        reading=Named(r_slug, r_title) if r_slug is not None else None,
        names=tuple(slug for _, slug in _in_order(names)),
        steelmen=int(steelmen),
        stances=tuple(StanceShown(name, pos, cred) for _, name, pos, cred in _in_order(stances)),
        replies=tuple(Named(s, t, k, st) for _, s, t, k, st in _in_order(replies)),
        reply_count=int(reply_count),
        answers=tuple(Named(s, t, k, st) for _, s, t, k, st in _in_order(answers)),
        answer_count=int(answer_count),
    )


def _in_order(rows: Sequence[Sequence[Any]] | None) -> list[Sequence[Any]]:
    """JSON rows sorted by their first column, the row id (aggregates keep no order)."""
    return sorted(rows or [], key=lambda row: row[0])


@functools.cache
def _view_query(dialect: str, *, by_slug: bool) -> Select[Any]:
    """The view's query, built once: building it costs more than running it.

    Its parameters are `workspace` and either `slug` or `statement`.
    """
    workspace_id = bindparam("workspace", type_=Integer)
    target, duplicate = aliased(Statement), aliased(Statement)
    here = Statement.id
    names = select(_json_rows(dialect, SlugName.id, SlugName.slug)).where(
        SlugName.workspace_id == workspace_id, SlugName.statement_id == here
    )
    stances = select(
        _json_rows(dialect, Stance.id, Stance.member_name, Stance.position, Stance.credence)
    ).where(Stance.workspace_id == workspace_id, Stance.statement_id == here)
    steelmen = select(func.count(Steelman.id)).where(
        Steelman.workspace_id == workspace_id,
        Steelman.statement_id == here,
        Steelman.deleted_at.is_(None),
    )
    replies, reply_count = _children(dialect, replies=True)
    answers, answer_count = _children(dialect, replies=False)
    query = (
        select(
            Statement,
            target.slug,
            target.title,
            target.kind,
            duplicate.slug,
            duplicate.title,
            Reading.slug,
            Reading.title,
            steelmen.correlate(Statement).scalar_subquery(),
            names.correlate(Statement).scalar_subquery(),
            stances.correlate(Statement).scalar_subquery(),
            replies,
            reply_count,
            answers,
            answer_count,
        )
        .outerjoin(
            target, (target.id == Statement.target_id) & (target.workspace_id == workspace_id)
        )
        .outerjoin(
            duplicate,
            (duplicate.id == Statement.duplicate_of_id) & (duplicate.workspace_id == workspace_id),
        )
        .outerjoin(
            Reading, (Reading.id == Statement.reading_id) & (Reading.workspace_id == workspace_id)
        )
    )
    if by_slug:
        return query.join(SlugName, SlugName.statement_id == Statement.id).where(
            SlugName.workspace_id == workspace_id, SlugName.slug == bindparam("slug", type_=String)
        )
    return query.where(
        Statement.id == bindparam("statement", type_=Integer),
        Statement.workspace_id == workspace_id,
    )


def _children(dialect: str, *, replies: bool) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The first live replies (or other answers) of the statement, and how many there are.

    Children are found by `target_id` alone: an answer always lives in its
    target's workspace, and with `workspace_id` in the query SQLite's planner
    walks the (workspace, kind) index over every reply of the workspace.
    """
    child = aliased(Statement)
    kind = child.kind == "reply" if replies else child.kind != "reply"
    live = (
        child.target_id == Statement.id,
        child.deleted_at.is_(None),
        kind,
    )
    first = (
        select(child.id, child.slug, child.title, child.kind, child.status)
        .where(*live)
        .order_by(child.id)
        .limit(LISTED_CHILDREN)
        .correlate(Statement)
        .subquery()
    )
    listed = select(_json_rows(dialect, *first.c)).scalar_subquery()
    count = select(func.count(child.id)).where(*live).correlate(Statement).scalar_subquery()
    return listed, count


def _json_rows(dialect: str, *columns: ColumnExpressionArgument[Any]) -> ColumnElement[Any]:
    """An aggregate making one JSON array of `[col1, col2, …]` rows ([] for none)."""
    rows: ColumnElement[Any]
    if dialect == "postgresql":
        rows = func.coalesce(
            func.json_agg(func.json_build_array(*columns)), literal_column("'[]'::json")
        )
    else:
        rows = func.json_group_array(func.json_array(*columns))
    return type_coerce(rows, JSON)
