"""/import with an attached file on Discord: who may, what it reads, all or nothing.

The attachment is served by the REST fake as Discord's CDN would serve it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.discord import cli
from adapters.settings import Settings
from testing_support.discord.fakes import Recorded
from testing_support.discord.payloads import APP_ID, GUILD_ID, interaction_payload, snowflake
from tests.conftest import MODERATOR, text_of
from tests.discord.accepted import MO, KeepingDiscordApi
from tests.discord.conftest import ANN, DiscordBot, serving
from tests.discord.helpers import EPHEMERAL, core_view, embed, embed_text, only_callback


@pytest.fixture
async def discord_api() -> AsyncIterator[KeepingDiscordApi]:
    """Replaces conftest's fake for this module, with discord.py pointed at it."""
    async with serving(KeepingDiscordApi()) as fake:
        yield fake


async def attach(
    bot: DiscordBot, name: str, content: bytes, who: dict[str, Any], **options: str
) -> list[Recorded]:
    """Run `/import file:<name>` with `content` as the attachment (plus `options`)."""
    api = bot.api
    assert isinstance(api, KeepingDiscordApi)
    attachment_id = str(snowflake())
    path = f"/attachments/{attachment_id}/{name}"
    api.attachments[path] = content
    url = f"http://127.0.0.1:{api.port}{path}"
    data = {
        "id": str(APP_ID + 7),
        "name": "import",
        "type": 1,
        "options": [
            *({"name": k, "type": 3, "value": v} for k, v in options.items()),
            {"name": "file", "type": 11, "value": attachment_id},
        ],
        "resolved": {
            "attachments": {
                attachment_id: {
                    "id": attachment_id,
                    "filename": name,
                    "size": len(content),
                    "url": url,
                    "proxy_url": url,
                    "content_type": "text/plain",
                }
            }
        },
    }
    return await bot._tree(interaction_payload(2, data, who=who))


KIALO = (
    "Discussion Title: Open models\n\n"
    "1. Open models help safety research.\n"
    "1.1. Con: They also help misuse.\n"
    "1.1.1. Pro: Misuse is already possible.\n"
)


async def test_a_moderator_imports_an_attached_export_or_kialo_file(bot: DiscordBot) -> None:
    assert not (await bot.core.handle_line("/import demo", MODERATOR)).error
    name, backup = await bot.core.export_text("json", None, MODERATOR)
    sent = await attach(bot, name, backup.encode(), MO)
    assert any(r.path.startswith("/attachments/") for r in sent)  # downloaded
    answer = only_callback(sent)["data"]
    assert not answer.get("flags", 0) & EPHEMERAL, embed_text(embed(answer))
    assert "Imported" in embed_text(embed(answer))
    shown = await core_view(bot.core, "/objection lag")
    assert not shown.error and "Priya" in text_of(shown)
    kialo = only_callback(await attach(bot, "open.txt", KIALO.encode(), MO))["data"]
    assert "3 statements" in embed_text(embed(kialo))
    assert not (await core_view(bot.core, "/objection also-help-misuse")).error


async def test_importing_a_file_is_for_moderators_and_all_or_nothing(bot: DiscordBot) -> None:
    refused = await attach(bot, "open.txt", KIALO.encode(), ANN)
    assert not any(r.path.startswith("/attachments/") for r in refused)  # not even fetched
    data = only_callback(refused)["data"]
    assert data["flags"] & EPHEMERAL and "Only a moderator" in embed(data)["description"]
    broken = KIALO + "1.2. Con: a bell\x07 rings\n"
    data = only_callback(await attach(bot, "broken.txt", broken.encode(), MO))["data"]
    assert data["flags"] & EPHEMERAL and "Line 6" in embed_text(embed(data))
    both = only_callback(await attach(bot, "open.txt", KIALO.encode(), MO, pack="demo"))["data"]
    assert both["flags"] & EPHEMERAL and "not both" in embed(both)["description"]
    nothing = await core_view(bot.core, "/list")
    assert "open-models-help-safety" not in text_of(nothing) and "`lag`" not in text_of(nothing)
    neither = only_callback(await bot.command("import", who=MO))["data"]
    assert neither["flags"] & EPHEMERAL


async def test_import_is_registered_with_an_optional_pack_and_a_file(
    discord_api: KeepingDiscordApi,
) -> None:
    settings_ = Settings(
        database_url="sqlite://", discord_token="t", discord_api_base_url=discord_api.base_url
    )
    assert await cli.sync(settings_, GUILD_ID) == 0
    (put,) = discord_api.find("PUT", "/commands")
    imported = next(c for c in put.body if c["name"] == "import")
    options = {o["name"]: o for o in imported["options"]}
    assert options["pack"]["required"] is False
    assert [c["value"] for c in options["pack"]["choices"]] == ["demo"]
    assert options["file"]["type"] == 11 and options["file"]["required"] is False
    assert "Kialo" in options["file"]["description"]
