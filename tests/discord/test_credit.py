"""`by:` on Discord: a user option, whose chosen member gets the credit by name."""

from __future__ import annotations

from testing_support.discord.payloads import BOB_ID, member
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import embed, field, only_callback


async def test_a_user_option_credits_the_chosen_member(demo_bot: DiscordBot) -> None:
    callback = only_callback(
        await demo_bot.command(
            "objection",
            slug="evals-gap",
            text="Interpretability may not scale.",
            to="mvp-researcher",
            by=member(BOB_ID, "Bob"),
        )
    )
    assert field(embed(callback["data"]), "Author") == "Bob"
    history = only_callback(await demo_bot.command("history", slug="evals-gap"))
    assert "Ann: logged objection `evals-gap` for Bob" in embed(history["data"])["description"]
