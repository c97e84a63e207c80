"""A backup written by an earlier Cruxbot still restores, and exports back byte for byte."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.app import Cruxbot
from tests.conftest import MODERATOR, text_of

BACKUP = Path(__file__).parent / "data" / "backup" / "cruxbot-map.json"


async def test_the_host_restores_an_old_backup_and_exports_the_same_bytes(app: Cruxbot) -> None:
    host = replace(MODERATOR, workspace_id="restored", user_id="cli", is_operator=True)
    reply = await app.import_file(BACKUP.name, BACKUP.read_bytes(), host)
    assert not reply.error, reply.body
    assert "Imported 1 reading and 20 statements with 5 steelmen and 20 stances." in reply.body
    _, exported = await app.export_text("json", None, host)
    assert exported == BACKUP.read_text(encoding="utf-8")


async def test_a_moderator_elsewhere_imports_an_old_backup_and_undo_takes_it_back(
    app: Cruxbot,
) -> None:
    elsewhere = replace(MODERATOR, workspace_id="elsewhere", user_id="u-other", channel_id="c9")
    reply = await app.import_file(BACKUP.name, BACKUP.read_bytes(), elsewhere)
    assert not reply.error, reply.body
    assert "1 meeting still open was imported closed." in reply.body
    shown = text_of(await app.handle_line("/objection from-chat", elsewhere))
    assert "Interpretability tools will not scale." in shown
    undone = await app.handle_line("/undo", elsewhere)
    assert not undone.error, undone.body
    gone = await app.handle_line("/objection from-chat", elsewhere)
    assert gone.error and "no objection `from-chat`" in gone.body
