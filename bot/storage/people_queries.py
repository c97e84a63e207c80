"""Queries about who is who in a workspace: a member's name from their id, and back.

A facilitator credits a member with `by:` by mention or, in the console, by
name; these find the member the workspace already knows under that id or name,
from the rows that record members (their changes, stances and statements).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Revision, Stance, Statement


class PeopleQueries:
    """Part of `MemberRepository`: the session and workspace are set there."""

    session: AsyncSession
    workspace_id: int

    def _people(self) -> Any:
        """(member id, name, when) of every row naming a member in the workspace."""
        return union_all(
            select(
                Revision.actor_id.label("member_id"),
                Revision.actor_name.label("name"),
                Revision.created_at.label("at"),
            ).where(Revision.workspace_id == self.workspace_id),
            select(Stance.member_id, Stance.member_name, Stance.updated_at).where(
                Stance.workspace_id == self.workspace_id
            ),
            select(Statement.author_id, Statement.author_name, Statement.created_at).where(
                Statement.workspace_id == self.workspace_id
            ),
        ).subquery()

    async def _latest(self, condition: Any, people: Any) -> tuple[str, str] | None:
        found = (
            await self.session.execute(
                select(people.c.member_id, people.c.name)
                .where(condition)
                .order_by(people.c.at.desc())
                .limit(1)
            )
        ).first()
        return (str(found[0]), str(found[1])) if found else None

    async def name_of(self, member_id: str) -> str | None:
        """The name a member last went by here, or None if they were never seen."""
        people = self._people()
        found = await self._latest(people.c.member_id == member_id, people)
        return found[1] if found else None

    async def named(self, name: str) -> tuple[str, str] | None:
        """(id, name) of the member last seen here under `name` (any case), or None."""
        people = self._people()
        condition: ColumnElement[bool] = func.lower(people.c.name) == name.lower()
        return await self._latest(condition, people)
