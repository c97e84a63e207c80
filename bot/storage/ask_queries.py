"""Queries behind `/ask`: nicknames named in a question, what answers them, ranked text.

Each is a few index lookups in the current workspace: the nicknames table by
its (workspace, slug) key, statements by their target, and the stemmed
full-text index (see `bot.storage.ranking`). None reads a whole workspace.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select

from bot.storage import ranking
from bot.storage.models import SlugName, Statement
from bot.storage.search import Term
from bot.storage.suggestion_queries import SuggestionQueries


class AskQueries(SuggestionQueries):
    """Part of `StatementRepository`: the session and workspace are set there."""

    async def named_statements(self, names: Collection[str]) -> dict[str, int]:
        """Which of `names` are nicknames (or aliases) of live statements, and of which."""
        if not names:
            return {}
        query = (
            select(SlugName.slug, SlugName.statement_id)
            .join(Statement, Statement.id == SlugName.statement_id)
            .where(
                SlugName.workspace_id == self.workspace_id,
                SlugName.slug.in_(list(names)),
                Statement.deleted_at.is_(None),
            )
        )
        return {slug: statement_id for slug, statement_id in await self.session.execute(query)}

    async def nicknames_starting(self, prefix: str, limit: int = 50) -> dict[str, int]:
        """Live nicknames starting with `prefix` (for typo tolerance), in index order."""
        live = (
            select(SlugName.slug, SlugName.statement_id)
            .join(Statement, Statement.id == SlugName.statement_id)
            .where(SlugName.workspace_id == self.workspace_id, Statement.deleted_at.is_(None))
        )
        rows = await self.session.execute(self._slug_prefix(live, prefix, limit))
        return {slug: statement_id for slug, statement_id in rows}

    async def answers_to(
        self, target_ids: Collection[int], kinds: Collection[str], limit: int = 10
    ) -> list[tuple[int, int]]:
        """(id, target id) of live statements of these kinds answering those, newest first.

        By target alone, then checked against the workspace here: with the
        workspace in the query, SQLite's planner prefers the workspace index
        and scans every statement of the workspace (see `statements_by_ids`).
        """
        if not target_ids:
            return []
        query = select(
            Statement.id, Statement.target_id, Statement.workspace_id, Statement.kind
        ).where(Statement.target_id.in_(list(target_ids)), Statement.deleted_at.is_(None))
        rows = await self.session.execute(query.order_by(Statement.id.desc()).limit(20 * limit))
        return [
            (statement_id, target_id or 0)
            for statement_id, target_id, workspace_id, kind in rows
            if workspace_id == self.workspace_id and (not kinds or kind in kinds)
        ][:limit]

    async def kinds_of(self, statement_ids: Collection[int]) -> dict[int, str]:
        """The kind of each of these statements of this workspace (by primary key alone)."""
        if not statement_ids:
            return {}
        query = select(Statement.id, Statement.kind, Statement.workspace_id).where(
            Statement.id.in_(list(statement_ids))
        )
        rows = await self.session.execute(query)
        return {i: kind for i, kind, workspace in rows if workspace == self.workspace_id}

    async def best_matches(
        self, terms: Sequence[Term], limit: int
    ) -> tuple[list[int], list[float]]:
        """Live statements holding any of the terms, best first, with their scores."""
        found = await ranking.best_of_any(self.session, self.workspace_id, terms, limit)
        return found.ids, found.scores
