"""An imported Kialo link shows on Discord as written, its address in view.

Discord would make `[text](url)` a masked link reading as the bot's own; the
bot never masks a link it did not write (see test_masked_links.py), and an
imported file is not the bot's words. So `[Kialo](http://www.kialo.com)` shows
as written: the label, then the address, which Discord still links.
"""

from __future__ import annotations

from testing_support.discord.payloads import GUILD_MODERATOR
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import embed, only_callback
from tests.discord.test_masked_links import as_discord_shows, assert_no_masked_link
from tests.test_kialo_import import CONTENT, ILLEGAL


async def test_an_imported_link_shows_as_written_with_its_address(bot: DiscordBot) -> None:
    reply = await bot.core.import_file(ILLEGAL.name, CONTENT[ILLEGAL], GUILD_MODERATOR)
    assert not reply.error, reply.body
    shown = embed(
        only_callback(await bot.command("support", slug="free-marketplace-ideas-expressed"))["data"]
    )
    assert_no_masked_link(shown)
    assert "like [Kialo](http://www.kialo.com), will" in as_discord_shows(shown["description"])
