"""Snapshots of rows for the revision log, and applying them back for /undo.

A snapshot is a JSON-safe dict of a row's columns. Undo puts the `before`
snapshot back: a row that did not exist before is removed, a row that was
removed is inserted again with its old id, any other row gets its old values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base, Crux, Reading, SlugName, Stance, Statement, Steelman

Snapshot = dict[str, Any]

ENTITY_MODELS: dict[str, type[Base]] = {
    "statement": Statement,
    "slug": SlugName,
    "steelman": Steelman,
    "stance": Stance,
    "reading": Reading,
    "crux": Crux,
}
ENTITY_NAMES: dict[type[Base], str] = {model: name for name, model in ENTITY_MODELS.items()}


def snapshot(row: Base) -> Snapshot:
    """The row's column values, with datetimes as ISO strings."""
    values: Snapshot = {}
    for column in inspect(type(row)).columns:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values


def _from_snapshot(model: type[Base], values: Snapshot) -> Snapshot:
    """Convert a snapshot back into Python values for the model's columns."""
    converted: Snapshot = {}
    for column in inspect(model).columns:
        if column.key not in values:
            continue
        value = values[column.key]
        if isinstance(column.type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        converted[column.key] = value
    return converted


async def restore_snapshot(
    session: AsyncSession, entity_type: str, entity_id: int, before: Snapshot | None
) -> Base | None:
    """Make the row look as it did in `before` (None: the row should not exist).

    Returns the row as it now is, or None when it was removed.
    """
    model = ENTITY_MODELS[entity_type]
    row = await session.get(model, entity_id)
    if before is None:
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    values = _from_snapshot(model, before)
    if row is None:
        row = model(**values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    await session.flush()
    return row
