"""The two literal examples answer with the demo content, on both databases."""

from __future__ import annotations

from bot.app import Cruxbot
from tests.conftest import Say, text_of


async def test_objection_lag_shows_demo_objection(demo_app: Cruxbot, say: Say) -> None:
    reply = await say("/objection lag")
    assert not reply.error
    out = text_of(reply)
    assert "Objection `lag`" in out
    assert "mvp-researcher" in out
    assert "Status: open" in out
    assert "Steelmen: 2" in out


async def test_steelman_blank_slate_shows_endorsed_steelman(demo_app: Cruxbot, say: Say) -> None:
    reply = await say("/steelman blank-slate")
    assert not reply.error
    assert "endorsed by Jan Leike" in text_of(reply)
