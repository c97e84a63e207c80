"""Statements, their nicknames and steelmen: the statement aggregate's queries.

Every query filters on the repository's workspace (see `bot.storage.scoped`).
The queries behind `/ask` and suggestions are inherited from `AskQueries`
under the names `/ask` calls them by.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select

from bot.storage import ranking, search, statement_view, stemming, vector_queries
from bot.storage.ask_queries import AskQueries
from bot.storage.merged_queries import is_merged
from bot.storage.models import SlugName, Statement, Steelman
from bot.storage.scoped import Scoped


class StatementRepository(AskQueries, Scoped):
    """The workspace's statements: found by nickname or id, listed, searched, compared."""

    def _statements(self) -> Select[Statement]:
        return select(Statement).where(Statement.workspace_id == self.workspace_id)

    async def by_slug(self, slug: str) -> Statement | None:
        """The statement a slug or alias names, deleted or not."""
        query = (
            select(Statement)
            .join(SlugName, SlugName.statement_id == Statement.id)
            .where(SlugName.workspace_id == self.workspace_id, SlugName.slug == slug.lower())
        )
        return await self.session.scalar(query)

    async def view(
        self, *, slug: str = "", statement_id: int = 0
    ) -> statement_view.StatementView | None:
        """A statement (by nickname or id, deleted or not) with all its full view shows."""
        return await statement_view.load_view(
            self.session, self.workspace_id, slug=slug, statement_id=statement_id
        )

    async def by_id(self, statement_id: int | None) -> Statement | None:
        """A statement of this workspace by id."""
        if statement_id is None:
            return None
        return await self.session.scalar(self._statements().where(Statement.id == statement_id))

    async def nicknames(self, statement_id: int) -> Sequence[SlugName]:
        """Every nickname of a statement, oldest first."""
        query = (
            select(SlugName)
            .where(
                SlugName.workspace_id == self.workspace_id, SlugName.statement_id == statement_id
            )
            .order_by(SlugName.id)
        )
        return (await self.session.scalars(query)).all()

    async def nickname_owner(self, slug: str) -> SlugName | None:
        """The nickname row for `slug`, if it is taken."""
        query = select(SlugName).where(
            SlugName.workspace_id == self.workspace_id, SlugName.slug == slug.lower()
        )
        return await self.session.scalar(query)

    async def children(self, statement_id: int, kind: str | None = None) -> Sequence[Statement]:
        """Live statements that answer this one (replies, objections, supports)."""
        query = self._statements().where(
            Statement.target_id == statement_id, Statement.deleted_at.is_(None)
        )
        if kind:
            query = query.where(Statement.kind == kind)
        return (await self.session.scalars(query.order_by(Statement.id))).all()

    async def page(
        self,
        kind: str | None,
        status: str | None,
        reading_id: int | None,
        offset: int,
        limit: int,
        target_id: int | None = None,
    ) -> tuple[Sequence[Statement], int]:
        """A page of live statements, newest first, and how many match (up to a cap).

        The count stops at `search.COUNT_CAP`, so a page of a huge workspace
        costs a bounded scan, not one over every row.
        """
        visible: ColumnElement[bool] = Statement.deleted_at.is_(None)
        if status == "duplicate":  # merged statements stay listed as duplicates
            visible = or_(visible, is_merged())
        query = self._statements().where(visible)
        if kind:
            query = query.where(Statement.kind == kind)
        if status:
            query = query.where(Statement.status == status)
        if reading_id is not None:
            query = query.where(Statement.reading_id == reading_id)
        if target_id is not None:
            query = query.where(Statement.target_id == target_id)
        counted = query.with_only_columns(Statement.id).limit(search.COUNT_CAP)
        total = await self.session.scalar(select(func.count()).select_from(counted.subquery()))
        page = query.order_by(Statement.id.desc()).offset(offset).limit(limit)
        return (await self.session.scalars(page)).all(), int(total or 0)

    async def search(
        self, words: Sequence[str], offset: int, limit: int
    ) -> tuple[Sequence[Statement], int, Sequence[search.Term]]:
        """A ranked page of live statements matching every word, the total (capped), the terms.

        Stemmed full text over nickname, title, text and live steelmen (replies
        are statements, so they are searched too); see `bot.storage.ranking`. The
        terms say how the words matched, for highlighting them.
        """
        hits = await ranking.ranked_ids(self.session, self.workspace_id, words, offset, limit)
        return await self.by_ids(hits.ids), hits.total, hits.terms

    async def by_ids(self, ids: Sequence[int]) -> list[Statement]:
        """Statements of this workspace in the order of `ids`.

        By primary key alone, then checked against the workspace here: with
        `workspace_id = ?` in the query, SQLite's planner prefers the workspace
        index and scans every statement of the workspace (20 ms at 100k).
        """
        if not ids:
            return []
        rows = await self.session.scalars(select(Statement).where(Statement.id.in_(ids)))
        by_id = {row.id: row for row in rows if row.workspace_id == self.workspace_id}
        return [by_id[i] for i in ids if i in by_id]

    async def similar(
        self, text: str, exclude_id: int | None = None, threshold: float = 0.6
    ) -> list[Statement]:
        """Live statements saying much what `text` says, most alike first.

        Candidates come from the stemmed index `/ask` uses: the newest
        statements holding two at least of the text's four longest content
        words, loaded in the same query (`ranking.holding_two_of`); each is then
        compared stem by stem (`stemming.alikeness`, two stems in common at least).
        """
        words = sorted(search.content_words(text), key=lambda w: (-len(w), w))[:4]
        if len(words) < 2:
            return []
        dialect = self.session.get_bind().dialect.name
        query, params = ranking.holding_two_of(
            dialect, self.workspace_id, search.stemmed_terms(words)
        )
        found = await self.session.scalars(select(Statement).from_statement(query), params)
        candidates = [s for s in found if s.id != exclude_id]
        scored = [(stemming.alikeness(text, s.slug, s.title, s.text), s) for s in candidates]
        return [s for score, s in sorted(scored, key=lambda p: -p[0]) if score >= threshold]

    async def merged_under(self, slug: str) -> Statement | None:
        """The statement last merged away under the slug `slug`, if any (see merged_queries)."""
        query = (
            self._statements()
            .where(Statement.slug == slug.lower())
            .where(is_merged())
            .order_by(Statement.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def logged_during(self, meeting_id: int) -> Sequence[Statement]:
        """Live statements logged during a meeting, oldest first."""
        query = self._statements().where(
            Statement.meeting_id == meeting_id, Statement.deleted_at.is_(None)
        )
        return (await self.session.scalars(query.order_by(Statement.id))).all()

    async def nearest(
        self, model: str, question: Sequence[float], limit: int
    ) -> list[tuple[int, float]]:
        """(id, similarity) of the live statements closest in meaning, closest first."""
        return await vector_queries.nearest(self.session, self.workspace_id, model, question, limit)

    async def forget_deleted_words(self) -> None:
        """Make the text index let go of the words of rows just deleted (for /forget-me)."""
        await search.forget_deleted_words(self.session)

    async def steelmen(self, statement_id: int) -> Sequence[Steelman]:
        """Live steelmen of a statement, oldest first (their numbers follow this order)."""
        query = (
            select(Steelman)
            .where(
                Steelman.workspace_id == self.workspace_id,
                Steelman.statement_id == statement_id,
                Steelman.deleted_at.is_(None),
            )
            .order_by(Steelman.id)
        )
        return (await self.session.scalars(query)).all()

    async def steelmen_of(self, statement_ids: Sequence[int]) -> dict[int, list[Steelman]]:
        """Live steelmen of several statements (for search snippets), oldest first."""
        if not statement_ids:
            return {}
        query = (
            select(Steelman)
            .where(
                Steelman.workspace_id == self.workspace_id,
                Steelman.statement_id.in_(statement_ids),
                Steelman.deleted_at.is_(None),
            )
            .order_by(Steelman.id)
        )
        found: dict[int, list[Steelman]] = {}
        for row in await self.session.scalars(query):
            found.setdefault(row.statement_id, []).append(row)
        return found
