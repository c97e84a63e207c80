"""Resident memory of a fresh Cruxbot process, idle and after a search (run by bench.core)."""

from __future__ import annotations

import asyncio
import sys

from bench.core import CALLER
from bench.generate import Corpus
from bot.app import Cruxbot
from bot.commands.spec import Autocomplete
from bot.storage.database import create_engine


def rss_mb() -> float:
    """This process's resident set size (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main(dialect: str, where: str, schema: str) -> None:
    if dialect == "sqlite":
        engine = create_engine(f"sqlite:///{where}")
    else:
        engine = create_engine(where, connect_args={"server_settings": {"search_path": schema}})
    app = Cruxbot(engine)
    await app.handle_line("/objection bench-root", CALLER)  # connected, ready
    idle = rss_mb()
    common = Corpus().words[:2]  # the two commonest words: the biggest result set
    await app.handle_line(f"/search {' '.join(common)}", CALLER)
    await app.handle_line("/list objections", CALLER)
    await app.autocomplete(Autocomplete.STATEMENTS, "kal", CALLER)
    await app.handle_line("/objection no-such-slug", CALLER)
    print(f"{idle:.1f} {rss_mb():.1f}")
    await app.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
