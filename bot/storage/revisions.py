"""Snapshots of rows for the revision log, and applying them back for /undo.

A snapshot is a JSON-safe dict of a row's columns. Undo puts the `before`
snapshot back: a row that did not exist before is removed, a row that was
removed is inserted again with its old id, any other row gets its old values.

Rows are found by (workspace, id), never by id alone: a row of another
workspace is never read, changed or removed, even one that holds an id this
workspace's history names (see `RowElsewhere`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, exists, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    ActionItem,
    Base,
    Crux,
    Meeting,
    Reading,
    SlugName,
    Stance,
    Statement,
    Steelman,
)

Snapshot = dict[str, Any]
ModelT = TypeVar("ModelT", bound=Base)

ENTITY_MODELS: dict[str, type[Base]] = {
    "statement": Statement,
    "slug": SlugName,
    "steelman": Steelman,
    "stance": Stance,
    "reading": Reading,
    "crux": Crux,
    "action": ActionItem,
}
ENTITY_NAMES: dict[type[Base], str] = {model: name for name, model in ENTITY_MODELS.items()}

#: Tables of rows a snapshot may refer to, all owned by a workspace.
_REFERRED: dict[str, type[Base]] = {
    model.__tablename__: model for model in (Statement, Reading, Meeting)
}
#: Columns that name such a row without a foreign key.
_PLAIN_REFERENCES: dict[tuple[type[Base], str], type[Base]] = {(Crux, "meeting_id"): Meeting}


class RowElsewhere(Exception):
    """A row an undo would write is not this workspace's to write.

    Its id is in use by another workspace (SQLite reused the highest id after a
    delete until migration 0005), or a column it must refer through names a row
    this workspace does not have. Writing it would change another workspace's
    row or tie this one's to it, so the undo stops and changes nothing.
    """

    def __init__(self, entity_type: str) -> None:
        super().__init__(entity_type)
        self.entity_type = entity_type


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


async def row_in_workspace(
    session: AsyncSession, model: type[ModelT], workspace_id: int, row_id: int
) -> ModelT | None:
    """The row of this id if it belongs to the workspace, else None.

    The one way restore and undo find a row: a row of the same id in another
    workspace is not even loaded.
    """
    table = model.__table__
    query = select(model).where(table.c.id == row_id, table.c.workspace_id == workspace_id)
    return await session.scalar(query)


async def _id_in_use(session: AsyncSession, model: type[Base], row_id: int) -> bool:
    """Whether any row holds this id; only that fact is read, never the row."""
    return bool(await session.scalar(select(exists().where(model.__table__.c.id == row_id))))


async def _owned(session: AsyncSession, model: type[Base], workspace_id: int, row_id: int) -> bool:
    table = model.__table__
    query = exists().where(table.c.id == row_id, table.c.workspace_id == workspace_id)
    return bool(await session.scalar(select(query)))


async def _keep_references_home(
    session: AsyncSession, model: type[Base], workspace_id: int, values: Snapshot
) -> Snapshot:
    """`values` with every reference to a row this workspace no longer has cleared.

    An optional reference is cleared (as the database clears it when the row it
    names is deleted); a required one makes the row unrestorable.
    """
    for column in inspect(model).columns:
        referred = [_REFERRED.get(key.column.table.name) for key in column.foreign_keys]
        referred.append(_PLAIN_REFERENCES.get((model, column.key)))
        target = next((m for m in referred if m is not None), None)
        value = values.get(column.key)
        if target is None or value is None:
            continue
        if not await _owned(session, target, workspace_id, value):
            if not column.nullable:
                raise RowElsewhere(ENTITY_NAMES[model])
            values[column.key] = None
    return values


async def restore_snapshot(
    session: AsyncSession,
    workspace_id: int,
    entity_type: str,
    entity_id: int,
    before: Snapshot | None,
) -> Base | None:
    """Make the workspace's row look as it did in `before` (None: it should not exist).

    Returns the row as it now is, or None when it was removed.

    Raises:
        RowElsewhere: the row cannot be written without touching another
            workspace's (its id is taken there, or it would refer to a row
            this workspace does not have).
    """
    model = ENTITY_MODELS[entity_type]
    row = await row_in_workspace(session, model, workspace_id, entity_id)
    if before is None:
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    values = _from_snapshot(model, before)
    if values.get("id") != entity_id or values.get("workspace_id") != workspace_id:
        raise RowElsewhere(entity_type)
    values = await _keep_references_home(session, model, workspace_id, values)
    if row is None:
        if await _id_in_use(session, model, entity_id):
            raise RowElsewhere(entity_type)
        row = model(**values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    await session.flush()
    return row
