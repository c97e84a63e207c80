"""Queries, one place per aggregate, always scoped to the current workspace.

Services never write SQL; they ask these repositories. Each query filters on
`workspace_id`, which is what keeps tenants apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import ranking, search, statement_view, stemming
from bot.storage.action_queries import ActionQueries
from bot.storage.ask_queries import AskQueries
from bot.storage.meeting_queries import MeetingQueries
from bot.storage.member_queries import MemberQueries
from bot.storage.merged_queries import MergedQueries, is_merged
from bot.storage.models import (
    Channel,
    Reading,
    Revision,
    SlugName,
    Stance,
    Statement,
    Steelman,
    Workspace,
)
from bot.storage.people_queries import PeopleQueries


@dataclass
class StanceCounts:
    """How many members agree, disagree or are unsure, and the mean credence."""

    agree: int = 0
    disagree: int = 0
    unsure: int = 0
    mean_credence: float | None = None


class WorkspaceRepository:
    """Tenants, created the first time a guild, team or console is seen."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, platform: str, external_id: str) -> int | None:
        """The workspace's id if it has been seen, without creating it."""
        return await self.session.scalar(
            select(Workspace.id).where(
                Workspace.platform == platform, Workspace.external_id == external_id
            )
        )

    async def ensure(self, platform: str, external_id: str, name: str = "") -> tuple[int, bool]:
        """The workspace's id, creating it on first sight, and whether it is new.

        Safe when two commands of a new workspace arrive at once: the loser of
        the insert race reads the winner's row.
        """
        query = select(Workspace.id).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
        found = await self.session.scalar(query)
        if found is not None:
            return found, False
        try:
            async with self.session.begin_nested():
                row = Workspace(platform=platform, external_id=external_id, name=name[:200])
                self.session.add(row)
            return row.id, True
        except IntegrityError:
            found = await self.session.scalar(query)
            assert found is not None
            return found, False


class Repositories(
    ActionQueries,
    MeetingQueries,
    MemberQueries,
    MergedQueries,
    PeopleQueries,
    AskQueries,
):
    """All queries of one unit of work; `workspace_id` is set once it is known."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.workspaces = WorkspaceRepository(session)
        self.workspace_id = 0

    # ---------------------------------------------------------------- statements

    async def statement_by_slug(self, slug: str) -> Statement | None:
        """The statement a slug or alias names, deleted or not."""
        query = (
            select(Statement)
            .join(SlugName, SlugName.statement_id == Statement.id)
            .where(SlugName.workspace_id == self.workspace_id, SlugName.slug == slug.lower())
        )
        return await self.session.scalar(query)

    async def statement_view(
        self, *, slug: str = "", statement_id: int = 0
    ) -> statement_view.StatementView | None:
        """A statement (by nickname or id, deleted or not) with all its full view shows."""
        return await statement_view.load_view(
            self.session, self.workspace_id, slug=slug, statement_id=statement_id
        )

    async def statement_by_id(self, statement_id: int | None) -> Statement | None:
        """A statement of this workspace by id."""
        if statement_id is None:
            return None
        return await self.session.scalar(self._statements().where(Statement.id == statement_id))

    async def slug_names(self, statement_id: int) -> Sequence[SlugName]:
        """Every nickname of a statement, oldest first."""
        query = (
            select(SlugName)
            .where(
                SlugName.workspace_id == self.workspace_id, SlugName.statement_id == statement_id
            )
            .order_by(SlugName.id)
        )
        return (await self.session.scalars(query)).all()

    async def slug_owner(self, slug: str) -> SlugName | None:
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

    async def list_statements(
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
        return await self.statements_by_ids(hits.ids), hits.total, hits.terms

    async def statements_by_ids(self, ids: Sequence[int]) -> list[Statement]:
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

    async def similar_statements(
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

    # ---------------------------------------------------------------- steelmen and stances

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

    async def stance(self, statement_id: int, member_id: str) -> Stance | None:
        """A member's stance on a statement, if any."""
        query = select(Stance).where(
            Stance.workspace_id == self.workspace_id,
            Stance.statement_id == statement_id,
            Stance.member_id == member_id,
        )
        return await self.session.scalar(query)

    async def stances(self, statement_id: int) -> Sequence[Stance]:
        """All stances on a statement."""
        query = (
            select(Stance)
            .where(Stance.workspace_id == self.workspace_id, Stance.statement_id == statement_id)
            .order_by(Stance.id)
        )
        return (await self.session.scalars(query)).all()

    # ---------------------------------------------------------------- readings and channels

    async def reading_by_slug(self, slug: str) -> Reading | None:
        """A reading of this workspace by slug."""
        query = select(Reading).where(
            Reading.workspace_id == self.workspace_id, Reading.slug == slug.lower()
        )
        return await self.session.scalar(query)

    async def reading_by_id(self, reading_id: int | None) -> Reading | None:
        """A reading of this workspace by id."""
        if reading_id is None:
            return None
        query = select(Reading).where(
            Reading.workspace_id == self.workspace_id, Reading.id == reading_id
        )
        return await self.session.scalar(query)

    async def readings(self, limit: int = 25) -> Sequence[Reading]:
        """The workspace's readings, newest first."""
        query = (
            select(Reading)
            .where(Reading.workspace_id == self.workspace_id)
            .order_by(Reading.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def channel(self, external_id: str) -> Channel:
        """The channel's state row, created on first use."""
        query = select(Channel).where(
            Channel.workspace_id == self.workspace_id, Channel.external_id == external_id
        )
        found = await self.session.scalar(query)
        if found is None:
            found = Channel(workspace_id=self.workspace_id, external_id=external_id)
            self.session.add(found)
            await self.session.flush()
        return found

    async def current_reading_id(self, external_id: str) -> int | None:
        """The channel's current reading, without creating its row (for read-only checks)."""
        return await self.session.scalar(
            select(Channel.current_reading_id).where(
                Channel.workspace_id == self.workspace_id, Channel.external_id == external_id
            )
        )

    # ---------------------------------------------------------------- revisions

    async def revisions(
        self, statement_id: int | None, offset: int, limit: int
    ) -> Sequence[Revision]:
        """Revisions of a statement (or of the workspace), newest first."""
        query = select(Revision).where(Revision.workspace_id == self.workspace_id)
        if statement_id is not None:
            query = query.where(Revision.statement_id == statement_id)
        query = query.order_by(Revision.id.desc()).offset(offset).limit(limit)
        return (await self.session.scalars(query)).all()

    async def last_change(
        self, actor_id: str | None = None, statement_id: int | None = None
    ) -> Sequence[Revision]:
        """The revisions of the newest undoable change, by an actor or on a statement."""
        query = select(Revision.change_id).where(
            Revision.workspace_id == self.workspace_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        if actor_id is not None:
            query = query.where(Revision.actor_id == actor_id)
        if statement_id is not None:
            query = query.where(Revision.statement_id == statement_id)
        change_id = await self.session.scalar(query.order_by(Revision.id.desc()).limit(1))
        if change_id is None:
            return []
        rows = select(Revision).where(
            Revision.workspace_id == self.workspace_id, Revision.change_id == change_id
        )
        return (await self.session.scalars(rows.order_by(Revision.id))).all()

    async def later_revision(self, revision: Revision, change_id: str) -> Revision | None:
        """A live revision of the same row made after `revision` by another change."""
        query = select(Revision).where(
            Revision.workspace_id == self.workspace_id,
            Revision.entity_type == revision.entity_type,
            Revision.entity_id == revision.entity_id,
            Revision.id > revision.id,
            Revision.change_id != change_id,
            Revision.undone.is_(False),
            Revision.action != "undo",
        )
        return await self.session.scalar(query.order_by(Revision.id).limit(1))
