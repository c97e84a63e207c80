"""The `actions` section of a JSON export: actions and decisions, written back on import.

Kept apart from `restore`, which writes the map itself; an export made before
actions existed has no such section and imports as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.errors import UserError
from bot.storage.batches import BatchWriter
from bot.storage.models import ActionItem

KINDS = ("action", "decision")


def check_actions(items: list[dict[str, Any]]) -> None:
    """Each item is an action or a decision with some text."""
    for index, item in enumerate(items):
        if item.get("kind") not in KINDS:
            raise UserError(f"actions[{index}]: kind must be action or decision.")
        if not str(item.get("text") or "").strip():
            raise UserError(f"actions[{index}]: the text is empty.")


async def write_actions(
    writer: BatchWriter,
    workspace_id: int,
    items: list[dict[str, Any]],
    meetings: dict[int, int],
    when: Any,
) -> None:
    """Insert the actions and decisions, tied to their imported meetings.

    `when(value, where, required)` reads a timestamp as the rest of the import does.
    """
    rows = [
        ActionItem(
            workspace_id=workspace_id,
            kind=str(item["kind"]),
            text=str(item["text"])[:1000],
            member_id=str(item.get("member_id", ""))[:64],
            member_name=str(item.get("member_name", ""))[:200],
            meeting_id=meetings.get(item.get("meeting") or 0),
            created_at=_at(when(item.get("created_at"), "action")),
            done_at=when(item.get("done_at"), "action", required=False),
        )
        for item in items
    ]
    await writer.write(rows)
    for row in rows:
        writer.record(row, f"imported {row.kind} #{row.id}")


def _at(value: datetime | None) -> datetime:
    assert value is not None, "a required timestamp"
    return value
