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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.web_links import WebAccess
from bot.services.web_map import MapDrawings
from bot.storage import web_queries
from bot.storage.map_queries import map_rows
from bot.storage.repositories import Repositories

#: The most statements a statement page's tree of answers lists.
TREE_LIMIT = 500
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Item:
    """A statement as pages list it."""

    slug: str
    kind: str
    title: str
    status: str
    target: str | None = None
    steelmen: int = 0


@dataclass(frozen=True)
class Crux:
    """A belief a member said would change their mind on a statement."""

    statement: str
    belief: str
    member: str


@dataclass(frozen=True)
class MeetingItem:
    """A meeting as pages list it."""

    number: int
    started_at: datetime
    ended_at: datetime | None
    started_by: str


@dataclass(frozen=True)
class Contested:
    """A statement the group is split on."""

    item: Item
    agree: int
    disagree: int
    unsure: int


@dataclass(frozen=True)
class IndexPage:
    """The workspace's readings."""

    workspace: str
    readings: list[tuple[str, str, int]]
    meetings: list[MeetingItem]


@dataclass(frozen=True)
class ReadingPage:
    """A reading: its map, claims, what is contested, cruxes, open objections, meetings."""

    slug: str
    title: str
    author: str
    url: str
    statements: list[Item]
    contested: list[Contested]
    cruxes: list[Crux]
    meetings: list[MeetingItem]
    svg: str | None
    map_note: str
    version: str

    @property
    def claims(self) -> list[Item]:
        """The reading's claims, in the order they were made."""
        return [s for s in self.statements if s.kind == "claim"]

    @property
    def open_objections(self) -> list[Item]:
        """Objections nobody has answered yet."""
        return [s for s in self.statements if s.kind == "objection" and s.status == "open"]


@dataclass(frozen=True)
class StatementPage:
    """A statement with everything said about it."""

    item: Item
    text: str
    quote: str
    source_url: str
    source_page: str
    author: str
    created_at: datetime
    reading: tuple[str, str] | None
    target: Item | None
    steelmen: list[tuple[str, str, bool]]
    tree: list[tuple[int, Item]]
    stances: list[tuple[str, str, int | None]]
    cruxes: list[Crux]
    history: list[tuple[datetime, str, str]]
    version: str


@dataclass(frozen=True)
class MeetingPage:
    """A meeting's minutes."""

    meeting: MeetingItem
    reading: tuple[str, str] | None
    minutes: str


def _item(row: dict[str, Any]) -> Item:
    return Item(
        row["slug"], row["kind"], row["title"], row["status"], row["target"], row["steelmen"]
    )


def _meeting(row: Any) -> MeetingItem:
    return MeetingItem(row.id, row.started_at, row.ended_at, row.started_by_name)


@dataclass
class WebPages:
    """The pages of the web view, each read outside any transaction."""

    sessions: async_sessionmaker[AsyncSession]
    access: WebAccess
    drawings: MapDrawings = field(default_factory=MapDrawings)

    async def _open(self, session: AsyncSession, token: str) -> Repositories | None:
        workspace_id = await self.access.workspace_of(session, token)
        if workspace_id is None:
            return None
        repos = Repositories(session)
        repos.workspace_id = workspace_id
        return repos

    async def version(self, token: str) -> str | None:
        """A fingerprint of the workspace's statements: it changes when one does."""
        async with self.sessions() as session:
            repos = await self._open(session, token)
            if repos is None:
                return None
            return await self._version(repos)

    async def _version(self, repos: Repositories) -> str:
        count, latest = await web_queries.last_change(repos.session, repos.workspace_id)
        return f"{count}-{latest.timestamp() if latest else 0}"

    async def index(self, token: str) -> IndexPage | None:
        """The workspace's readings, with how many statements each holds."""
        async with self.sessions() as session:
            repos = await self._open(session, token)
            if repos is None:
                return None
            ws = repos.workspace_id
            readings = await web_queries.readings_with_counts(session, ws)
            meetings = await web_queries.meetings_of(session, ws)
            return IndexPage(
                await web_queries.workspace_name(session, ws),
                [(r.slug, r.title, n) for r, n in readings],
                [_meeting(m) for m in meetings],
            )

    async def reading(self, token: str, slug: str) -> ReadingPage | None:
        """A reading's page, or None when the token's workspace has no such reading."""
        async with self.sessions() as session:
            repos = await self._open(session, token)
            if repos is None:
                return None
            reading = await repos.reading_by_slug(slug)
            if reading is None:
                return None
            ws = repos.workspace_id
            rows = await map_rows(session, ws, reading.id)
            totals = await web_queries.stance_totals(session, ws, reading.id)
            cruxes = await web_queries.crux_rows(session, ws, reading_id=reading.id)
            meetings = await web_queries.meetings_of(session, ws, reading.id)
            version = await self._version(repos)
        items = [_item(row) for row in rows]
        by_slug = {item.slug: item for item in items}
        contested = [
            Contested(by_slug[slug], a, d, u)
            for slug, (a, d, u) in totals.items()
            if a and d and slug in by_slug
        ]
        contested.sort(
            key=lambda c: (-min(c.agree, c.disagree) / max(c.agree, c.disagree), c.item.slug)
        )
        svg, note = (None, "")
        if rows:
            svg, note = await self.drawings.svg(
                (ws, reading.id, version), rows, f"Argument map: {reading.slug}"
            )
        return ReadingPage(
            reading.slug,
            reading.title,
            reading.author,
            reading.url,
            items,
            contested,
            [Crux(*row) for row in cruxes],
            [_meeting(m) for m in meetings],
            svg,
            note,
            version,
        )

    async def statement(self, token: str, slug: str) -> StatementPage | None:
        """A statement's page (found by nickname or alias), or None."""
        async with self.sessions() as session:
            repos = await self._open(session, token)
            if repos is None:
                return None
            found = await repos.statement_by_slug(slug)
            if found is None or found.deleted_at is not None:
                return None
            ws = repos.workspace_id
            rows = await map_rows(session, ws, None)
            steelmen = await repos.steelmen(found.id)
            stances = await repos.stances(found.id)
            cruxes = await web_queries.crux_rows(session, ws, statement_id=found.id)
            history = await repos.revisions(found.id, 0, HISTORY_LIMIT)
            reading = await repos.reading_by_id(found.reading_id)
            version = await self._version(repos)
        by_slug = {row["slug"]: _item(row) for row in rows}
        item = by_slug.get(found.slug) or Item(found.slug, found.kind, found.title, found.status)
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
            target=by_slug.get(item.target) if item.target else None,
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
            repos = await self._open(session, token)
            if repos is None:
                return None
            if number == "latest":
                latest = await web_queries.meetings_of(session, repos.workspace_id, limit=1)
                row = latest[0] if latest else None
            elif number.isdigit() and len(number) < 10:
                row = await repos.meeting(int(number))
            else:
                row = None
            if row is None:
                return None
            reading = await repos.reading_by_id(row.reading_id)
        return MeetingPage(
            _meeting(row), (reading.slug, reading.title) if reading else None, row.minutes
        )

    async def reading_or_statement(self, token: str, slug: str) -> str | None:
        """Where a /map nickname's page is: "r/<slug>", "s/<slug>", or None."""
        async with self.sessions() as session:
            repos = await self._open(session, token)
            if repos is None:
                return None
            if await repos.reading_by_slug(slug) is not None:
                return f"r/{slug.lower()}"
            found = await repos.statement_by_slug(slug)
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
