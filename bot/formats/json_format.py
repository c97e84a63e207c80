"""The JSON export: the lossless backup of a workspace's map.

Export, import into an empty workspace and export again gives the same JSON,
as long as that workspace owns the platform ids the file holds (members,
channels, message links). Imported elsewhere, exactly those ids change: see
bot/services/import_trust.py. The revision log is not part of the export: an
import records itself as one change.
"""

from __future__ import annotations

import json
from typing import Any

from bot.formats.json_rows import ExportFormatError, sections_to_json, snapshot_from_sections
from bot.storage.snapshot_rows import MapSnapshot

__all__ = ["ExportFormatError", "from_json", "is_json_export", "to_json"]

FORMAT_NAME = "cruxbot-map"
FORMAT_VERSION = 1
SECTIONS = (
    "readings",
    "statements",
    "steelmen",
    "stances",
    "meetings",
    "cruxes",
    "channels",
    "actions",
)


def to_json(snapshot: MapSnapshot) -> str:
    """The snapshot as indented, key-sorted JSON (stable, so diffs are meaningful)."""
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    sections = sections_to_json(snapshot)
    for section in SECTIONS:
        document[section] = sections[section]
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def is_json_export(text: str) -> bool:
    """Whether a file looks like one of our exports (so import can pick a reader)."""
    return text.lstrip().startswith("{") and FORMAT_NAME in text[:2000]


def from_json(text: str) -> MapSnapshot:
    """Parse an export, checking its shape; the error names the section and item."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportFormatError(
            f"Not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ExportFormatError(f"Not a Cruxbot export: `format` must be {FORMAT_NAME!r}.")
    if document.get("version") != FORMAT_VERSION:
        raise ExportFormatError(
            f"Export version {document.get('version')!r} is not supported; "
            f"this Cruxbot reads version {FORMAT_VERSION}."
        )
    return snapshot_from_sections(document)
