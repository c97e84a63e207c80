"""Writes `cruxbot-map.json`: a JSON backup of a workspace that uses every section.

Run once (`python -m tests.data.backup.make_backup`) to make the file; the file
is committed and never regenerated, so `tests/test_old_backups.py` keeps
checking that a backup written by an earlier Cruxbot still restores.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bot.app import Cruxbot
from bot.context import QuotedMessage
from bot.storage import migrate
from bot.storage.database import create_engine
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER

OUT = Path(__file__).with_name("cruxbot-map.json")

SCRIPT = [
    ("/import demo", MODERATOR),
    ("/meeting start alignment-optimism", MODERATOR),
    ("/objection gone Deleted later. to:lag", MEMBER),
    ("/delete gone", MEMBER),
    ("/objection lag-2 Tools lag behind capabilities again. to:mvp-researcher", MEMBER),
    ("/merge lag-2 lag", MODERATOR),
    ("/rename lag capability-lag", MODERATOR),
    ("/crux capability-lag rigorous-evals Evaluation keeps pace.", OTHER_MEMBER),
    ("/agree capability-lag 70", MEMBER),
    ("/steelman capability-lag Even fast tools trail the frontier.", OTHER_MEMBER),
    ("/status endgame duplicate capability-lag", MODERATOR),
    ("/action Write up the evals argument", MODERATOR),
    ("/decision Next week we read the rebuttal", MODERATOR),
    ("/meeting end", MODERATOR),
    ("/action done 1", MODERATOR),
    ("/meeting start alignment-optimism", MODERATOR),
]


async def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        engine = create_engine(f"sqlite:///{directory}/backup.db")
        await migrate.upgrade(engine)
        app = Cruxbot(engine)
        for line, caller in SCRIPT:
            reply = await app.handle_line(line, caller)
            assert not reply.error, (line, reply.body)
        quoted = QuotedMessage(
            text="Interpretability tools will not scale.", author_id="u-ann", author_name="Ann"
        )
        bob = replace(OTHER_MEMBER, origin_url="https://chat.example/m/1", quoted=quoted)
        reply = await app.run(
            "objection", {"slug": "from-chat", "to": "capability-lag", "text": quoted.text}, bob
        )
        assert not reply.error, reply.body
        _, text = await app.export_text("json", None, MODERATOR)
        await engine.dispose()
    OUT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")


if __name__ == "__main__":
    asyncio.run(main())
