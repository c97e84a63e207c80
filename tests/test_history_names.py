"""History and undo name the statement each change was about."""

from __future__ import annotations

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, text_of


async def test_history_names_the_statement_of_every_change(app: Cruxbot) -> None:
    for line in (
        "/claim lag Alignment lags.",
        "/claim lag-2 Alignment lags too.",
        "/edit lag text Alignment may lag.",
        "/delete lag-2",
        "/status lag parked because later",
    ):
        reply = await app.handle_line(line, MEMBER)
        assert not reply.error, (line, reply.body)
    history = text_of(await app.handle_line("/history", MEMBER))
    assert "Ann: deleted `lag-2`" in history
    assert "Ann: edited text of `lag`" in history
    assert "Ann: status of `lag`: open → parked because later" in history
    assert "Ann: logged claim `lag-2`" in history


async def test_undo_says_what_it_undid_and_whose_change_it_was(app: Cruxbot) -> None:
    await app.handle_line("/claim lag Alignment lags.", MEMBER)
    await app.handle_line("/edit lag text Alignment may lag.", MEMBER)
    mine = await app.handle_line("/undo", MEMBER)
    assert mine.body == "Undid: edited text of `lag`."
    await app.handle_line("/delete lag", MEMBER)
    theirs = await app.handle_line("/undo lag", MODERATOR)
    assert theirs.body == "Undid: deleted `lag` (Ann's change)."
