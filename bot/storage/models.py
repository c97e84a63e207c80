"""SQLAlchemy models: the schema of a workspace's argument map.

Every table but `workspaces` carries a `workspace_id`, and every query in the
repositories filters on it: nothing ever crosses workspaces. The schema itself
changes only through the Alembic revisions in `migrations/`; a test checks that
these models and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Table option for every table with a generated id. Ids are never reused: a row's id
#: stays in revisions, buttons and undo after the row is gone, and must never come to
#: name another row (SQLite otherwise hands the highest id out again after a delete;
#: PostgreSQL sequences never do). Migration 0005 rebuilt the SQLite tables with it.
IDS_NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """The current time, timezone-aware, so SQLite and PostgreSQL agree."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workspace(Base):
    """One tenant: a Discord guild, a Slack team or the local console."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reading(Base):
    """A text under discussion."""

    __tablename__ = "readings"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Channel(Base):
    """A chat channel's state: which reading is current there."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    current_reading_id: Mapped[int | None] = mapped_column(
        ForeignKey("readings.id", ondelete="SET NULL"), nullable=True
    )


class Meeting(Base):
    """A session in one channel, between /meeting start and /meeting end.

    Everything changed in the channel meanwhile (statements, stances, steelmen,
    status changes, cruxes) carries the meeting's id; the minutes are built from
    that when it ends. At most one meeting per channel is open at a time.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_open_per_channel", "workspace_id", "channel_id", "ended_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(64))
    reading_id: Mapped[int | None] = mapped_column(
        ForeignKey("readings.id", ondelete="SET NULL"), nullable=True
    )
    started_by_id: Mapped[str] = mapped_column(String(64))
    started_by_name: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_automatically: Mapped[bool] = mapped_column(Boolean, default=False)
    minutes: Mapped[str] = mapped_column(Text, default="")


class Statement(Base):
    """A node of the map: a claim, objection, reply or support."""

    __tablename__ = "statements"
    __table_args__ = (
        Index("ix_statements_workspace_kind", "workspace_id", "kind"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    slug: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    source_page: Mapped[str] = mapped_column(String(40), default="")
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    # Whose chat message the text quotes word for word, when not the author's ("" if none).
    source_member_id: Mapped[str] = mapped_column(String(64), default="")
    source_member_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL"), nullable=True
    )
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="SET NULL"), nullable=True, index=True
    )
    reading_id: Mapped[int | None] = mapped_column(
        ForeignKey("readings.id", ondelete="SET NULL"), nullable=True
    )
    origin_url: Mapped[str] = mapped_column(String(2000), default="")
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SlugName(Base):
    """Every nickname a statement answers to: its slug and its aliases.

    One table for both makes "unique per workspace" a single constraint, and a
    rename just adds a row, so the old slug keeps working as an alias.
    """

    __tablename__ = "slug_names"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(40))
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )


class Steelman(Base):
    """A stronger formulation of a statement, possibly endorsed by its author."""

    __tablename__ = "steelmen"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    endorsed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Stance(Base):
    """A member's agree / disagree / unsure on a statement; one per member."""

    __tablename__ = "stances"
    __table_args__ = (UniqueConstraint("statement_id", "member_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(10))
    credence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Crux(Base):
    """ "If `belief` were false, I would change my mind on `statement`."

    Two members with opposite stances on a statement naming the same belief
    make a double crux: the most productive thing the group can discuss.
    """

    __tablename__ = "cruxes"
    __table_args__ = (UniqueConstraint("statement_id", "belief_id", "member_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    belief_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(200))
    meeting_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # Why the belief matters to the member ("" if they gave no reason).
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionItem(Base):
    """An action someone will take, or a decision the group took (`/action`, `/decision`).

    Meeting bots record these (`#action`, `#agreed`); the minutes list the ones
    of their meeting, `/actions` the open ones across meetings. `member_id` is
    whose it is: who will do the action, or who proposed the decision.
    """

    __tablename__ = "action_items"
    __table_args__ = (
        Index("ix_action_items_workspace_open", "workspace_id", "kind", "done_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "action" or "decision"
    text: Mapped[str] = mapped_column(Text)
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(200))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Revision(Base):
    """One recorded change: who, when, before and after.

    Rows written by one command share a `change_id`, so `/undo` reverts the
    command as a whole. `before` is null for a creation, `after` for a removal.
    """

    __tablename__ = "revisions"
    __table_args__ = (
        Index("ix_revisions_workspace_change", "workspace_id", "change_id"),
        Index("ix_revisions_entity", "workspace_id", "entity_type", "entity_id"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    change_id: Mapped[str] = mapped_column(String(36))
    statement_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Delivery(Base):
    """A platform request already handled, so a re-delivered one is not run twice.

    Slack re-sends a request it thinks failed; keeping the key in the database
    (not in memory) makes this hold across restarts and several processes.
    """

    __tablename__ = "deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class WebLink(Base):
    """A workspace's read-only web links: what makes them, and what checks them.

    The token in a link is an HMAC of `nonce` under the deployment's web secret
    (WEB_SECRET, never in the database), so the bot can put the link on any
    reply without storing it; only its SHA-256 is kept, to find the workspace a
    link belongs to. Revoking draws a new nonce: every old link stops working.
    """

    __tablename__ = "web_links"
    __table_args__ = (UniqueConstraint("workspace_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StatementVector(Base):
    """A statement's embedding: what `/ask` compares a question's meaning with.

    Computed in the background after a write (`bot.services.meaning`), never in
    the command's transaction. `model` and `source_updated_at` say which
    provider made it from which version of the statement: a vector of another
    model, or of an older text, is made again. The floats are packed (float32,
    little-endian) because pgvector is not on every PostgreSQL server; the
    statement's deletion (and so /forget-me) removes it by foreign key.
    """

    __tablename__ = "statement_vectors"
    __table_args__ = (UniqueConstraint("statement_id"), IDS_NEVER_REUSED)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(200))
    source_updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
