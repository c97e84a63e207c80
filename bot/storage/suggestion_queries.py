"""Queries behind suggestions: autocomplete as a member types, and "did you mean".

Each is a few index lookups in the current workspace, never a scan of it: they
run on every keystroke of an autocomplete box.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import search
from bot.storage.models import SlugName, Statement

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


class SuggestionQueries:
    """Part of `StatementRepository`: the session and workspace are set there."""

    session: AsyncSession
    workspace_id: int

    async def slug_candidates(self, slug: str, limit: int = 30) -> set[str]:
        """Nicknames that might be what a mistyped `slug` meant, from a few index lookups.

        Nicknames the typed one starts with, nicknames sharing its first letters,
        and statements whose nickname shares a word with it; "did you mean" picks
        the closest of these few, never the whole workspace.
        """
        slug = slug.lower()[:40]
        live = (
            select(SlugName.slug)
            .join(Statement, Statement.id == SlugName.statement_id)
            .where(SlugName.workspace_id == self.workspace_id, Statement.deleted_at.is_(None))
        )
        found: set[str] = set()
        prefixes = [slug[:k] for k in range(2, len(slug))]
        if prefixes:
            found.update(await self.session.scalars(live.where(SlugName.slug.in_(prefixes))))
        for start in {slug[:3], slug[:2], slug[:-1]}:
            if len(start) >= 2:
                found.update(await self.session.scalars(self._slug_prefix(live, start, limit)))
        ids = await search.name_match_ids(
            self.session,
            self.workspace_id,
            [w for w in slug.split("-") if len(w) >= 3],
            (),
            limit,
            nickname_only=True,
            any_word=True,
        )
        if ids:
            query = select(Statement.slug).where(Statement.id.in_(ids))
            found.update(await self.session.scalars(query))
        return found

    def _slug_prefix(self, query: SelectT, prefix: str, limit: int) -> SelectT:
        """`query` narrowed to nicknames starting with `prefix`, in index order.

        A range on the (workspace, slug) index rather than LIKE, which SQLite
        cannot serve from an index; byte order on PostgreSQL whatever its collation.
        """
        slug: Any = SlugName.slug
        if self.session.get_bind().dialect.name == "postgresql":
            slug = SlugName.slug.collate("C")
        if prefix:
            query = query.where(slug >= prefix)
            if ord(prefix[-1]) < 0x10FFFF:  # past the last character there is no upper bound
                # Skip the surrogates: no driver can send one (U+D7FF is followed by U+E000).
                after = ord(prefix[-1]) + 1 if ord(prefix[-1]) != 0xD7FF else 0xE000
                query = query.where(slug < prefix[:-1] + chr(after))
        return query.order_by(slug).limit(limit)

    async def complete_slugs(
        self, typed: str, kinds: Sequence[str], limit: int
    ) -> Sequence[tuple[str, str, str]]:
        """(slug, title, kind) of live statements for a partly typed nickname.

        Nicknames starting with what was typed come first (in alphabetical
        order, so an exact match leads), then statements whose nickname or title
        has words starting with the typed words, best match first.
        """
        typed = typed.lower()
        base = (
            select(SlugName.slug, Statement.title, Statement.kind)
            .join(Statement, Statement.id == SlugName.statement_id)
            .where(SlugName.workspace_id == self.workspace_id, Statement.deleted_at.is_(None))
        )
        if kinds:
            base = base.where(Statement.kind.in_(kinds))
        prefix = self._slug_prefix(base, typed, limit)
        rows = [(slug, title, kind) for slug, title, kind in await self.session.execute(prefix)]
        words = search.words_of(typed, 4)
        if len(rows) < limit and words and len(typed) >= 2:
            ids = await search.name_match_ids(self.session, self.workspace_id, words, kinds, limit)
            seen = {row[0] for row in rows}
            if ids:
                query = select(Statement.id, Statement.slug, Statement.title, Statement.kind)
                found = {
                    row.id: row
                    for row in await self.session.execute(query.where(Statement.id.in_(ids)))
                }
                for statement_id in ids:
                    row = found[statement_id]
                    if row.slug not in seen and len(rows) < limit:
                        rows.append((row.slug, row.title, row.kind))
                        seen.add(row.slug)
        return rows
