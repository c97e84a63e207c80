"""A database error never carries members' words into the log.

SQLAlchemy quotes a failed query's values in its message (and so in the
traceback that is logged with an error id); the engine is told to leave them out.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.app import Cruxbot
from bot.render.reply import Reply
from bot.services.registry import Args
from bot.storage.unit_of_work import UnitOfWork
from tests.conftest import MEMBER


async def test_a_failed_query_logs_no_values(
    app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    words = "my private zanzibar thought"

    async def failing(uow: UnitOfWork, _args: Args) -> Reply:
        await uow.session.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": words})
        return Reply.done("unreachable")

    app.handlers["leaky"] = failing
    with caplog.at_level(logging.ERROR):
        reply = await app._execute("leaky", {}, MEMBER)
    assert reply.error_id
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    logged += "\n".join(caplog.text.splitlines())
    assert reply.error_id in logged
    assert "no_such_table" in logged  # the query is there to debug with
    assert words not in logged
