"""Core figures: lookups, logging, autocomplete and search, concurrency, memory, start-up."""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy import text

from bench.generate import Corpus, fill_postgres, fill_sqlite
from bench.stats import Table, interleaved, ms, ratio, timed, verdict
from bot.app import Cruxbot
from bot.commands.spec import Autocomplete
from bot.context import Caller
from bot.storage import migrate
from bot.storage.database import create_engine

CALLER = Caller(
    platform="console", workspace_id="bench", user_id="u-bench", user_name="Bench", channel_id="c"
)


@dataclass
class Database:
    """A migrated database holding a generated workspace, and raw access to it."""

    dialect: str
    url: str
    app: Cruxbot
    workspace_id: int
    slugs: list[str]
    schema: str = ""
    path: str = ""

    async def raw(self) -> Any:
        """A bare driver connection (aiosqlite or asyncpg), the baseline's path."""
        if self.dialect == "sqlite":
            connection = await aiosqlite.connect(self.path, isolation_level=None)
            # The durability Cruxbot itself runs with (see bot.storage.database).
            await connection.execute("PRAGMA synchronous=NORMAL")
            return connection
        return await asyncpg.connect(self.url, server_settings={"search_path": self.schema})

    def sql(self, query: str) -> str:
        """`?` placeholders as the driver wants them."""
        if self.dialect == "sqlite":
            return query
        parts = query.split("?")
        return "".join(p + (f"${i + 1}" if i < len(parts) - 1 else "") for i, p in enumerate(parts))


async def fetch(db: Database, connection: Any, query: str, *args: Any) -> list[Any]:
    if db.dialect == "sqlite":
        async with connection.execute(query, args) as cursor:
            return list(await cursor.fetchall())
    return list(await connection.fetch(db.sql(query), *args))


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


@asynccontextmanager
async def database(
    dialect: str, size: int, workdir: Path, postgres_url: str
) -> AsyncIterator[Database]:
    """A fresh database of `size` statements; removed afterwards."""
    schema = f"cruxbench_{uuid.uuid4().hex[:8]}"
    path = str(workdir / f"bench-{size}.db")
    if dialect == "sqlite":
        _remove(path)
        engine = create_engine(f"sqlite:///{path}")
    else:
        admin = await asyncpg.connect(postgres_url)
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        await admin.close()
        engine = create_engine(
            postgres_url, connect_args={"server_settings": {"search_path": schema}}
        )
    try:
        await migrate.upgrade(engine)
        app = Cruxbot(engine)
        first = await app.handle_line("/claim bench-root The root claim of the bench.", CALLER)
        assert not first.error, first.body
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text("SELECT workspace_id, created_at FROM statements WHERE slug='bench-root'")
                )
            ).one()
        workspace_id, created = row
        started = time.perf_counter()
        if dialect == "sqlite":
            raw_created = (
                sqlite3.connect(path)
                .execute("SELECT created_at FROM statements WHERE slug='bench-root'")
                .fetchone()[0]
            )
            slugs = await asyncio.to_thread(fill_sqlite, path, workspace_id, size, raw_created)
        else:
            slugs = await fill_postgres(postgres_url, schema, workspace_id, size, created)
        print(
            f"  generated {size:,} statements in {time.perf_counter() - started:.0f} s", flush=True
        )
        yield Database(dialect, postgres_url, app, workspace_id, slugs, schema, path)
    finally:
        await engine.dispose()
        if dialect == "sqlite":
            _remove(path)
        else:
            admin = await asyncpg.connect(postgres_url)
            await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            await admin.close()


async def lookups(db: Database, table: Table, runs: int, size: int) -> None:
    """`/objection <slug>` through the core against the same lookup as one raw query."""
    rng = random.Random(3)
    picks = [rng.choice(db.slugs) for _ in range(runs + 10)]
    raw = await db.raw()
    query = (
        "SELECT s.* FROM statements s JOIN slug_names n ON n.statement_id = s.id "
        "WHERE n.workspace_id = ? AND n.slug = ?"
    )

    async def ours(i: int) -> None:
        reply = await db.app.handle_line(f"/objection {picks[i]}", CALLER)
        assert not reply.error, reply.body

    async def floor(i: int) -> None:
        assert await fetch(db, raw, query, db.workspace_id, picks[i])

    mine, base = await interleaved(ours, floor, runs)
    await raw.close()
    verdicts = [verdict(mine.p50 <= 3 * base.p50 and mine.p99 <= 3 * base.p99, "within 3x")]
    if db.dialect == "sqlite" and size >= 1_000_000:
        verdicts.append(verdict(mine.p99 < 5, "p99 < 5 ms"))
    table.add("`/objection <slug>` through the core", ms(mine), ms(base), ratio(mine, base),
              "; ".join(verdicts))  # fmt: skip


async def logging(db: Database, table: Table, runs: int) -> None:
    """Logging an objection (revision, nickname, search index) against one raw INSERT."""
    corpus = Corpus(seed=11)
    claims = db.slugs[:200]
    raw = await db.raw()
    columns = (
        "workspace_id, kind, slug, title, text, quote, source_url, source_page, author_id, "
        "author_name, status, origin_url, created_at, updated_at"
    )
    insert = db.sql(
        f"INSERT INTO statements ({columns}) VALUES (?, 'objection', ?, ?, ?, '', '', '', 'u', "
        "'U', 'open', '', ?, ?)"
    )
    now = "2025-01-01 00:00:00.000000" if db.dialect == "sqlite" else None
    tag = uuid.uuid4().hex[:6]

    async def ours(i: int) -> None:
        words = " ".join(corpus.sample(25))
        line = f"/objection log-{tag}-{i + 10} {words} to:{claims[i % len(claims)]}"
        member = replace(CALLER, user_id=f"u-log-{i + 10}")  # a member, under the write limit
        reply = await db.app.handle_line(line, member)
        assert not reply.error, reply.body

    async def floor(i: int) -> None:
        words = " ".join(corpus.sample(25))
        slug = f"raw-{tag}-{i + 10}"
        if db.dialect == "sqlite":
            await raw.execute("BEGIN")
            await raw.execute(insert, (db.workspace_id, slug, words[:100], words, now, now))
            await raw.commit()
        else:
            from datetime import UTC, datetime

            stamp = datetime.now(UTC)
            await raw.execute(insert, db.workspace_id, slug, words[:100], words, stamp, stamp)

    mine, base = await interleaved(ours, floor, runs)
    await raw.close()
    ok = mine.p50 <= 3 * base.p50
    table.add("logging an objection", ms(mine), ms(base), ratio(mine, base),
              verdict(ok, "within 3x"))  # fmt: skip


async def finding(db: Database, table: Table, runs: int, like_runs: int, size: int) -> None:
    """Autocomplete (3-letter prefix) and a two-word search, against LIKE '%…%' scans.

    The baselines are what Cruxbot did before full-text search: autocomplete
    ranked shortest nickname first over a LIKE scan of nicknames and titles;
    search counted and paged a LIKE scan of nickname, title, text and steelmen.
    """
    rng = random.Random(5)
    prefixes = [rng.choice(db.slugs)[:3] for _ in range(max(runs, like_runs) + 10)]
    band = Corpus().band(50, 500)
    pairs = [rng.sample(band, 2) for _ in range(max(runs, like_runs) + 10)]
    raw = await db.raw()
    like_complete = (
        "SELECT n.slug, s.title FROM slug_names n JOIN statements s ON s.id = n.statement_id "
        "WHERE n.workspace_id = ? AND s.deleted_at IS NULL "
        "AND (n.slug LIKE ? OR lower(s.title) LIKE ?) ORDER BY length(n.slug), n.slug LIMIT 25"
    )

    async def complete(i: int) -> None:
        await db.app.autocomplete(Autocomplete.STATEMENTS, prefixes[i], CALLER)

    async def like_prefix(i: int) -> None:
        pattern = f"%{prefixes[i]}%"
        await fetch(db, raw, like_complete, db.workspace_id, pattern, pattern)

    def like_search_sql(words: list[str]) -> tuple[str, list[Any]]:
        where = ["s.workspace_id = ?", "s.deleted_at IS NULL"]
        args: list[Any] = [db.workspace_id]
        for word in words:
            where.append(
                "(lower(s.slug) LIKE ? OR lower(s.title) LIKE ? OR lower(s.text) LIKE ? OR "
                "EXISTS (SELECT 1 FROM steelmen m WHERE m.statement_id = s.id AND "
                "m.deleted_at IS NULL AND lower(m.text) LIKE ?))"
            )
            args += [f"%{word}%"] * 4
        return " AND ".join(where), args

    async def search(i: int) -> None:
        reply = await db.app.handle_line(f"/search {' '.join(pairs[i])}", CALLER)
        assert not reply.error, reply.body

    async def like_search(i: int) -> None:
        where, args = like_search_sql(pairs[i])
        await fetch(db, raw, f"SELECT count(*) FROM statements s WHERE {where}", *args)
        await fetch(db, raw, f"SELECT s.* FROM statements s WHERE {where} "
                    "ORDER BY s.id DESC LIMIT 10", *args)  # fmt: skip

    for what, ours, floor in (
        ("autocomplete, 3-letter prefix", complete, like_prefix),
        ("`/search` two words", search, like_search),
    ):
        mine = await timed(ours, runs)
        base = await timed(floor, like_runs, warmup=1)
        ok = size < 1_000_000 or mine.p99 < 20
        speedup = f"{base.p50 / mine.p50:.0f}x faster (p50)"
        target = "p99 < 20 ms at 1M" if size >= 1_000_000 else "report the speed-up"
        table.add(what, ms(mine), "LIKE scan " + ms(base), speedup, verdict(ok, target))
    await raw.close()


async def concurrency(db: Database, table: Table, channels: int = 50, each: int = 20) -> None:
    """Many channels logging at once: nothing lost, no error; throughput."""
    tag = uuid.uuid4().hex[:6]
    errors: list[str] = []
    corpus = Corpus(seed=13)

    async def channel(number: int) -> None:
        caller = replace(CALLER, channel_id=f"ch{number}", user_id=f"u{number}")
        for item in range(each):
            words = " ".join(corpus.sample(20))
            line = f"/objection c{tag}-{number}-{item} {words} to:bench-root"
            reply = await db.app.handle_line(line, caller)
            if reply.error:
                errors.append(reply.body)

    started = time.perf_counter()
    await asyncio.gather(*(channel(n) for n in range(channels)))
    elapsed = time.perf_counter() - started
    async with db.app.engine.connect() as connection:
        stored = await connection.scalar(
            text("SELECT count(*) FROM statements WHERE slug LIKE :p"), {"p": f"c{tag}-%"}
        )
    expected = channels * each
    ok = stored == expected and not errors
    table.add(
        f"{channels} channels x {each} objections at once",
        f"{stored}/{expected} stored, {len(errors)} errors",
        "-",
        f"{expected / elapsed:.0f} objections/s",
        verdict(ok, "none lost, no error"),
    )


def memory(db: Database, table: Table, size: int) -> None:
    """Resident memory of a fresh process: idle, then after a search and an autocomplete."""
    args = [
        sys.executable,
        "-m",
        "bench.memory",
        db.dialect,
        db.path if db.dialect == "sqlite" else db.url,
        db.schema,
    ]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout.split()
    idle, after = float(out[0]), float(out[1])
    ok = after < 150
    table.add(f"memory (RSS) at {size:,}", f"idle {idle:.0f} MB, after search {after:.0f} MB",
              "-", "-", verdict(ok, "under 150 MB"))  # fmt: skip


def startup(db: Database, table: Table, runs: int = 5) -> None:
    """`cruxbot console` start-up to ready on a migrated database, against importing SQLAlchemy."""
    url = f"sqlite:///{db.path}" if db.dialect == "sqlite" else ""
    if not url:
        return
    cruxbot = [sys.executable, "-m", "cruxbot", "console", "--db", url]
    floor = [sys.executable, "-c", "import sqlalchemy"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}

    def wall(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, input="", capture_output=True, check=True, env=env)
        return (time.perf_counter() - started) * 1000

    wall(cruxbot)
    wall(floor)
    ours = sorted(wall(cruxbot) for _ in range(runs))[runs // 2]
    base = sorted(wall(floor) for _ in range(runs))[runs // 2]
    table.add("start-up to ready (console, migrated SQLite)", f"{ours:.0f} ms",
              f"`import sqlalchemy` {base:.0f} ms", f"{ours / base:.1f}x",
              verdict(ours < 1500, "under 1.5 s"))  # fmt: skip
