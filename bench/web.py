"""The web view's pages at size: a reading of 5,000 statements, over HTTP.

Each figure is a whole GET through the served stack (aiohttp, the page's
queries, the template) from a client on the same machine, against GET
/healthz in the same run (the HTTP floor: a request with one trivial query).
A reading's page is reused while its workspace does not change (one version
query decides), and its map's drawing is made once per version (in the
warm-up here). The second figure clears the reused pages before each
request: the page as the first member to open it after a change gets it
(the previous drawing is shown while Graphviz makes the new one).
"""

from __future__ import annotations

import aiohttp
from sqlalchemy import text

from adapters.httplimits import HttpLimits
from adapters.settings import Settings
from bench.core import CALLER, Database
from bench.stats import Table, interleaved, ms, ratio, verdict
from cruxbot.serve import Lifecycle, build_web_app, settle_memory

#: The page must render within this, at p99, for a reading of 5,000 statements.
TARGET_MS = 300.0
#: Statements in the reading measured.
SIZE = 5_000
READING = "bench-reading"


async def _into_one_reading(db: Database) -> None:
    """Put every generated statement into one reading, as a big group's would be."""
    reply = await db.app.handle_line(f"/reading {READING} The bench reading", CALLER)
    assert not reply.error, reply.body
    async with db.app.engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE statements SET reading_id = "
                "(SELECT id FROM readings WHERE slug = :slug AND workspace_id = :ws) "
                "WHERE workspace_id = :ws"
            ),
            {"slug": READING, "ws": db.workspace_id},
        )


async def pages(db: Database, table: Table, runs: int) -> None:
    """p50/p99 of the reading page and of a statement page, against /healthz."""
    await _into_one_reading(db)
    db.app.web.base_url = "http://bench.invalid"
    link = await db.app.handle_line("/web", CALLER)
    assert link.link is not None, link.body
    root = link.link.url.removeprefix("http://bench.invalid")
    settings = Settings(database_url="sqlite://")
    web_app, _ = build_web_app([], db.app, settings, Lifecycle())
    runner = HttpLimits.of(settings).runner(web_app, shutdown_timeout=1.0)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    settle_memory()  # as `cruxbot serve` does once started
    try:
        async with aiohttp.ClientSession() as http:

            async def get(path: str) -> None:
                async with http.get(base + path) as response:
                    assert response.status == 200, (path, response.status)
                    await response.read()

            async def healthz(_: int) -> None:
                await get("/healthz")

            reading = f"{root}r/{READING}"
            for name, path, fresh in (
                (f"reading page, {len(db.slugs):,} statements", reading, False),
                ("the same, first view after a change (nothing reused)", reading, True),
                ("statement page", f"{root}s/{db.slugs[len(db.slugs) // 2]}", False),
            ):

                async def page(_: int, path: str = path, fresh: bool = fresh) -> None:
                    if fresh:  # as if the workspace had changed: the page is read anew
                        db.app.pages.readings.clear()
                    await get(path)

                ours, floor = await interleaved(page, healthz, runs, warmup=5)
                ok = ours.p99 < TARGET_MS
                table.add(
                    f"web: {name}", ms(ours), ms(floor), ratio(ours, floor),
                    verdict(ok, f"p99 < {TARGET_MS:.0f} ms"),
                )  # fmt: skip
    finally:
        await runner.cleanup()
