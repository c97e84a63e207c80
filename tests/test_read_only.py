"""Commands that only read: outside any transaction, never queued behind a writer, never writing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.app import Cruxbot
from bot.commands.spec import COMMANDS_BY_NAME, Reads
from bot.storage.models import Reading
from bot.storage.unit_of_work import ReadOnlyViolation
from tests.conftest import MEMBER, text_of

READING_LINES = [
    "/objection lag",
    "/claim lag",  # a kind mismatch is still only shown
    "/objection lagg",  # "did you mean", how to log one
    "/steelman lag",
    "/steelman blank-slate",
    "/list",
    "/list objections open",
    "/search alignment",
    "/search nothing-matches-this",
    "/history",
    "/history lag",
    "/cruxes",
    "/contested",
    "/export",
    "/export json",
]


async def test_every_read_only_command_answers_without_writing(demo_app: Cruxbot) -> None:
    for line in READING_LINES:
        reply = await demo_app.handle_line(line, MEMBER)
        assert not reply.error_id, (line, reply.body)
    mentioned = await demo_app.answer_mention("what did we say about alignment", MEMBER)
    assert not mentioned.error_id, mentioned.body


def test_logging_and_showing_are_told_apart(demo_app: Cruxbot) -> None:
    only_reads = demo_app.reads_only
    assert only_reads("objection", {"slug": "lag"})
    assert not only_reads("objection", {"slug": "lag", "text": "A new point."})
    assert only_reads("steelman", {"slug": "lag"})
    assert not only_reads("steelman", {"slug": "lag", "text": "Stronger."})
    assert not only_reads("agree", {"slug": "lag"})
    assert not only_reads("reading", {})  # it may set up the channel's row
    assert COMMANDS_BY_NAME["meeting"].reads is COMMANDS_BY_NAME["map"].reads is Reads.NEVER


async def test_a_read_is_not_queued_behind_a_long_write(demo_app: Cruxbot) -> None:
    """While an import holds the database, members can still look things up."""
    await demo_app.handle_line("/objection lag", MEMBER)  # the workspace is known now
    async with demo_app.engine.connect() as writer:
        # A transaction in the middle of writing: SQLite's write lock, a row lock on PostgreSQL.
        await writer.execute(text("UPDATE statements SET title = title || '!' WHERE slug = 'lag'"))
        reply = await asyncio.wait_for(demo_app.handle_line("/objection lag", MEMBER), timeout=3)
        assert not reply.error, reply.body
        assert "!" not in reply.title  # nothing uncommitted is shown
        await writer.rollback()


async def test_a_read_only_unit_of_work_refuses_to_write(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/objection lag", MEMBER)
    with pytest.raises(ReadOnlyViolation):
        async with demo_app.unit_of_work(MEMBER, read_only=True) as uow:
            await uow.add(Reading(workspace_id=uow.workspace_id, slug="sneaky"), "added sneaky")
    with pytest.raises(ReadOnlyViolation):
        async with demo_app.unit_of_work(MEMBER, read_only=True) as uow:
            uow.session.add(Reading(workspace_id=uow.workspace_id, slug="unflushed"))
    for slug in ("sneaky", "unflushed"):
        shown = text_of(await demo_app.handle_line(f"/reading {slug}", MEMBER))
        assert "No reading" in shown or "no reading" in shown, shown
