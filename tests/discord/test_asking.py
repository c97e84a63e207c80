"""Asking by mentioning the bot on Discord: the question set of tests/data/questions/mentions."""

from __future__ import annotations

from tests.discord.conftest import DiscordBot
from tests.discord.helpers import embed
from tests.questions import listed, load


async def test_mentioned_questions_are_answered_in_the_first_three(demo_bot: DiscordBot) -> None:
    for question in load("mentions"):
        sent = await demo_bot.mention(question.ask)
        post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
        shown = embed(post.body)
        assert shown["title"] == f"Closest to: {question.ask}"
        first_three = listed(shown["description"])[:3]
        assert question.answers & set(first_three), (question.ask, first_three)
        buttons = [c["label"] for row in post.body["components"] for c in row["components"]]
        assert buttons[: len(first_three)] == [f"Open {slug}" for slug in first_three]
