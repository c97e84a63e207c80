"""Fixtures for the Discord adapter: a logged-in bot against a loopback REST fake.

Interactions are fed as real INTERACTION_CREATE payloads through discord.py's
own parsing: commands and autocomplete through `CommandTree._call`, buttons
and forms through the client's `on_interaction`, mentions as `Message`
objects built from MESSAGE_CREATE data, all awaited so tests are
deterministic. `Route.BASE` is process-wide, so it is set and restored here.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
import discord.http
import pytest
from discord.gateway import DiscordWebSocket

from adapters.discord.client import CruxbotClient
from bot.app import Cruxbot
from bot.commands.spec import COMMANDS_BY_NAME, OptionKind
from testing_support.discord.fakes import FakeDiscordApi, FakeGateway, Recorded
from testing_support.discord.payloads import (
    ANN_ID,
    APP_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    GUILD_ID,
    GUILD_MODERATOR,
    MANAGE_MESSAGES,
    guild_payload,
    interaction_payload,
    member,
    message_payload,
    snowflake,
    user,
)

ANN = member(ANN_ID, "Ann")


FakeApi = TypeVar("FakeApi", bound=FakeDiscordApi)


@contextlib.asynccontextmanager
async def serving(fake: FakeApi) -> AsyncIterator[FakeApi]:
    """Start a REST fake and point discord.py at it until the block ends."""
    await fake.start()
    previous = discord.http.Route.BASE
    discord.http.Route.BASE = fake.base_url
    try:
        yield fake
    finally:
        discord.http.Route.BASE = previous
        await fake.stop()


@pytest.fixture
async def discord_api() -> AsyncIterator[FakeDiscordApi]:
    """The REST fake, with discord.py pointed at it for the test's duration."""
    async with serving(FakeDiscordApi()) as fake:
        yield fake


@dataclass
class DiscordBot:
    """The adapter's client, logged in, with helpers that play a Discord user."""

    client: CruxbotClient
    api: FakeDiscordApi
    core: Cruxbot

    def _since(self, start: int) -> list[Recorded]:
        return self.api.requests[start:]

    async def _tree(self, payload: dict[str, Any]) -> list[Recorded]:
        start = len(self.api.requests)
        interaction = discord.Interaction(data=payload, state=self.client._connection)  # type: ignore[arg-type]
        await self.client.tree._call(interaction)
        return self._since(start)

    async def _event(self, payload: dict[str, Any]) -> list[Recorded]:
        start = len(self.api.requests)
        interaction = discord.Interaction(data=payload, state=self.client._connection)  # type: ignore[arg-type]
        await self.client.on_interaction(interaction)
        return self._since(start)

    async def command(
        self,
        name: str,
        who: dict[str, Any] = ANN,
        interaction_id: int | None = None,
        in_guild: bool = True,
        **options: Any,
    ) -> list[Recorded]:
        """Run `/name option:value …` as typed in Discord's command box."""
        spec = COMMANDS_BY_NAME[name]
        data: dict[str, Any] = {
            "id": str(APP_ID + 7),
            "name": name,
            "type": 1,
            "options": [
                _option(spec.option(key).kind, key, value) for key, value in options.items()
            ],
        }
        members = [v for k, v in options.items() if spec.option(k).kind is OptionKind.CREDIT]
        if members:  # a user option: Discord sends the chosen member along, resolved
            data["resolved"] = {
                "users": {m["user"]["id"]: m["user"] for m in members},
                "members": {
                    m["user"]["id"]: {k: v for k, v in m.items() if k != "user"} for m in members
                },
            }
        payload = interaction_payload(
            2, data, who=who, interaction_id=interaction_id, in_guild=in_guild
        )
        return await self._tree(payload)

    async def autocomplete(self, name: str, focused: str, typed: str) -> list[Recorded]:
        """The member typing `typed` into option `focused` of `/name`."""
        data = {
            "id": str(APP_ID + 7),
            "name": name,
            "type": 1,
            "options": [{"name": focused, "type": 3, "value": typed, "focused": True}],
        }
        return await self._tree(interaction_payload(4, data))

    async def press(
        self, custom_id: str, who: dict[str, Any] = ANN, interaction_id: int | None = None
    ) -> list[Recorded]:
        """Press the button with this custom id."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._event(
            interaction_payload(3, data, who=who, interaction_id=interaction_id)
        )

    async def submit(
        self, custom_id: str, values: dict[str, str], who: dict[str, Any] = ANN
    ) -> list[Recorded]:
        """Submit the form with this custom id, filled in with `values`."""
        components = [
            {
                "type": 18,
                "id": i,
                "component": {"type": 4, "id": 100 + i, "custom_id": k, "value": v},
            }
            for i, (k, v) in enumerate(values.items(), start=1)
        ]
        data = {"custom_id": custom_id, "components": components}
        return await self._event(interaction_payload(5, data, who=who))

    async def menu(
        self, name: str, content: str, author: dict[str, Any], who: dict[str, Any] = ANN
    ) -> tuple[list[Recorded], int]:
        """Use the message menu `name` on a message by `author`; also its message id."""
        message_id = snowflake()
        data = {
            "id": str(APP_ID + 8),
            "name": name,
            "type": 3,
            "target_id": str(message_id),
            "resolved": {
                "messages": {
                    str(message_id): message_payload(
                        content, author=author, message_id=message_id, guild=False
                    )
                }
            },
        }
        return await self._tree(interaction_payload(2, data, who=who)), message_id

    async def mention(
        self, text: str, author: dict[str, Any] | None = None, message_id: int | None = None
    ) -> list[Recorded]:
        """Post `@Cruxbot text` in the channel as `author` (Ann by default)."""
        start = len(self.api.requests)
        data = message_payload(
            f"<@{BOT_ID}> {text}",
            author=author or user(ANN_ID, "Ann"),
            message_id=message_id,
            mentions=(BOT_USER,),
        )
        guild = self.client.get_guild(GUILD_ID)
        assert guild is not None
        channel = guild.get_channel(CHANNEL_ID)
        message = discord.Message(state=self.client._connection, channel=channel, data=data)  # type: ignore[arg-type]
        await self.client.on_message(message)
        return self._since(start)


def manage_messages_member(user_id: int, name: str) -> dict[str, Any]:
    """A member whose permissions include Manage Messages."""
    return member(user_id, name, permissions=MANAGE_MESSAGES | (1 << 10) | (1 << 11))


#: Seconds before a test's command is deferred: far past any command, however loaded the machine.
DEFER_WHEN_TESTING = 30.0


@pytest.fixture
async def bot(app: Cruxbot, discord_api: FakeDiscordApi) -> AsyncIterator[DiscordBot]:
    """A logged-in adapter client on an empty map (each database)."""
    client = CruxbotClient(app, ("Facilitator",))
    # Tests read the answer from the interaction's first response: a loaded machine
    # must not turn it into a deferral (the tests of deferring set this to 0 themselves).
    client.interactions.defer_after = DEFER_WHEN_TESTING
    await client.login("fake-token")
    client._connection.parse_guild_create(guild_payload())
    try:
        yield DiscordBot(client, discord_api, app)
    finally:
        await client.close()


@pytest.fixture
async def demo_bot(bot: DiscordBot) -> DiscordBot:
    """The same, with the demo reading loaded into the server's workspace."""
    reply = await bot.core.handle_line("/import demo", GUILD_MODERATOR)
    assert not reply.error, reply.body
    return bot


@pytest.fixture
async def gateway() -> AsyncIterator[FakeGateway]:
    """A fake Discord gateway on loopback, for real `serve discord` processes."""
    fake = FakeGateway()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def restore_gateway() -> Iterator[None]:
    """`configure_endpoints` sets the gateway process-wide: put it back afterwards."""
    previous = DiscordWebSocket.DEFAULT_GATEWAY
    yield
    DiscordWebSocket.DEFAULT_GATEWAY = previous


def _option(kind: OptionKind, name: str, value: Any) -> dict[str, Any]:
    """One option as Discord sends it: a member (a `payloads.member`) goes as its user id."""
    if kind is OptionKind.CREDIT:
        return {"name": name, "type": 6, "value": value["user"]["id"]}
    return {"name": name, "type": 4 if kind is OptionKind.INTEGER else 3, "value": value}
