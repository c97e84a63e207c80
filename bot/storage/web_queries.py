"""The rows the web view reads besides what the repositories already offer.

Every query filters on the workspace a page's token named: a page can never
show another workspace's rows. The web link rows themselves are here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.storage.models import (
    Crux,
    Meeting,
    Reading,
    Revision,
    Stance,
    Statement,
    Steelman,
    WebLink,
    Workspace,
)
from bot.storage.scoped import Scoped


def _live_steelmen() -> ScalarSelect[int]:
    """How many live steelmen the outer query's statement has (a correlated subquery)."""
    return (
        select(func.count())
        .where(Steelman.statement_id == Statement.id, Steelman.deleted_at.is_(None))
        .correlate(Statement)
        .scalar_subquery()
    )


async def link_by_hash(session: AsyncSession, token_hash: str) -> WebLink | None:
    """The web link whose token hashes to this, if any."""
    return await session.scalar(select(WebLink).where(WebLink.token_hash == token_hash))


async def link_of(session: AsyncSession, workspace_id: int) -> WebLink | None:
    """The workspace's web link row, if one was ever made."""
    return await session.scalar(select(WebLink).where(WebLink.workspace_id == workspace_id))


class WebLinkRepository(Scoped):
    """The workspace's web link row (its nonce and the token's hash)."""

    async def current(self) -> WebLink | None:
        """The workspace's web link row, if one was ever made."""
        return await link_of(self.session, self.workspace_id)

    async def save(self, row: WebLink) -> None:
        """Store a new or changed link row now, so a clash with another process shows here."""
        self.session.add(row)
        await self.session.flush()


async def workspace_name(session: AsyncSession, workspace_id: int) -> str:
    """How the workspace is shown (its name, else its platform)."""
    row = (
        await session.execute(
            select(Workspace.name, Workspace.platform).where(Workspace.id == workspace_id)
        )
    ).first()
    if row is None:
        return ""
    return row.name or f"{row.platform} workspace"


async def readings_with_counts(
    session: AsyncSession, workspace_id: int
) -> list[tuple[Reading, int]]:
    """Every reading of the workspace, with how many live statements it holds, newest first."""
    counts = (
        select(Statement.reading_id, func.count().label("n"))
        .where(Statement.workspace_id == workspace_id, Statement.deleted_at.is_(None))
        .group_by(Statement.reading_id)
        .subquery()
    )
    query = (
        select(Reading, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.reading_id == Reading.id)
        .where(Reading.workspace_id == workspace_id)
        .order_by(Reading.id.desc())
    )
    return [(reading, int(n)) for reading, n in (await session.execute(query)).all()]


async def meetings_of(
    session: AsyncSession, workspace_id: int, reading_id: int | None = None, limit: int = 50
) -> Sequence[Meeting]:
    """The workspace's meetings (on one reading, if given), newest first."""
    query = select(Meeting).where(Meeting.workspace_id == workspace_id)
    if reading_id is not None:
        query = query.where(Meeting.reading_id == reading_id)
    return (await session.scalars(query.order_by(Meeting.id.desc()).limit(limit))).all()


async def version_of(session: AsyncSession, workspace_id: int) -> str:
    """A fingerprint of everything the pages show: it changes with any change to them.

    Every change a command makes is a revision (stances, steelmen, cruxes,
    edits, deletions), statements imported in bulk move their count and
    latest `updated_at`, and meetings start and end: one query of aggregates
    over indexed columns, cheap beside the pages it lets be reused.
    """

    def aggregate(*columns: Any, where: Any) -> Any:
        return select(*columns).where(where).scalar_subquery()

    query = select(
        aggregate(func.count(), where=Statement.workspace_id == workspace_id),
        aggregate(func.max(Statement.updated_at), where=Statement.workspace_id == workspace_id),
        aggregate(func.count(), where=Revision.workspace_id == workspace_id),
        aggregate(func.max(Revision.id), where=Revision.workspace_id == workspace_id),
        aggregate(func.max(Meeting.id), where=Meeting.workspace_id == workspace_id),
        aggregate(func.max(Meeting.ended_at), where=Meeting.workspace_id == workspace_id),
    )
    row = (await session.execute(query)).one()
    return "-".join(
        str(value.timestamp() if isinstance(value, datetime) else value or 0) for value in row
    )


async def stance_totals(
    session: AsyncSession, workspace_id: int, reading_id: int | None
) -> list[tuple[dict[str, Any], tuple[int, int, int]]]:
    """(statement row, (agree, disagree, unsure)) for a reading's live statements with stances."""
    columns = (Statement.id, Statement.slug, Statement.kind, Statement.title, Statement.status)
    query = (
        select(*columns, Stance.position, func.count())
        .join(Statement, Statement.id == Stance.statement_id)
        .where(
            Stance.workspace_id == workspace_id,
            Statement.workspace_id == workspace_id,
            Statement.deleted_at.is_(None),
        )
        .group_by(*columns, Stance.position)
    )
    if reading_id is not None:
        query = query.where(Statement.reading_id == reading_id)
    rows: dict[int, dict[str, Any]] = {}
    totals: dict[int, list[int]] = {}
    for sid, slug, kind, title, status, position, n in (await session.execute(query)).all():
        rows[sid] = {"slug": slug, "kind": kind, "title": title, "status": status}
        counts = totals.setdefault(sid, [0, 0, 0])
        counts[("agree", "disagree", "unsure").index(position)] += int(n)
    return [(rows[sid], (a, d, u)) for sid, (a, d, u) in totals.items()]


async def crux_rows(
    session: AsyncSession,
    workspace_id: int,
    *,
    reading_id: int | None = None,
    statement_id: int | None = None,
) -> list[tuple[str, str, str]]:
    """(statement slug, belief slug, member name) of live statements' cruxes, oldest first.

    Of one reading's statements, or of one statement (as the statement or as the belief).
    """
    belief = aliased(Statement)
    query = (
        select(Statement.slug, belief.slug, Crux.member_name)
        .join(Statement, Statement.id == Crux.statement_id)
        .join(belief, belief.id == Crux.belief_id)
        .where(
            Crux.workspace_id == workspace_id,
            Statement.deleted_at.is_(None),
            belief.deleted_at.is_(None),
        )
        .order_by(Crux.id)
        .limit(500)
    )
    if reading_id is not None:
        query = query.where(Statement.reading_id == reading_id)
    if statement_id is not None:
        query = query.where((Crux.statement_id == statement_id) | (Crux.belief_id == statement_id))
    return [(s, b, m) for s, b, m in (await session.execute(query)).all()]


async def answer_rows(
    session: AsyncSession, workspace_id: int, statement_id: int, limit: int
) -> list[dict[str, Any]]:
    """Live statements answering this one, directly or down a chain, in the order made.

    One recursive query down the `target_id` index: a statement's page costs
    the size of its own thread, not of the workspace. Rows are shaped like
    `map_rows`' ({slug, kind, title, status, target, steelmen}).
    """
    tree = (
        select(Statement.id)
        .where(Statement.workspace_id == workspace_id, Statement.target_id == statement_id)
        .cte("tree", recursive=True)
    )
    child = aliased(Statement)
    tree = tree.union(
        select(child.id)
        .join(tree, child.target_id == tree.c.id)
        .where(child.workspace_id == workspace_id)
    )
    parent = aliased(Statement)
    steelmen = _live_steelmen()
    query = (
        select(
            Statement.slug,
            Statement.kind,
            Statement.title,
            Statement.status,
            parent.slug.label("target"),
            steelmen.label("steelmen"),
        )
        .join(tree, tree.c.id == Statement.id)
        .join(parent, parent.id == Statement.target_id)
        .where(Statement.deleted_at.is_(None), parent.deleted_at.is_(None))
        .order_by(Statement.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in (await session.execute(query)).all()]


async def reading_rows(
    session: AsyncSession,
    workspace_id: int,
    reading_id: int,
    *,
    kind: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[dict[str, Any]], int]:
    """(one page of a reading's live statements in the order made, how many there are).

    Only the page is read, so a reading of thousands costs the page's rows:
    shaped like `map_rows`' ({slug, kind, title, status, target, steelmen}).
    """
    where = [
        Statement.workspace_id == workspace_id,
        Statement.reading_id == reading_id,
        Statement.deleted_at.is_(None),
    ]
    if kind is not None:
        where.append(Statement.kind == kind)
    if status is not None:
        where.append(Statement.status == status)
    total = await session.scalar(select(func.count()).select_from(Statement).where(*where))
    parent = aliased(Statement)
    steelmen = _live_steelmen()
    query = (
        select(
            Statement.slug,
            Statement.kind,
            Statement.title,
            Statement.status,
            parent.slug.label("target"),
            parent.deleted_at.label("target_deleted"),
            steelmen.label("steelmen"),
        )
        .outerjoin(parent, parent.id == Statement.target_id)
        .where(*where)
        .order_by(Statement.id)
        .offset(offset)
        .limit(limit)
    )
    rows = []
    for row in (await session.execute(query)).all():
        shaped = dict(row._mapping)
        if shaped.pop("target_deleted") is not None:
            shaped["target"] = None
        rows.append(shaped)
    return rows, int(total or 0)
