"""Reading an export before anything is written: every field checked, every error placed.

A file from elsewhere is untrusted input. Every item is checked before the
first row is written, and the error names the section, the item and the field,
so a member can fix the file; nicknames are read the way typed ones are. The
writing side (bot/services/restore.py) relies on what is checked here and
reads the fields with the same helpers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import (
    ALLOWED_TARGETS,
    KINDS,
    POSITIONS,
    STATUSES,
    article,
    normalise_slug,
    validate_slug,
)
from bot.errors import UserError
from bot.formats.json_format import ExportFormatError
from bot.services.restore_actions import check_actions
from bot.storage.snapshot import MapSnapshot


def when(value: Any, where: str, required: bool = True) -> datetime | None:
    if value is None and not required:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ExportFormatError(f"{where}: {value!r} is not an ISO 8601 timestamp.") from None


def text_field(item: dict[str, Any], key: str, where: str, required: bool = False) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ExportFormatError(f"{where}: `{key}` must be text.")
    if required and not value.strip():
        raise ExportFormatError(f"{where}: `{key}` is missing.")
    return value


def _slug(value: Any, where: str) -> str:
    try:
        return validate_slug(value if isinstance(value, str) else "")
    except UserError as exc:
        raise ExportFormatError(f"{where}: {exc.message}") from exc


def _ref(value: Any) -> str | None:
    """A reference to a nickname, read as a typed one is (`check` says if it names nothing)."""
    return None if value is None else normalise_slug(str(value))


def _with_refs(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return [{**item, **{key: _ref(item.get(key)) for key in keys}} for item in items]


def _merged(item: dict[str, Any], where: str) -> dict[str, Any]:
    """A merged statement's `merged` flag and `ref`, checked (nothing for other statements).

    Its slug went to the statement it was merged into, so the file refers to
    it by `ref` (see `statement_key`); a ref has an `@`, which no nickname has,
    so refs and nicknames never collide.
    """
    merged = item.get("merged", False)
    if not isinstance(merged, bool):
        raise ExportFormatError(f"{where}: `merged` must be true or false.")
    if not merged:
        return {}
    ref = _ref(item.get("ref")) or ""
    if "@" not in ref:
        raise ExportFormatError(f"{where}: a merged statement needs a `ref` like `slug@3`.")
    return {"merged": True, "ref": ref}


def nicknames(item: dict[str, Any]) -> list[str]:
    """The nicknames a `normalised` statement answers to (a merged one's slug is not one)."""
    return [*([] if item.get("merged") else [item["slug"]]), *item["aliases"]]


def normalised(snapshot: MapSnapshot) -> MapSnapshot:
    """A copy with every nickname and reference as a typed one would be stored.

    A nickname that is not one even then (`bad slug!`) is refused, naming its
    item; a reference is only normalised here, and `check` says if it names
    nothing.
    """
    statements = []
    for index, item in enumerate(snapshot.statements):
        slug = _slug(item.get("slug"), f"statements[{index}]")
        where = f"statements[{index}] `{slug}`"
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise ExportFormatError(f"{where}: `aliases` must be a list.")
        statements.append(
            {
                **item,
                "slug": slug,
                "aliases": [_slug(alias, where) for alias in aliases],
                **{key: _ref(item.get(key)) for key in ("target", "duplicate_of", "reading")},
                **_merged(item, where),
            }
        )
    return MapSnapshot(
        readings=[
            {**item, "slug": _slug(item.get("slug"), f"readings[{index}]")}
            for index, item in enumerate(snapshot.readings)
        ],
        statements=statements,
        steelmen=_with_refs(snapshot.steelmen, "statement"),
        stances=_with_refs(snapshot.stances, "statement"),
        meetings=_with_refs(snapshot.meetings, "reading"),
        cruxes=_with_refs(snapshot.cruxes, "statement", "belief"),
        channels=_with_refs(snapshot.channels, "current_reading"),
        actions=snapshot.actions,
    )


def check(snapshot: MapSnapshot) -> None:
    """Validate references and vocabularies of a `normalised` snapshot before any write."""
    reading_slugs = {r["slug"] for r in snapshot.readings}
    kinds: dict[str, str] = {}
    for index, item in enumerate(snapshot.statements):
        slug = item["slug"]
        where = f"statements[{index}] `{slug}`"
        if item.get("kind") not in KINDS:
            raise ExportFormatError(f"{where}: kind must be one of {', '.join(KINDS)}.")
        if item.get("status") not in STATUSES:
            raise ExportFormatError(f"{where}: status must be one of {', '.join(STATUSES)}.")
        for name in nicknames(item):
            if name in kinds:
                raise ExportFormatError(f"{where}: the nickname `{name}` is used twice.")
            kinds[name] = str(item["kind"])
        if item.get("merged"):
            if item["ref"] in kinds:
                raise ExportFormatError(f"{where}: the ref `{item['ref']}` is used twice.")
            kinds[item["ref"]] = str(item["kind"])
        if item.get("reading") is not None and item["reading"] not in reading_slugs:
            raise ExportFormatError(f"{where}: unknown reading `{item['reading']}`.")
        text_field(item, "text", where, required=True)
        when(item.get("created_at"), where)
    for index, item in enumerate(snapshot.statements):
        where = f"statements[{index}] `{item['slug']}`"
        for key in ("target", "duplicate_of"):
            if item.get(key) is not None and item[key] not in kinds:
                raise ExportFormatError(f"{where}: `{key}` names unknown `{item[key]}`.")
        target = item.get("target")
        if target is not None and kinds[target] not in ALLOWED_TARGETS[item["kind"]]:
            kind, other = item["kind"], kinds[target]
            raise ExportFormatError(
                f"{where}: {article(kind)} {kind} cannot answer {article(other)} {other}."
            )
    for section in ("steelmen", "stances", "cruxes"):
        for index, item in enumerate(getattr(snapshot, section)):
            for key in ("statement", "belief") if section == "cruxes" else ("statement",):
                if item.get(key) not in kinds:
                    raise ExportFormatError(
                        f"{section}[{index}]: unknown `{key}` {item.get(key)!r}."
                    )
    check_actions(snapshot.actions)
    for index, item in enumerate(snapshot.stances):
        if item.get("position") not in POSITIONS:
            raise ExportFormatError(
                f"stances[{index}]: position must be agree, disagree or unsure."
            )
