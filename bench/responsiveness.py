"""Other workspaces' commands while a big import or a big map runs.

Three workspaces (the demo pack in each) look a statement up and log an
objection, one command after another, first with nothing else running (the
baseline, same run), then while another workspace imports a file of the
import limit's size, then while a 6,000-statement chain of replies is mapped
over and over. Each command's latency is what its member waits.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from sqlalchemy import func, insert, select, text

from bench.core import CALLER, Database
from bench.stats import Table, Timing, ms, verdict
from bot.app import Cruxbot
from bot.services.exports import MAX_IMPORT_BYTES
from bot.storage.models import Reading, SlugName, Statement, Workspace

MODERATOR = replace(CALLER, is_moderator=True)
GROUPS = [replace(MODERATOR, workspace_id=f"group-{i}", channel_id=f"c{i}") for i in range(3)]
TARGET_P99_MS = 100.0
CHAIN = 6_000


def chain_pack(size_bytes: int) -> bytes:
    """A reading pack of about `size_bytes`: one long chain of objections and replies."""
    lines = ["pack: 1", "reading:", "  slug: big-chain", "  title: A big pack", "statements:"]
    length = sum(len(line) + 1 for line in lines)
    for i in itertools.count():
        kind = "claim" if i == 0 else "objection" if i % 2 else "reply"
        item = [
            f"  - slug: p-{i}",
            f"    kind: {kind}",
            f"    text: Point {i} of the big pack answers the point before it, in a few words.",
            "    author: Ann",
            "    stances: [{member: Bob, position: agree}]",
            *([f"    target: p-{i - 1}"] if i else []),
        ]
        size = sum(len(line) + 1 for line in item)
        if length + size > size_bytes:
            break
        lines += item
        length += size
    return ("\n".join(lines) + "\n").encode()


async def chain_for_map(app: Cruxbot) -> None:
    """A workspace holding a reading with a chain of CHAIN statements (rows written directly)."""
    mapper = replace(MODERATOR, workspace_id="mapping")
    assert not (await app.handle_line("/list", mapper)).error
    async with app.engine.begin() as connection:
        workspace = await connection.scalar(
            select(Workspace.id).where(Workspace.external_id == "mapping")
        )
        reading = await connection.scalar(
            insert(Reading)
            .values(workspace_id=workspace, slug="chain", title="A long chain", created_by="b")
            .returning(Reading.id)
        )
        first = int(await connection.scalar(select(func.max(Statement.id))) or 0) + 1
        rows = [
            {
                "id": first + i,
                "workspace_id": workspace,
                "kind": "claim" if i == 0 else "objection" if i % 2 else "reply",
                "slug": f"m-{i}",
                "title": f"Point {i}",
                "text": f"Point {i} answers the point before it.",
                "author_id": "u-bench",
                "author_name": "Bench",
                "target_id": first + i - 1 if i else None,
                "reading_id": reading,
            }
            for i in range(CHAIN)
        ]
        await connection.execute(insert(Statement), rows)
        await connection.execute(
            insert(SlugName),
            [{"workspace_id": workspace, "slug": r["slug"], "statement_id": r["id"]} for r in rows],
        )
        if connection.dialect.name == "postgresql":  # ids were given: move the sequence on
            await connection.execute(
                text("SELECT setval(pg_get_serial_sequence('statements', 'id'), :last)"),
                {"last": first + CHAIN},
            )


async def _commands(app: Cruxbot, runs: int, tag: str) -> Timing:
    """`runs` commands from the three groups in turn: a lookup, then a new objection."""
    samples: list[float] = []
    for i in range(runs):
        group = GROUPS[i % len(GROUPS)]
        line = (
            "/objection lag"
            if i % 2 == 0
            else f"/objection {tag}-{i} A short objection numbered {i}. to:blank-slate"
        )
        started = time.perf_counter()
        reply = await app.handle_line(line, group)
        samples.append((time.perf_counter() - started) * 1000)
        assert not reply.error, reply.body
    return Timing(samples)


async def _while(
    app: Cruxbot, background: Callable[[], Awaitable[object]], runs: int, tag: str
) -> tuple[Timing, float]:
    """The commands' latencies while `background` runs (restarted if it ends first)."""
    done = asyncio.Event()
    rounds = 0
    elapsed: list[float] = []

    async def keep_busy() -> None:
        nonlocal rounds
        while not done.is_set():
            started = time.perf_counter()
            await background()
            elapsed.append(time.perf_counter() - started)
            rounds += 1

    task = asyncio.create_task(keep_busy())
    await asyncio.sleep(0.2)  # the background is under way
    timing = await _commands(app, runs, tag)
    done.set()
    await task
    return timing, elapsed[0] if elapsed else 0.0


async def responsiveness(db: Database, table: Table, runs: int) -> None:
    """Rows: other workspaces' p99 alone, during a big import, during a big map."""
    app = db.app
    for group in GROUPS:
        assert not (await app.handle_line("/import demo", group)).error
    await chain_for_map(app)
    pack = chain_pack(MAX_IMPORT_BYTES)
    importer = replace(MODERATOR, workspace_id="importing")
    imports = itertools.count()

    async def big_import() -> None:
        # Each round imports into a workspace of its own, so every round writes all rows.
        caller = replace(importer, workspace_id=f"importing-{next(imports)}")
        reply = await app.import_file("big.yaml", pack, caller)
        assert not reply.error, reply.body

    async def big_map() -> None:
        reply = await app.handle_line("/map m-3000", replace(MODERATOR, workspace_id="mapping"))
        assert not reply.error, reply.body

    await _commands(app, 20, "warm")
    alone = await _commands(app, runs, "alone")
    table.add(
        "other workspaces' commands, nothing else running",
        ms(alone),
        "-",
        "-",
        verdict(alone.p99 < TARGET_P99_MS, f"p99 < {TARGET_P99_MS:.0f} ms"),
    )
    megabytes = MAX_IMPORT_BYTES / (1024 * 1024)
    for what, background, tag in (
        (f"a {megabytes:.0f} MB pack (the import limit) being imported", big_import, "import"),
        (f"a {CHAIN:,}-statement chain being mapped (`/map`)", big_map, "map"),
    ):
        during, took = await _while(app, background, runs, tag)
        table.add(
            f"other workspaces' commands, {what}",
            ms(during),
            f"nothing else running: {ms(alone)}",
            f"p99 {during.p99 / alone.p99:.1f}x; one {tag} took {took:.1f} s",
            verdict(during.p99 < TARGET_P99_MS, f"p99 < {TARGET_P99_MS:.0f} ms"),
        )
