"""Faults: killed database connections, a killed process, a failing reply."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Cruxbot
from bot.render.reply import Reply
from bot.services.registry import Args
from bot.storage import migrate
from bot.storage.database import create_engine
from bot.storage.unit_of_work import UnitOfWork
from tests.conftest import MEMBER, MODERATOR, POSTGRES_URL, text_of


async def test_killed_database_connections_do_not_need_a_restart(demo_app: Cruxbot) -> None:
    if demo_app.engine.dialect.name != "postgresql":
        return  # SQLite has no server to lose
    await demo_app.handle_line("/agree lag", MEMBER)
    async with demo_app.engine.connect() as connection:
        me = (await connection.execute(text("select pg_backend_pid()"))).scalar()
    # `me` went back to the pool; kill it from outside, as a DBA or a database
    # restart would, while the bot holds it.
    admin = create_engine(POSTGRES_URL)
    async with admin.connect() as connection:
        await connection.execute(text("select pg_terminate_backend(:pid)"), {"pid": me})
    await admin.dispose()
    reply = await demo_app.handle_line("/disagree lag", MEMBER)
    assert not reply.error, reply.body
    assert "disagree 2" in text_of(await demo_app.handle_line("/objection lag", MEMBER))


async def test_a_command_whose_connection_dies_midway_is_retried(
    demo_app: Cruxbot,
) -> None:
    if demo_app.engine.dialect.name != "postgresql":
        return

    async def kill_then_agree(uow: UnitOfWork, args: Args) -> Reply:
        pid = int((await uow.session.execute(text("select pg_backend_pid()"))).scalar_one())
        if not killed:
            killed.append(pid)
            admin = create_engine(POSTGRES_URL)
            async with admin.connect() as other:
                await other.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
            await admin.dispose()
        return await demo_app.handlers["agree"](uow, args)

    killed: list[int] = []
    demo_app.handlers["flaky"] = kill_then_agree
    reply = await demo_app._execute("flaky", {"slug": "lag"}, MEMBER)
    assert not reply.error, reply.body
    assert killed
    assert "agree 3" in text_of(await demo_app.handle_line("/objection lag", MEMBER))


def _console(db: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cruxbot", "console", "--db", db],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(process: subprocess.Popen[str], marker: str) -> str:
    """Read the console's output up to the line holding `marker` (its acknowledgement)."""
    assert process.stdout is not None
    lines: list[str] = []
    while True:
        line = process.stdout.readline()
        if line == "":
            raise AssertionError("console exited early: " + "".join(lines))
        lines.append(line)
        if marker in line:
            return "".join(lines)


def test_sigkill_mid_meeting_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kill.db'}"
    process = _console(db)
    assert process.stdin is not None
    steps = [("/meeting start", "/meeting end posts the minutes")] + [
        (f"/claim point-{n} Point number {n}.", f"Logged claim `point-{n}`") for n in range(15)
    ]
    for line, acknowledgement in steps:
        process.stdin.write(line + "\n")
        process.stdin.flush()
        assert "Error" not in _read_until(process, acknowledgement)
    process.stdin.write("/claim in-flight Maybe written, maybe not.\n")
    process.stdin.flush()
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    after = subprocess.run(
        [sys.executable, "-m", "cruxbot", "console", "--db", db],
        input="/list claims page:1\n/list claims page:2\n/meeting\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for n in range(15):
        assert f"`point-{n}`" in after.stdout
    assert "Meeting 1 is open" in after.stdout


async def test_fifty_concurrent_sqlite_writers(app: Cruxbot) -> None:
    if app.engine.dialect.name != "sqlite":
        return
    await app.handle_line("/claim hub Everyone answers this.", MODERATOR)
    writers = [replace(MEMBER, user_id=f"w{n}", user_name=f"W{n}") for n in range(50)]
    replies = await asyncio.gather(
        *[
            app.handle_line(f"/objection w-{n} Objection {n}. to:hub", writer)
            for n, writer in enumerate(writers)
        ]
    )
    assert [r.body for r in replies if r.error] == []
    listed = await app.handle_line("/list objections", MEMBER)
    assert "(50 in all)" in listed.footer


async def test_backends_killed_during_a_stream_of_writes_fail_no_command(
    engine: AsyncEngine,
) -> None:
    """A DBA (or a failover) kills the bot's PostgreSQL backends eight times during
    300 writes, request keys included: every command still succeeds, once."""
    if engine.dialect.name != "postgresql":
        return
    await migrate.upgrade(engine)
    app = Cruxbot(engine)
    await app.handle_line("/claim hub Everyone answers this.", MODERATOR)
    async with engine.connect() as connection:
        name = await connection.scalar(text("select current_setting('application_name')"))
    kills = 0

    async def killer(stop: asyncio.Event) -> None:
        nonlocal kills
        admin = create_engine(POSTGRES_URL)
        try:
            while kills < 8 and not stop.is_set():
                await asyncio.sleep(0.15)
                async with admin.connect() as connection:
                    killed = await connection.scalar(
                        text(
                            "select count(pg_terminate_backend(pid)) from pg_stat_activity "
                            "where application_name = :name and pid <> pg_backend_pid()"
                        ),
                        {"name": name},
                    )
                kills += 1 if killed else 0
        finally:
            await admin.dispose()

    stop = asyncio.Event()
    killing = asyncio.create_task(killer(stop))
    failures = []
    for n in range(300):
        caller = replace(MODERATOR, request_key=f"test:{n}")
        reply = await app.handle_line(f"/objection w-{n} Objection {n}. to:hub", caller)
        if reply.error:
            failures.append(reply.body)
        # The bookkeeping of requests that are not commands (a form opened) too.
        if not await app.first_delivery(f"form:{n}"):
            failures.append(f"form:{n} seen as a re-delivery")
        await asyncio.sleep(0)
    stop.set()
    await killing
    assert kills >= 4, "the killer did not get to the bot's connections"
    assert failures == []
    listed = await app.handle_line("/list objections", MEMBER)
    assert "(300 in all)" in listed.footer
