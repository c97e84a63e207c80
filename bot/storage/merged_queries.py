"""Merged statements: what they were, after their nicknames went elsewhere.

`/merge lag-2 lag` moves every nickname of `lag-2` to `lag` and hides
`lag-2` as its duplicate. The merged row keeps its own slug, but that slug
now names `lag`: a merged statement is one that no longer answers to its own
slug. It is found by that slug (`StatementRepository.merged_under`), so
`/objection lag-2` can say where it went and `/list … duplicate` can still
list it, instead of its wording becoming unreachable.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists

from bot.storage.models import SlugName, Statement


def is_merged() -> ColumnElement[bool]:
    """A condition true of merged statements: hidden duplicates without their own nickname."""
    own_name = exists().where(
        SlugName.workspace_id == Statement.workspace_id,
        SlugName.slug == Statement.slug,
        SlugName.statement_id == Statement.id,
    )
    return and_(
        Statement.deleted_at.is_not(None),
        Statement.status == "duplicate",
        Statement.duplicate_of_id.is_not(None),
        ~own_name,
    )
