"""The sections of a JSON export read into typed rows, each field checked once.

A file from elsewhere is untrusted input: a field of the wrong type, or a
nickname that is not one, is refused here, naming the section, the item and
the field, before anything is written. Nicknames and references to them are
read the way typed ones are (`LAG` and ` lag ` are `lag`). What the rows mean
together (references resolve, kinds and statuses exist) is checked next, by
bot/services/restore_checks.py. Fields that earlier versions read loosely
(member ids and names, meeting minutes) are still read as text whatever they
hold, so every file that imported before still does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain import normalise_slug, validate_slug
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
    """A word from a vocabulary (checked later): anything but text is empty."""
    return value if isinstance(value, str) else ""


def _slug(value: Any, where: str) -> str:
    """A nickname, normalised as a typed one is; one that is not a nickname even then is refused."""
    try:
        return validate_slug(value if isinstance(value, str) else "")
    except UserError as exc:
        raise ExportFormatError(f"{where}: {exc.message}") from exc


def _ref(value: Any) -> str | None:
    """A reference to a nickname, read as a typed one is (`check` says if it names nothing)."""
    return None if value is None else normalise_slug(str(value))


def _position(value: Any) -> int | None:
    """A meeting's position; anything else names no meeting (as before)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reading(item: Item, where: str) -> ReadingRow:
    return ReadingRow(
        slug=_slug(item.get("slug"), where),
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


def _merged_ref(item: Item, where: str) -> str | None:
    """A merged statement's `ref`, checked (None for other statements).

    Its slug went to the statement it was merged into, so the file refers to
    it by `ref` (see `StatementRow.key`); a ref has an `@`, which no nickname has,
    so refs and nicknames never collide.
    """
    merged = item.get("merged", False)
    if not isinstance(merged, bool):
        raise ExportFormatError(f"{where}: `merged` must be true or false.")
    if not merged:
        return None
    ref = _ref(item.get("ref")) or ""
    if "@" not in ref:
        raise ExportFormatError(f"{where}: a merged statement needs a `ref` like `slug@3`.")
    return ref


def _statement(item: Item, where: str) -> StatementRow:
    slug = _slug(item.get("slug"), where)
    where = f"{where} `{slug}`"
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list):
        raise ExportFormatError(f"{where}: `aliases` must be a list.")
    ref = _merged_ref(item, where)
    created = item.get("created_at")

    def text(key: str) -> str:
        return text_field(item, key, where)

    return StatementRow(
        slug=slug,
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
        aliases=tuple(_slug(alias, where) for alias in aliases),
        kind=_name(item.get("kind")),
        status=_name(item.get("status")),
        target=_ref(item.get("target")),
        duplicate_of=_ref(item.get("duplicate_of")),
        reading=_ref(item.get("reading")),
        meeting=_position(item.get("meeting")),
        created_at=when(created, where),
        updated_at=when(item.get("updated_at") or created, where),
        deleted_at=when(item.get("deleted_at"), where, required=False),
        merged=ref is not None,
        ref=ref,
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
