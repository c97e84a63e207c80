"""The sections of a JSON export read into typed rows, each field checked once.

A file from elsewhere is untrusted input: a field of the wrong type is
refused here, naming the section, the item and the field, before anything
is written. What the rows mean together (nicknames, references, vocabularies)
is checked next, by bot/services/restore_checks.py. Fields that earlier
versions read loosely (member ids and names, meeting minutes) are still read
as text whatever they hold, so every file that imported before still does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.errors import UserError
from bot.storage.snapshot_rows import (
    ActionRow,
    ChannelRow,
    CruxRow,
    MapSnapshot,
    MeetingRow,
    ReadingRow,
    StanceRow,
    StatementRow,
    SteelmanRow,
)

Item = dict[str, Any]


class ExportFormatError(UserError):
    """The file is not a Cruxbot JSON export (or is damaged); the message says where."""


def when(value: Any, where: str, required: bool = True) -> datetime | None:
    """A timestamp in ISO 8601; None only where it may be absent."""
    if value is None and not required:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ExportFormatError(f"{where}: {value!r} is not an ISO 8601 timestamp.") from None


def text_field(item: Item, key: str, where: str) -> str:
    """A text field ("" when absent or null); anything but text is refused."""
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ExportFormatError(f"{where}: `{key}` must be text.")
    return value


def _loose(item: Item, key: str) -> str:
    """A field earlier versions read as text whatever it held."""
    return str(item.get(key, ""))


def _name(value: Any) -> str:
    """A slug as given (checked when nicknames are normalised): anything but text is empty."""
    return value if isinstance(value, str) else ""


def _ref(value: Any) -> str | None:
    """A reference to a nickname as given (normalised and checked later)."""
    return None if value is None else str(value)


def _position(value: Any) -> int | None:
    """A meeting's position; anything else names no meeting (as before)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reading(item: Item, where: str) -> ReadingRow:
    return ReadingRow(
        slug=_name(item.get("slug")),
        title=text_field(item, "title", where),
        author=text_field(item, "author", where),
        url=text_field(item, "url", where),
        created_by=text_field(item, "created_by", where),
        created_at=when(item.get("created_at"), where),
    )


def _meeting(item: Item, where: str) -> MeetingRow:
    ref = item.get("ref", 0)
    if _position(ref) is None:
        raise ExportFormatError(f"{where}: `ref` must be a whole number.")
    return MeetingRow(
        ref=int(ref),
        channel=str(item.get("channel") or ""),
        reading=_ref(item.get("reading")),
        started_by_id=_loose(item, "started_by_id"),
        started_by_name=_loose(item, "started_by_name"),
        started_at=when(item.get("started_at"), where),
        ended_at=when(item.get("ended_at"), where, required=False),
        closed_automatically=bool(item.get("closed_automatically")),
        minutes=_loose(item, "minutes"),
    )


def _statement(item: Item, where: str) -> StatementRow:
    where = f"{where} `{item.get('slug')}`"
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list):
        raise ExportFormatError(f"{where}: `aliases` must be a list.")
    merged = item.get("merged", False)
    if not isinstance(merged, bool):
        raise ExportFormatError(f"{where}: `merged` must be true or false.")
    created = item.get("created_at")

    def text(key: str) -> str:
        return text_field(item, key, where)

    return StatementRow(
        slug=_name(item.get("slug")),
        title=text("title"),
        text=text("text"),
        quote=text("quote"),
        source_url=text("source_url"),
        source_page=text("source_page"),
        author_id=text("author_id"),
        author_name=text("author_name"),
        origin_url=text("origin_url"),
        source_member_id=text("source_member_id"),
        source_member_name=text("source_member_name"),
        aliases=tuple(_name(alias) for alias in aliases),
        kind=_name(item.get("kind")),
        status=_name(item.get("status")),
        target=_ref(item.get("target")),
        duplicate_of=_ref(item.get("duplicate_of")),
        reading=_ref(item.get("reading")),
        meeting=_position(item.get("meeting")),
        created_at=when(created, where),
        updated_at=when(item.get("updated_at") or created, where),
        deleted_at=when(item.get("deleted_at"), where, required=False),
        merged=merged,
        ref=_ref(item.get("ref")) if merged else None,
    )


def _steelman(item: Item, where: str) -> SteelmanRow:
    return SteelmanRow(
        statement=_ref(item.get("statement")),
        text=_loose(item, "text"),
        author_id=_loose(item, "author_id"),
        author_name=_loose(item, "author_name"),
        endorsed=bool(item.get("endorsed")),
        created_at=when(item.get("created_at"), where),
        deleted_at=when(item.get("deleted_at"), where, required=False),
    )


def _stance(item: Item, where: str) -> StanceRow:
    credence = item.get("credence")
    if credence is not None:
        try:
            credence = int(credence)
        except (TypeError, ValueError, OverflowError):
            raise ExportFormatError(f"{where}: `credence` must be a whole number.") from None
    return StanceRow(
        statement=_ref(item.get("statement")),
        member_id=_loose(item, "member_id"),
        member_name=_loose(item, "member_name"),
        position=_name(item.get("position")),
        credence=credence,
        updated_at=when(item.get("updated_at"), where),
    )


def _crux(item: Item, where: str) -> CruxRow:
    return CruxRow(
        statement=_ref(item.get("statement")),
        belief=_ref(item.get("belief")),
        member_id=_loose(item, "member_id"),
        member_name=_loose(item, "member_name"),
        meeting=_position(item.get("meeting")),
        reason=str(item.get("reason") or ""),
        created_at=when(item.get("created_at"), where),
    )


def _channel(item: Item, where: str) -> ChannelRow:
    return ChannelRow(
        channel=str(item.get("channel") or ""), current_reading=_ref(item.get("current_reading"))
    )


def _action(item: Item, where: str) -> ActionRow:
    return ActionRow(
        kind=_name(item.get("kind")),
        text=str(item.get("text") or ""),
        member_id=_loose(item, "member_id"),
        member_name=_loose(item, "member_name"),
        meeting=_position(item.get("meeting")),
        created_at=when(item.get("created_at"), where),
        done_at=when(item.get("done_at"), where, required=False),
    )


#: How each section's items are read; the order is the file's.
READERS: dict[str, Callable[[Item, str], Any]] = {
    "readings": _reading,
    "statements": _statement,
    "steelmen": _steelman,
    "stances": _stance,
    "meetings": _meeting,
    "cruxes": _crux,
    "channels": _channel,
    "actions": _action,
}


def snapshot_from_sections(document: dict[str, Any]) -> MapSnapshot:
    """The sections of a parsed JSON export as typed rows; the error names the item."""
    snapshot = MapSnapshot()
    for section, read in READERS.items():
        items = document.get(section, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ExportFormatError(f"`{section}` must be a list of objects.")
        rows = [read(item, f"{section}[{index}]") for index, item in enumerate(items)]
        setattr(snapshot, section, rows)
    return snapshot


def sections_to_json(snapshot: MapSnapshot) -> dict[str, list[dict[str, Any]]]:
    """Each section of `snapshot` as the JSON export holds it."""
    return {section: [row.to_json() for row in getattr(snapshot, section)] for section in READERS}
