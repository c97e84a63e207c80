"""Statements' vectors: which need embedding, storing them, and the nearest to a question.

The background embedder (`bot.services.meaning`) reads and writes across
workspaces, each row keeping its statement's workspace; `nearest` reads one
workspace only. There is no vector index (pgvector is not on every server):
`nearest` compares the question with each of the workspace's vectors, which
is quick for a reading group's thousands of statements and is why it is only
run when a provider is configured.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.embeddings import pack, similarity, unpack
from bot.storage.models import Revision, Statement, StatementVector


@dataclass(frozen=True)
class Pending:
    """A statement to embed, and the version of it that is embedded."""

    statement_id: int
    workspace_id: int
    text: str
    updated_at: datetime


def embedded_text(title: str, text: str) -> str:
    """What is embedded of a statement: its title and its text."""
    return f"{title}\n{text}"


@dataclass(frozen=True)
class Among:
    """Which statements a query looks at: an id range (after, upto], or these ids.

    Either way a bounded read by primary key, never the whole table: the
    worker looks through every statement once a process, a range at a time,
    and after that only at those written since (see `bot.services.meaning`).
    """

    after: int = 0
    upto: int = 0
    ids: tuple[int, ...] | None = None

    def of(self, column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
        """The condition on a statement id column."""
        if self.ids is not None:
            return column.in_(self.ids)
        return and_(column > self.after, column <= self.upto)


async def tops(session: AsyncSession) -> tuple[int, int]:
    """The highest statement id and revision id so far (the last entry of each key)."""
    statement = await session.scalar(select(func.max(Statement.id)))
    revision = await session.scalar(select(func.max(Revision.id)))
    return statement or 0, revision or 0


async def written(session: AsyncSession, after: int, upto: int) -> list[int]:
    """The statements that the revisions numbered (after, upto] wrote (a range of their key)."""
    query = (
        select(Revision.statement_id)
        .where(Revision.id > after, Revision.id <= upto, Revision.statement_id.is_not(None))
        .distinct()
    )
    return [i for i in await session.scalars(query) if i is not None]


async def pending(
    session: AsyncSession, model: str, limit: int, among: Among, after: int = 0
) -> list[Pending]:
    """Live statements among these with no vector of `model` for their current version, by id."""
    vector = StatementVector
    query = (
        select(Statement.id, Statement.workspace_id, Statement.title, Statement.text)
        .add_columns(Statement.updated_at)
        .outerjoin(vector, vector.statement_id == Statement.id)
        .where(
            among.of(Statement.id),
            Statement.id > after,
            Statement.deleted_at.is_(None),
            or_(
                vector.id.is_(None),
                vector.model != model,
                vector.source_updated_at != Statement.updated_at,
            ),
        )
        .order_by(Statement.id)
        .limit(limit)
    )
    rows = await session.execute(query)
    return [Pending(i, w, embedded_text(title, text), at) for i, w, title, text, at in rows]


async def store(
    session: AsyncSession, model: str, rows: Sequence[Pending], vectors: Sequence[Sequence[float]]
) -> None:
    """Replace these statements' vectors, unless a statement changed or went meanwhile."""
    ids = [row.statement_id for row in rows]
    await session.execute(delete(StatementVector).where(StatementVector.statement_id.in_(ids)))
    current = {
        i: at
        for i, at in await session.execute(
            select(Statement.id, Statement.updated_at).where(
                Statement.id.in_(ids), Statement.deleted_at.is_(None)
            )
        )
    }
    session.add_all(
        StatementVector(
            workspace_id=row.workspace_id,
            statement_id=row.statement_id,
            model=model,
            source_updated_at=row.updated_at,
            vector=pack(vector),
        )
        for row, vector in zip(rows, vectors, strict=True)
        if current.get(row.statement_id) == row.updated_at
    )


async def remove_deleted(session: AsyncSession, among: Among) -> int:
    """Delete the vectors of deleted statements among these (an undo brings one back to embed)."""
    gone = (
        select(StatementVector.id)
        .join(Statement, Statement.id == StatementVector.statement_id)
        .where(among.of(StatementVector.statement_id), Statement.deleted_at.is_not(None))
    )
    ids = list(await session.scalars(gone))
    if ids:
        await session.execute(delete(StatementVector).where(StatementVector.id.in_(ids)))
    return len(ids)


async def nearest(
    session: AsyncSession, workspace_id: int, model: str, question: Sequence[float], limit: int
) -> list[tuple[int, float]]:
    """(statement id, similarity) of the live statements closest in meaning, closest first."""
    query = (
        select(StatementVector.statement_id, StatementVector.vector)
        .join(Statement, Statement.id == StatementVector.statement_id)
        .where(
            and_(
                StatementVector.workspace_id == workspace_id,
                StatementVector.model == model,
                Statement.deleted_at.is_(None),
            )
        )
    )
    unit = unpack(pack(question))
    scored = ((similarity(unit, unpack(blob)), i) for i, blob in await session.execute(query))
    return [(i, score) for score, i in heapq.nlargest(limit, scored)]
