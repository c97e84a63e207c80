"""The wording check itself: it catches the mistakes, and it sees every reply."""

from __future__ import annotations

import pytest

from bot.app import Cruxbot
from bot.render.reply import Reply
from tests.conftest import MEMBER
from tests.wording import mistakes


@pytest.mark.parametrize(
    "text",
    [
        "Added 1 steelmen.",
        "2 reading",
        "This is a objection.",
        "Log an stance",
        "Page 1 of 1 (0 in all)",
        "0 meeting",
    ],
)
def test_wording_mistakes_are_found(text: str) -> None:
    assert mistakes(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "1 steelman",
        "2 steelmen",
        "an objection",
        "a steelman",
        "steelman #2",
        "#1 Ann: 3 claims",
        "2 member ids",
    ],
)
def test_right_wording_passes(text: str) -> None:
    assert mistakes(text) == []


async def test_every_reply_of_a_test_is_seen(app: Cruxbot, wording: list[Reply]) -> None:
    await app.handle_line("/claim c1 A claim.", MEMBER)
    await app.handle_line("/help", MEMBER)
    assert len(wording) == 2
