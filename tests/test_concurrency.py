"""Concurrent commands: nothing lost, no "database is locked", friendly races."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlalchemy import text

from bot.app import Cruxbot
from tests.conftest import MEMBER, text_of


async def test_concurrent_writers_lose_nothing(demo_app: Cruxbot) -> None:
    members = [replace(MEMBER, user_id=f"u{n}", user_name=f"M{n}") for n in range(30)]
    stance_lines = [demo_app.handle_line("/agree lag", m) for m in members]
    log_lines = [
        demo_app.handle_line(f"/objection p{n} Point {n}. to:lag", members[n]) for n in range(20)
    ]
    replies = await asyncio.gather(*stance_lines, *log_lines)
    assert [r.body for r in replies if r.error] == []
    shown = text_of(await demo_app.handle_line("/objection lag", MEMBER))
    assert "agree 32" in shown  # two from the demo pack, thirty new
    listed = await demo_app.handle_line("/list objections", MEMBER)
    assert "(26 in all)" in listed.footer  # six from the demo pack


async def test_two_members_racing_for_one_slug_get_a_clear_answer(demo_app: Cruxbot) -> None:
    first, second = replace(MEMBER, user_id="r1"), replace(MEMBER, user_id="r2")
    replies = await asyncio.gather(
        demo_app.handle_line("/objection race First. to:lag", first),
        demo_app.handle_line("/objection race Second. to:lag", second),
    )
    errors = [r for r in replies if r.error]
    assert len(errors) == 1
    assert "`race` is taken" in errors[0].body


async def test_sqlite_settings_are_applied(app: Cruxbot) -> None:
    if app.engine.dialect.name != "sqlite":
        return
    async with app.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one() >= 5000
