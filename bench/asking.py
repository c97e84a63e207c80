"""`/ask` against `/search` on the same words, interleaved in the same run.

A question names two words of mid frequency (ranks 50 to 500 of the
vocabulary, as the `/search` row of bench.core) in a sentence a member would
type, or names a statement by its nickname; `/search` is given the same two
words. `/ask` does more (any word matches and is ranked, nicknames are
looked up, near nicknames compared), so the figure that counts is the ratio
and the p99 at a million statements.
"""

from __future__ import annotations

import gc
import random

from bench.core import CALLER, Database
from bench.generate import Corpus
from bench.stats import Table, interleaved, ms, ratio, verdict

#: What /ask must stay under at a million statements (p99, lexical, each database).
TARGET_MS = 30.0


async def asking(db: Database, table: Table, runs: int, size: int) -> None:
    """Time `/ask` questions and `/search` on their words, alternately."""
    rng = random.Random(7)
    band = Corpus().band(50, 500)
    pairs = [rng.sample(band, 2) for _ in range(runs + 10)]
    slugs = [rng.choice(db.slugs) for _ in range(runs + 10)]

    def question(i: int) -> str:
        first, second = pairs[i]
        if i % 2:  # every other question names a statement by its nickname
            return f"what was the {slugs[i]} objection about {first} again?"
        return f"what did we say about {first} and {second}?"

    async def ask(i: int) -> None:
        reply = await db.app.handle_line(f"/ask {question(i)}", CALLER)
        assert not reply.error, reply.body

    async def search(i: int) -> None:
        reply = await db.app.handle_line(f"/search {' '.join(pairs[i])}", CALLER)
        assert not reply.error, reply.body

    # As `cruxbot serve` does once started (cruxbot/serve.py, settle_memory): what
    # start-up built, here a million generated nicknames too, is left out of the
    # collector's full passes, which otherwise land in the middle of a command.
    gc.collect()
    gc.freeze()
    mine, base = await interleaved(ask, search, runs)
    big = size >= 1_000_000
    target = f"p99 < {TARGET_MS:.0f} ms at 1M" if big else "report the ratio"
    table.add(
        "`/ask` a question (two words, or a nickname)",
        ms(mine),
        "`/search` the words " + ms(base),
        ratio(mine, base),
        verdict(not big or mine.p99 < TARGET_MS, target),
    )
