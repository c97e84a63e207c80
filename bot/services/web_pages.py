"""What each page of the web view shows, read for the workspace a token opens.

The web adapter asks `WebPages` for a page with the token from the URL and
gets a plain record back, or None: an unknown or revoked token, and a
reading, statement or meeting the token's workspace does not have, all look
the same (the adapter answers 404 with no data). Every read goes through the
repositories or `web_queries` with the token's workspace id, so no page can
show another workspace's rows; what /forget-me removed is gone from the
rows, so it is gone from the pages too.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.web_access import WebAccess
from bot.services.web_map import Drawing, MapDrawings
from bot.services.web_models import (
    Contested,
    Crux,
    IndexPage,
    Item,
    Listed,
    MeetingItem,
    MeetingPage,
    ReadingPage,
    StatementPage,
)
from bot.storage import web_queries
from bot.storage.map_queries import map_rows
from bot.storage.store import Store, store_over

#: The most statements a statement page's tree of answers lists.
TREE_LIMIT = 500
#: Statements in one page of a reading's list of all of them.
PAGE_SIZE = 500
#: The most claims, open objections or contested statements a reading's page lists.
SHORT_LIST = 50
#: Reading pages kept for reuse (see WebPages.readings).
CACHED_READINGS = 64
HISTORY_LIMIT = 50


def _item(row: dict[str, Any]) -> Item:
    return Item(
        row["slug"], row["kind"], row["title"], row["status"], row["target"], row["steelmen"]
    )


def _item_of(statement: Any) -> Item:
    return Item(statement.slug, statement.kind, statement.title, statement.status)


def _meeting(row: Any) -> MeetingItem:
    return MeetingItem(row.id, row.started_at, row.ended_at, row.started_by_name)


@dataclass
class WebPages:
    """The pages of the web view, each read outside any transaction."""

    sessions: async_sessionmaker[AsyncSession]
    access: WebAccess
    drawings: MapDrawings = field(default_factory=MapDrawings)
    #: Statements per page of a reading's list of all of them.
    page_size: int = PAGE_SIZE
    #: Reading pages as last read, by (workspace, reading, page): reused while the
    #: workspace's version is unchanged (the version is one query; the page is ten).
    readings: OrderedDict[tuple[int, int, int], ReadingPage] = field(default_factory=OrderedDict)

    async def _open(self, session: AsyncSession, token: str) -> Store | None:
        workspace_id = await self.access.workspace_of(session, token)
        if workspace_id is None:
            return None
        return store_over(session, workspace_id)

    async def version(self, token: str) -> str | None:
        """A fingerprint of the workspace's statements: it changes when one does."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            return await self._version(session, store)

    async def _version(self, session: AsyncSession, store: Store) -> str:
        return await web_queries.version_of(session, store.workspace_id)

    async def index(self, token: str) -> IndexPage | None:
        """The workspace's readings, with how many statements each holds."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            ws = store.workspace_id
            readings = await web_queries.readings_with_counts(session, ws)
            meetings = await web_queries.meetings_of(session, ws)
            return IndexPage(
                await web_queries.workspace_name(session, ws),
                [(r.slug, r.title, n) for r, n in readings],
                [_meeting(m) for m in meetings],
            )

    async def reading(self, token: str, slug: str, page: int = 1) -> ReadingPage | None:
        """A reading's page (`page`: of its list of every statement), or None."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            reading = await store.readings.by_slug(slug)
            if reading is None:
                return None
            ws = store.workspace_id
            version = await self._version(session, store)
            key = (ws, reading.id, page)
            cached = self.readings.get(key)
            if cached is not None and cached.version == version:
                self.readings.move_to_end(key)
                return cached
            claims = await self._listed(session, ws, reading.id, kind="claim")
            objections = await self._listed(session, ws, reading.id, "objection", "open")
            statements = await self._listed(session, ws, reading.id, page=page, size=self.page_size)
            totals = await web_queries.stance_totals(session, ws, reading.id)
            cruxes = await web_queries.crux_rows(session, ws, reading_id=reading.id)
            meetings = await web_queries.meetings_of(session, ws, reading.id)
        contested = [
            Contested(_item({**row, "target": None, "steelmen": 0}), a, d, u)
            for row, (a, d, u) in totals
            if a and d
        ]
        contested.sort(
            key=lambda c: (-min(c.agree, c.disagree) / max(c.agree, c.disagree), c.item.slug)
        )
        drawing = Drawing(None)
        if statements.total:

            async def rows() -> list[dict[str, Any]]:
                async with self.sessions() as session:
                    return await map_rows(session, ws, reading.id)

            drawing = await self.drawings.drawing(
                (ws, reading.id, version), rows, f"Argument map: {reading.slug}"
            )
        made = ReadingPage(
            reading.slug,
            reading.title,
            reading.author,
            reading.url,
            claims,
            objections,
            statements,
            contested[:SHORT_LIST],
            [Crux(*row) for row in cruxes],
            [_meeting(m) for m in meetings],
            drawing.svg,
            drawing.note,
            version,
        )
        if drawing.current:
            self.readings[key] = made
            while len(self.readings) > CACHED_READINGS:
                self.readings.popitem(last=False)
        return made

    async def _listed(
        self,
        session: AsyncSession,
        workspace_id: int,
        reading_id: int,
        kind: str | None = None,
        status: str | None = None,
        *,
        page: int = 1,
        size: int = SHORT_LIST,
    ) -> Listed:
        rows, total = await web_queries.reading_rows(
            session,
            workspace_id,
            reading_id,
            kind=kind,
            status=status,
            offset=(page - 1) * size,
            limit=size,
        )
        pages = max(1, -(-total // size))
        return Listed([_item(row) for row in rows], total, page, pages, (page - 1) * size + 1)

    async def statement(self, token: str, slug: str) -> StatementPage | None:
        """A statement's page (found by nickname or alias), or None."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            found = await store.statements.by_slug(slug)
            if found is None or found.deleted_at is not None:
                return None
            ws = store.workspace_id
            rows = await web_queries.answer_rows(session, ws, found.id, TREE_LIMIT)
            target = await store.statements.by_id(found.target_id)
            steelmen = await store.statements.steelmen(found.id)
            stances = await store.stances.on(found.id)
            cruxes = await web_queries.crux_rows(session, ws, statement_id=found.id)
            history = await store.revisions.newest(found.id, 0, HISTORY_LIMIT)
            reading = await store.readings.by_id(found.reading_id)
            version = await self._version(session, store)
        item = Item(
            found.slug,
            found.kind,
            found.title,
            found.status,
            target.slug if target and target.deleted_at is None else None,
            len(steelmen),
        )
        ordered = sorted(steelmen, key=lambda s: (not s.endorsed, -s.id))
        return StatementPage(
            item=item,
            text=found.text,
            quote=found.quote,
            source_url=found.source_url,
            source_page=found.source_page,
            author=found.author_name,
            created_at=found.created_at,
            reading=(reading.slug, reading.title) if reading else None,
            target=_item_of(target) if item.target and target else None,
            steelmen=[(s.text, s.author_name, s.endorsed) for s in ordered],
            tree=answer_tree(found.slug, rows),
            stances=[(s.member_name, s.position, s.credence) for s in stances],
            cruxes=[Crux(*row) for row in cruxes],
            history=[(r.created_at, r.actor_name, r.summary or r.action) for r in history],
            version=version,
        )

    async def meeting(self, token: str, number: str) -> MeetingPage | None:
        """A meeting's minutes by number, or the latest meeting's for "latest"."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            if number == "latest":
                latest = await web_queries.meetings_of(session, store.workspace_id, limit=1)
                row = latest[0] if latest else None
            elif number.isdigit() and len(number) < 10:
                row = await store.meetings.by_id(int(number))
            else:
                row = None
            if row is None:
                return None
            reading = await store.readings.by_id(row.reading_id)
        return MeetingPage(
            _meeting(row), (reading.slug, reading.title) if reading else None, row.minutes
        )

    async def reading_or_statement(self, token: str, slug: str) -> str | None:
        """Where a /map nickname's page is: "r/<slug>", "s/<slug>", or None."""
        async with self.sessions() as session:
            store = await self._open(session, token)
            if store is None:
                return None
            if await store.readings.by_slug(slug) is not None:
                return f"r/{slug.lower()}"
            found = await store.statements.by_slug(slug)
            if found is None or found.deleted_at is not None:
                return None
            return f"s/{found.slug}"


def answer_tree(slug: str, rows: list[dict[str, Any]]) -> list[tuple[int, Item]]:
    """Everything answering a statement, depth first: (depth, statement), depth 1 first."""
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["target"] is not None:
            children[row["target"]].append(row)
    tree: list[tuple[int, Item]] = []
    stack = [(1, row) for row in reversed(children.get(slug, []))]
    seen = {slug}
    while stack and len(tree) < TREE_LIMIT:
        depth, row = stack.pop()
        if row["slug"] in seen:
            continue
        seen.add(row["slug"])
        tree.append((depth, _item(row)))
        stack.extend((depth + 1, child) for child in reversed(children.get(row["slug"], [])))
    return tree
