"""The records the web view's pages are made from (see bot.services.web_pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
class Listed:
    """One page of a longer list of statements."""

    items: list[Item]
    total: int
    page: int = 1
    pages: int = 1
    #: The position of the first item in the whole list (1 on the first page).
    first: int = 1


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
    claims: Listed
    open_objections: Listed
    statements: Listed
    contested: list[Contested]
    cruxes: list[Crux]
    meetings: list[MeetingItem]
    svg: str | None
    map_note: str
    version: str


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
