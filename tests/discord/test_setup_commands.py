"""`cruxbot discord sync` and `invite-url`: what a newcomer runs to set the bot up."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from adapters.discord import cli
from adapters.discord.schema import ATTACHMENT_OPTIONS, is_required, slash_command
from adapters.settings import Settings
from bot.commands.spec import COMMANDS, Autocomplete, CommandSpec, OptionKind, OptionSpec
from testing_support.discord.fakes import FakeDiscordApi
from testing_support.discord.payloads import APP_ID, FOREIGN_GUILD_ID, GUILD_ID, REFUSED_TOKEN

STRING, INTEGER = 3, 4
SLASH, MESSAGE_MENU = 1, 3
GUILD_CONTEXT = [0]


def _settings(api: FakeDiscordApi, token: str = "fake-token") -> Settings:
    return Settings(
        database_url="sqlite://", discord_token=token, discord_api_base_url=api.base_url
    )


USER = 6


async def test_guild_sync_registers_every_command_of_the_spec(
    discord_api: FakeDiscordApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await cli.sync(_settings(discord_api), GUILD_ID) == 0
    (put,) = discord_api.find("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    registered: dict[str, dict[str, Any]] = {c["name"]: c for c in put.body}
    slash = {name: c for name, c in registered.items() if c["type"] == SLASH}
    assert list(slash) == [spec.name for spec in COMMANDS]
    for spec in COMMANDS:
        command = slash[spec.name]
        assert command["description"] == spec.summary
        assert command["contexts"] == GUILD_CONTEXT
        options = command["options"]
        assert [o["required"] for o in options] == sorted(
            (o["required"] for o in options), reverse=True
        ), f"/{spec.name}: required options must come first"
        extra = {ATTACHMENT_OPTIONS[spec.name][0]} if spec.name in ATTACHMENT_OPTIONS else set()
        assert {o["name"] for o in options} == {o.name for o in spec.options} | extra
        by_name = {o["name"]: o for o in options}
        for option in spec.options:
            sent = by_name[option.name]
            assert sent["required"] is is_required(spec, option)
            assert sent["description"] == option.description
            if option.kind is OptionKind.INTEGER:
                assert sent["type"] == INTEGER
                assert (sent["min_value"], sent["max_value"]) == (option.minimum, option.maximum)
            elif option.kind is OptionKind.CREDIT:
                assert sent["type"] == USER  # Discord's member picker
            else:
                assert sent["type"] == STRING
            if option.kind is OptionKind.WORD and option.choices:
                assert [c["value"] for c in sent["choices"]] == list(option.choices)
                assert not sent.get("autocomplete")
            else:
                wanted = option.autocomplete is not Autocomplete.NONE
                assert bool(sent.get("autocomplete")) is wanted
        # spec order is kept within the required and the optional options
        required = [o.name for o in spec.options if is_required(spec, o)]
        assert [o["name"] for o in options][: len(required)] == required
    menus = {name for name, c in registered.items() if c["type"] == MESSAGE_MENU}
    assert menus == {"Log as objection", "Log as claim"}
    out = capsys.readouterr().out
    assert f"Registered {len(COMMANDS)} slash commands in server {GUILD_ID}" in out
    assert "/objection <slug> [text…] [to:slug]" in out
    assert "Log as objection" in out


async def test_objection_lag_is_typed_with_the_nickname_first(
    discord_api: FakeDiscordApi,
) -> None:
    await cli.sync(_settings(discord_api), GUILD_ID)
    (put,) = discord_api.find("PUT", "/commands")
    objection = next(c for c in put.body if c["name"] == "objection")
    assert objection["options"][0]["name"] == "slug"
    assert objection["options"][0]["required"] is True
    assert objection["options"][0]["autocomplete"] is True


async def test_global_sync_and_a_refused_token(
    discord_api: FakeDiscordApi,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await cli.sync(_settings(discord_api), None) == 0
    assert discord_api.find("PUT", f"/applications/{APP_ID}/commands")
    assert "globally" in capsys.readouterr().out

    assert await cli.sync(_settings(discord_api, REFUSED_TOKEN), None) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_TOKEN" in err


async def test_sync_to_a_server_without_the_bot_says_how_to_add_it(
    discord_api: FakeDiscordApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await cli.sync(_settings(discord_api), FOREIGN_GUILD_ID) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invite-url" in err


def test_invite_url_reads_the_application_id_from_the_token(
    discord_api: FakeDiscordApi,
) -> None:
    token = base64.b64encode(str(APP_ID).encode()).decode().rstrip("=") + ".x.y"
    url = cli.build_invite_url(_settings(discord_api, token), cli.client_id_from_token(token) or "")
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [str(APP_ID)]
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions.send_messages and permissions.embed_links and permissions.attach_files
    assert permissions.create_public_threads and permissions.send_messages_in_threads
    assert not permissions.administrator and not permissions.manage_messages
    assert not permissions.mention_everyone


async def test_invite_url_command(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(database_url="sqlite://")
    assert await cli.invite_url(settings, "123456789") == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://discord.com/oauth2/authorize?client_id=123456789&")
    assert await cli.invite_url(settings, None) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--client-id" in err
    assert await cli.invite_url(Settings(database_url="sqlite://", discord_token="%%%"), None) == 2


def test_required_options_are_moved_before_optional_ones() -> None:
    spec = CommandSpec(
        name="crux-test",
        summary="A command whose spec lists an optional option first",
        options=(
            OptionSpec("note", OptionKind.TEXT, "an optional note"),
            OptionSpec("slug", OptionKind.SLUG, "the statement", True),
            OptionSpec("page", OptionKind.INTEGER, "a page", keyword=True, minimum=1, maximum=9),
            OptionSpec("belief", OptionKind.TEXT, "the belief", True),
        ),
        examples=(),
        group="Help",
    )
    client = discord.Client(intents=discord.Intents.none())
    tree = discord.app_commands.CommandTree(client)
    command = slash_command(spec, cli.RegisterOnly()).to_dict(tree)
    assert [(o["name"], o["required"]) for o in command["options"]] == [
        ("slug", True),
        ("belief", True),
        ("note", False),
        ("page", False),
    ]
