"""Members: who is who in a workspace, and everything one member wrote (for /forget-me).

Bulk statements rather than row by row: a long-standing member may own
thousands of rows, and forgetting them must be one short transaction. Lists of
the member's rows go into queries as subqueries, never as long parameter lists,
so no database's limit on bound parameters is reached.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    cast,
    delete,
    false,
    func,
    or_,
    select,
    update,
)

from bot.storage.models import (
    ActionItem,
    Crux,
    Meeting,
    Reading,
    Revision,
    SlugName,
    Stance,
    Statement,
    Steelman,
)
from bot.storage.people_queries import PeopleQueries
from bot.storage.scoped import Scoped
from bot.storage.snapshot import seen_members

#: Each kind of row a member owns, and the column saying they own it.
OWNED: dict[str, tuple[Any, Any]] = {
    "statements": (Statement, Statement.author_id),
    "steelmen": (Steelman, Steelman.author_id),
    "stances": (Stance, Stance.member_id),
    "cruxes": (Crux, Crux.member_id),
    "actions": (ActionItem, ActionItem.member_id),
}

#: Keys of a row's snapshot (see bot.storage.revisions) that hold a member's id.
MEMBER_KEYS = ("author_id", "member_id", "created_by", "source_member_id")
#: Keys of a row's snapshot that point at a statement.
STATEMENT_KEYS = ("statement_id", "belief_id", "target_id", "duplicate_of_id")

_CHUNK = 500


@dataclass
class MemberRows:
    """Ids of what a member owns in a workspace, read before anything is changed."""

    statements: set[int] = field(default_factory=set)
    steelmen: set[int] = field(default_factory=set)
    stances: set[int] = field(default_factory=set)
    cruxes: set[int] = field(default_factory=set)
    actions: set[int] = field(default_factory=set)
    #: Every nickname the member's statements answer to (they are the member's words too).
    slugs: set[str] = field(default_factory=set)
    #: Every name the member went by here, as the rows recorded it.
    names: set[str] = field(default_factory=set)
    #: How many meetings they started, readings they added and changes they made.
    traces: dict[str, int] = field(default_factory=dict)

    def owns(self, entity_type: str, entity_id: int) -> bool:
        """Whether a revision's row is one of the member's."""
        owned = {
            "statement": self.statements,
            "steelman": self.steelmen,
            "stance": self.stances,
            "crux": self.cruxes,
            "action": self.actions,
        }.get(entity_type, set())
        return entity_id in owned


class MemberRepository(PeopleQueries, Scoped):
    """Who the workspace's members are, and everything one of them wrote (for /forget-me)."""

    async def seen(self, candidates: Iterable[str]) -> set[str]:
        """Which of these member ids have changed something in this workspace themselves."""
        return await seen_members(self.session, self.workspace_id, candidates)

    def _owned(self, kind: str, member_id: str) -> Any:
        model, column = OWNED[kind]
        return select(model.id).where(model.workspace_id == self.workspace_id, column == member_id)

    async def rows_of(self, member_id: str) -> MemberRows:
        """What the member owns, their statements' nicknames and the names they used.

        One pass over each table (the owner columns have no index of their own).
        """
        ws = self.workspace_id
        rows = MemberRows()
        for kind, name_column in (
            ("statements", Statement.author_name),
            ("steelmen", Steelman.author_name),
            ("stances", Stance.member_name),
            ("cruxes", Crux.member_name),
            ("actions", ActionItem.member_name),
        ):
            model, column = OWNED[kind]
            query = select(model.id, name_column).where(
                model.workspace_id == ws, column == member_id
            )
            found = (await self.session.execute(query)).all()
            getattr(rows, kind).update(row_id for row_id, _ in found)
            rows.names.update(name for _, name in found)
        for noun, model, name_column, id_column in (
            ("meeting", Meeting, Meeting.started_by_name, Meeting.started_by_id),
            ("history entry", Revision, Revision.actor_name, Revision.actor_id),
        ):
            query = select(name_column, func.count()).where(
                model.workspace_id == ws, id_column == member_id
            )
            counted = (await self.session.execute(query.group_by(name_column))).all()
            rows.traces[noun] = sum(count for _, count in counted)
            rows.names.update(name for name, _ in counted)
        readings = select(func.count()).where(
            Reading.workspace_id == ws, Reading.created_by == member_id
        )
        rows.traces["reading"] = int(await self.session.scalar(readings) or 0)
        rows.names.discard("")
        slugs = select(SlugName.slug).where(
            SlugName.workspace_id == ws,
            SlugName.statement_id.in_(self._owned("statements", member_id)),
        )
        rows.slugs = set((await self.session.scalars(slugs)).all())
        return rows

    async def quoting_ids(self, member_id: str) -> list[int]:
        """Statements by others whose text quotes one of the member's chat messages."""
        query = select(Statement.id).where(
            Statement.workspace_id == self.workspace_id, Statement.source_member_id == member_id
        )
        return list((await self.session.scalars(query)).all())

    async def rename_source(self, member_id: str, new_id: str, new_name: str) -> None:
        """Name someone else (or, with "", nobody) as the member's quoted words' source."""
        await self.session.execute(
            update(Statement)
            .where(Statement.workspace_id == self.workspace_id)
            .where(Statement.source_member_id == member_id)
            .values(source_member_id=new_id, source_member_name=new_name)
        )

    async def revisions_touching(self, member_id: str) -> Sequence[Revision]:
        """Every log entry by the member, about their rows, or whose snapshots hold them.

        Other members' entries count too: an endorsement of the member's
        steelman, a merge that moved or removed their stance, a reply to their
        statement, a stance on it. A snapshot may hold a row that no longer
        exists (a stance a merge removed), so snapshots are searched for the
        member's id as text; reading JSON is kept to the few entries that can
        only be found that way (rows a merge moved off their statements), as it
        costs far more on a large log. Callers check each entry exactly.
        """
        statements = self._owned("statements", member_id)
        conditions: list[ColumnElement[bool]] = [
            Revision.actor_id == member_id,
            Revision.statement_id.in_(statements),
        ]
        for entity, rows in self._rows_of_or_on(member_id, statements).items():
            conditions += [
                and_(Revision.entity_type == entity, Revision.entity_id.in_(query))
                for query in rows
            ]
        written = json.dumps(member_id)  # as it stands in a snapshot's JSON text
        for snapshot in (Revision.before, Revision.after):
            conditions.append(cast(snapshot, Text).contains(written, autoescape=True))
        conditions.append(
            and_(
                Revision.entity_type.in_(("slug", "stance", "steelman")),
                Revision.action != "create",
                Revision.before["statement_id"].as_integer().in_(statements),
            )
        )
        query = select(Revision).where(Revision.workspace_id == self.workspace_id, or_(*conditions))
        return (await self.session.scalars(query.order_by(Revision.id))).all()

    def _rows_of_or_on(self, member_id: str, statements: Any) -> dict[str, list[Any]]:
        """Id queries, by entity type: the member's rows, and rows on their statements."""
        ws = self.workspace_id
        on_theirs = {
            model: select(model.id).where(
                model.workspace_id == ws, model.statement_id.in_(statements)
            )
            for model in (SlugName, Stance, Steelman)
        }
        beliefs = select(Crux.id).where(Crux.workspace_id == ws, Crux.belief_id.in_(statements))
        pointing = select(Statement.id).where(
            Statement.workspace_id == ws,
            or_(Statement.target_id.in_(statements), Statement.duplicate_of_id.in_(statements)),
        )
        on_crux = select(Crux.id).where(Crux.workspace_id == ws, Crux.statement_id.in_(statements))
        return {
            "statement": [statements, pointing],
            "slug": [on_theirs[SlugName]],
            "stance": [self._owned("stances", member_id), on_theirs[Stance]],
            "steelman": [self._owned("steelmen", member_id), on_theirs[Steelman]],
            "crux": [self._owned("cruxes", member_id), on_crux, beliefs],
            "action": [self._owned("actions", member_id)],
        }

    async def delete_revisions(self, ids: Iterable[int]) -> None:
        """Remove log entries for good (a forgotten member's, or ones about their rows)."""
        for chunk in _chunks(sorted(ids)):
            await self.session.execute(
                delete(Revision).where(
                    Revision.workspace_id == self.workspace_id, Revision.id.in_(chunk)
                )
            )

    async def delete_stances_and_cruxes(self, member_id: str) -> None:
        """The member's stances, cruxes and actions (log entries go with revisions_touching)."""
        for kind in ("stances", "cruxes", "actions"):
            model, column = OWNED[kind]
            await self.session.execute(
                delete(model).where(model.workspace_id == self.workspace_id, column == member_id)
            )

    async def delete_writings(self, member_id: str, slug_ids: Iterable[int] = ()) -> None:
        """The member's statements and steelmen, and nicknames of theirs a merge moved.

        What answered a deleted statement stays, no longer attached to it; other
        members' stances, steelmen and cruxes on it go with it (foreign keys).
        """
        ws = self.workspace_id
        statements = self._owned("statements", member_id)
        await self.session.execute(
            delete(Steelman).where(Steelman.workspace_id == ws, Steelman.author_id == member_id)
        )
        for column in (Statement.target_id, Statement.duplicate_of_id):
            await self.session.execute(
                update(Statement)
                .where(Statement.workspace_id == ws, column.in_(statements))
                .values({column: None})
            )
        for chunk in _chunks(sorted(slug_ids)):
            await self.session.execute(
                delete(SlugName).where(SlugName.workspace_id == ws, SlugName.id.in_(chunk))
            )
        await self.session.execute(
            delete(Statement).where(Statement.workspace_id == ws, Statement.author_id == member_id)
        )
        await self.session.flush()

    async def rename_author(self, member_id: str, new_id: str, new_name: str) -> None:
        """Attribute the member's statements and steelmen to someone else."""
        ws = self.workspace_id
        for model in (Statement, Steelman):
            await self.session.execute(
                update(model)
                .where(model.workspace_id == ws, model.author_id == member_id)
                .values(author_id=new_id, author_name=new_name)
            )

    async def rename_in_meetings_and_readings(
        self, member_id: str, new_id: str, new_name: str
    ) -> None:
        """Who started a meeting, or added a reading, without the member's id or name."""
        ws = self.workspace_id
        await self.session.execute(
            update(Meeting)
            .where(Meeting.workspace_id == ws, Meeting.started_by_id == member_id)
            .values(started_by_id=new_id, started_by_name=new_name)
        )
        await self.session.execute(
            update(Reading)
            .where(Reading.workspace_id == ws, Reading.created_by == member_id)
            .values(created_by=new_id)
        )

    async def meetings_mentioning(
        self, member_id: str, rows: MemberRows, meeting_ids: Iterable[int]
    ) -> Sequence[Meeting]:
        """Ended meetings whose minutes may tell of the member (to write them again).

        Those the member started, those during which anything of theirs (or
        about their rows) was logged, those on a reading they objected to (the
        minutes list what was still open), and any whose text names them.
        """
        ws = self.workspace_id
        statements = self._owned("statements", member_id)
        readings = select(Statement.reading_id).where(Statement.id.in_(statements))
        logged = select(Statement.meeting_id).where(Statement.id.in_(statements))
        cruxes = select(Crux.meeting_id).where(Crux.workspace_id == ws, Crux.member_id == member_id)
        actions = select(ActionItem.meeting_id).where(
            ActionItem.workspace_id == ws, ActionItem.member_id == member_id
        )
        named = [Meeting.minutes.contains(name, autoescape=True) for name in rows.names]
        conditions = [
            Meeting.started_by_id == member_id,
            Meeting.reading_id.in_(readings),
            Meeting.id.in_(logged),
            Meeting.id.in_(cruxes),
            Meeting.id.in_(actions),
            *named,
        ]
        for chunk in _chunks(sorted(set(meeting_ids))):
            conditions.append(Meeting.id.in_(chunk))
        query = select(Meeting).where(
            Meeting.workspace_id == ws,
            Meeting.ended_at.is_not(None),
            or_(false(), *conditions),
        )
        return (await self.session.scalars(query.order_by(Meeting.id))).all()


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
