"""What the history says about an import: every row, in the words each kind of file has used."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.app import Cruxbot
from tests.conftest import MODERATOR, text_of

BACKUP = Path(__file__).parent / "data" / "backup" / "cruxbot-map.json"


async def test_a_packs_history_names_each_nickname_steelman_and_stance(demo_app: Cruxbot) -> None:
    history = text_of(await demo_app.handle_line("/history lag", MODERATOR))
    for line in (
        "Mo: imported objection `lag`",
        "Mo: nickname `lag`",
        "Mo: nickname alignment-lag of `lag`",
        "Mo: imported steelman of `lag` by Priya",
        "Mo: imported steelman of `lag` by Ada",
        "Mo: imported stance of Priya: agree on `lag`",
        "Mo: imported stance of Tomás: disagree on `lag`",
    ):
        assert line in history, line


async def test_a_backups_history_names_each_row_it_wrote(app: Cruxbot) -> None:
    host = replace(MODERATOR, workspace_id="restored", user_id="cli", is_operator=True)
    reply = await app.import_file(BACKUP.name, BACKUP.read_bytes(), host)
    assert not reply.error, reply.body
    about = text_of(await app.handle_line("/history capability-lag", host))
    for line in (
        "Mo: imported nickname lag-2 of `capability-lag`",
        "Mo: imported steelman of `capability-lag`",
        "Mo: imported stance on `capability-lag`",
        "Mo: imported crux on `capability-lag`",
    ):
        assert line in about, line
    recent = text_of(await app.handle_line("/history", host))
    assert "Mo: imported decision #2" in recent
    assert "Mo: imported action #1" in recent
