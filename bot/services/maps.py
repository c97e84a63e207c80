"""/map: a reading's (or one statement's) argument map as a PNG from Graphviz."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from typing import Any

from bot.errors import UserError
from bot.render.argument_map import to_dot, to_text_tree
from bot.render.reply import Attachment, Reply
from bot.storage.snapshot import load_snapshot
from bot.storage.unit_of_work import UnitOfWork

DOT_TIMEOUT_SECONDS = 20
MAX_NODES = 300
INSTALL_HINT = (
    "Install Graphviz for a picture (Debian/Ubuntu: apt-get install graphviz; "
    "macOS: brew install graphviz); here is the map as text."
)


async def render_png(dot_source: str) -> bytes | None:
    """Run Graphviz's `dot`; None when it is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    process = await asyncio.create_subprocess_exec(
        dot,
        "-Tpng",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        png, errors = await asyncio.wait_for(
            process.communicate(dot_source.encode()), DOT_TIMEOUT_SECONDS
        )
    except TimeoutError:
        process.kill()
        raise UserError(
            "The map is too large to draw in time; try one statement: /map <slug>."
        ) from None
    if process.returncode != 0:
        raise RuntimeError(f"dot failed: {errors.decode(errors='replace')[:500]}")
    return png


def _subtree(statements: list[dict[str, Any]], root: str) -> list[dict[str, Any]]:
    """The statement, what it answers (up to its claim), and everything answering it."""
    by_slug = {s["slug"]: s for s in statements}
    below = {root}
    grew = True
    while grew:
        grew = False
        for statement in statements:
            if statement["target"] in below and statement["slug"] not in below:
                below.add(statement["slug"])
                grew = True
    above: set[str] = set()
    current = by_slug[root]
    while current["target"] in by_slug and current["target"] not in below | above:
        above.add(current["target"])
        current = by_slug[current["target"]]
    return [s for s in statements if s["slug"] in below | above]


async def argument_map(uow: UnitOfWork, slug: str | None) -> Reply:
    """The map of a reading, of one statement's neighbourhood, or of the channel's reading."""
    reading_slug = None
    statement_slug = None
    if slug is not None:
        if await uow.repos.reading_by_slug(slug) is not None:
            reading_slug = slug
        else:
            found = await uow.repos.statement_by_slug(slug)
            if found is None or found.deleted_at is not None:
                raise UserError(
                    f"There is no reading or statement `{slug}`.",
                    hint="/reading lists readings; /list shows statements.",
                )
            statement_slug = found.slug
    elif uow.caller.channel_id:
        channel = await uow.repos.channel(uow.caller.channel_id)
        current = await uow.repos.reading_by_id(channel.current_reading_id)
        reading_slug = current.slug if current else None
    snapshot = await load_snapshot(uow.session, uow.workspace_id, reading_slug)
    statements = snapshot.live_statements()
    if statement_slug is not None:
        statements = _subtree(statements, statement_slug)
    if not statements:
        raise UserError("There is nothing to map yet.", hint="Log a claim first: /claim …")
    statements = statements[:MAX_NODES]
    counts = Counter(s["statement"] for s in snapshot.steelmen if s["deleted_at"] is None)
    name = statement_slug or reading_slug or "map"
    title = f"Argument map: {name}"
    png = await render_png(to_dot(statements, counts, title))
    if png is None:
        return Reply(title=title, body=to_text_tree(statements, counts), footer=INSTALL_HINT)
    return Reply(
        title=title,
        body=f"{len(statements)} statements; colours show status, arrows what answers what.",
        attachment=Attachment(f"cruxbot-{name}.png", png, "the argument map"),
    )
