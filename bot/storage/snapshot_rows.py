"""The rows of a snapshot, typed: one frozen dataclass per kind of row.

A snapshot is made from the database (`bot.storage.snapshot.load_snapshot`),
from a file (`bot.formats.json_rows` reads a JSON export's sections, and the
Kialo and Argdown readers' too) or from a reading pack
(`bot.services.packs.pack_snapshot`), and written by one writer
(`bot.storage.snapshot_writer`). Each row's `to_json` gives the
object the JSON export has held since its first version, key for key, so a
backup written by any earlier Cruxbot reads back (tests/test_old_backups.py).

Rows name each other by slug (statements, readings) or by position
(meetings), never by database id. Timestamps are datetimes here and ISO 8601
text in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def iso(moment: datetime | None) -> str | None:
    """A timestamp as ISO 8601 in UTC (SQLite returns naive UTC datetimes)."""
    if moment is None:
        return None
    text = moment.isoformat()
    return text if moment.tzinfo else text + "+00:00"


@dataclass(frozen=True, slots=True)
class ReadingRow:
    """A reading, named by its slug."""

    slug: str
    title: str = ""
    author: str = ""
    url: str = ""
    created_by: str = ""
    created_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The reading as the JSON export holds it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "author": self.author,
            "url": self.url,
            "created_by": self.created_by,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """A meeting; other rows name it by `ref`, its position in the snapshot (from 1)."""

    ref: int
    channel: str = ""
    reading: str | None = None
    started_by_id: str = ""
    started_by_name: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    closed_automatically: bool = False
    minutes: str = ""

    def to_json(self) -> dict[str, Any]:
        """The meeting as the JSON export holds it."""
        return {
            "ref": self.ref,
            "channel": self.channel,
            "reading": self.reading,
            "started_by_id": self.started_by_id,
            "started_by_name": self.started_by_name,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "closed_automatically": self.closed_automatically,
            "minutes": self.minutes,
        }


@dataclass(frozen=True, slots=True)
class StatementRow:
    """A statement, with the nicknames it answers to besides its slug (`aliases`).

    A merged statement's nicknames went to the statement it was merged into,
    so its slug may name another statement now; it is referred to by `ref`
    (`<slug>@<position>`, which no nickname can be: see `StatementRow.key`).
    """

    slug: str
    kind: str
    text: str
    aliases: tuple[str, ...] = ()
    title: str = ""
    quote: str = ""
    source_url: str = ""
    source_page: str = ""
    author_id: str = ""
    author_name: str = ""
    status: str = "open"
    target: str | None = None
    duplicate_of: str | None = None
    reading: str | None = None
    origin_url: str = ""
    meeting: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    #: Whose chat message the text quotes word for word ("" if nobody's).
    source_member_id: str = ""
    source_member_name: str = ""
    merged: bool = False
    ref: str | None = None

    @property
    def key(self) -> str:
        """How the rest of a snapshot refers to this statement: its slug, or a merged one's `ref`.

        A merged statement's nicknames went to the statement it was merged into,
        so its slug may name another statement now (or several merged ones may
        share it); references to it use its `ref`, `<slug>@<position>`, which no
        nickname can be (a nickname has no `@`).
        """
        return str(self.ref) if self.merged else self.slug

    @property
    def nicknames(self) -> list[str]:
        """The nicknames it answers to (a merged statement's slug is not one)."""
        return [*([] if self.merged else [self.slug]), *self.aliases]

    def to_json(self) -> dict[str, Any]:
        """The statement as the JSON export holds it (`merged` and `ref` only if merged)."""
        return {
            "slug": self.slug,
            "aliases": list(self.aliases),
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "quote": self.quote,
            "source_url": self.source_url,
            "source_page": self.source_page,
            "author_id": self.author_id,
            "author_name": self.author_name,
            "status": self.status,
            "target": self.target,
            "duplicate_of": self.duplicate_of,
            "reading": self.reading,
            "origin_url": self.origin_url,
            "meeting": self.meeting,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "deleted_at": iso(self.deleted_at),
            "source_member_id": self.source_member_id,
            "source_member_name": self.source_member_name,
            **({"merged": True, "ref": self.ref} if self.merged else {}),
        }


@dataclass(frozen=True, slots=True)
class SteelmanRow:
    """A steelman of the statement `statement` names."""

    statement: str | None
    text: str
    author_id: str = ""
    author_name: str = ""
    endorsed: bool = False
    created_at: datetime | None = None
    deleted_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The steelman as the JSON export holds it."""
        return {
            "statement": self.statement,
            "text": self.text,
            "author_id": self.author_id,
            "author_name": self.author_name,
            "endorsed": self.endorsed,
            "created_at": iso(self.created_at),
            "deleted_at": iso(self.deleted_at),
        }


@dataclass(frozen=True, slots=True)
class StanceRow:
    """A member's stance on the statement `statement` names."""

    statement: str | None
    position: str
    member_id: str = ""
    member_name: str = ""
    credence: int | None = None
    updated_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The stance as the JSON export holds it."""
        return {
            "statement": self.statement,
            "member_id": self.member_id,
            "member_name": self.member_name,
            "position": self.position,
            "credence": self.credence,
            "updated_at": iso(self.updated_at),
        }


@dataclass(frozen=True, slots=True)
class CruxRow:
    """A member's crux: `statement` hinges on `belief` for them."""

    statement: str | None
    belief: str | None
    member_id: str = ""
    member_name: str = ""
    meeting: int | None = None
    reason: str = ""
    created_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The crux as the JSON export holds it."""
        return {
            "statement": self.statement,
            "belief": self.belief,
            "member_id": self.member_id,
            "member_name": self.member_name,
            "meeting": self.meeting,
            "reason": self.reason,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """A channel and the reading it is on."""

    channel: str
    current_reading: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The channel as the JSON export holds it."""
        return {"channel": self.channel, "current_reading": self.current_reading}


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action or a decision (`/action`, `/decision`), with the meeting it was taken in."""

    kind: str
    text: str
    member_id: str = ""
    member_name: str = ""
    meeting: int | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The action as the JSON export holds it."""
        return {
            "kind": self.kind,
            "text": self.text,
            "member_id": self.member_id,
            "member_name": self.member_name,
            "meeting": self.meeting,
            "created_at": iso(self.created_at),
            "done_at": iso(self.done_at),
        }


@dataclass
class MapSnapshot:
    """Everything a workspace (or one reading of it) holds, ready to serialise."""

    readings: list[ReadingRow] = field(default_factory=list)
    statements: list[StatementRow] = field(default_factory=list)
    steelmen: list[SteelmanRow] = field(default_factory=list)
    stances: list[StanceRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    cruxes: list[CruxRow] = field(default_factory=list)
    channels: list[ChannelRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    def live_statements(self) -> list[StatementRow]:
        """Statements that are not deleted."""
        return [s for s in self.statements if s.deleted_at is None]

    def by_slug(self) -> dict[str, StatementRow]:
        """Statements keyed by how the snapshot refers to them (see `StatementRow.key`)."""
        return {s.key: s for s in self.statements}
