"""The gateway client: default intents only, no pings, events to the handlers.

No privileged intent is asked for: slash commands, buttons and forms arrive as
interactions, and messages that mention the bot, and direct messages, carry their content anyway.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters.discord.interactions import InteractionHandler
from adapters.discord.mentions import MentionHandler
from adapters.discord.render import NO_MENTIONS
from adapters.discord.schema import build_tree
from adapters.inflight import InFlight
from bot.app import Cruxbot
from bot.render.reply import Reply

log = logging.getLogger(__name__)

STALE_COMMAND = (
    "This command has changed since it was registered: "
    "ask the bot's host to run `cruxbot discord sync`."
)
STALE_COMMAND_ERRORS = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)


def intents() -> discord.Intents:
    """Discord's default intents (servers, server messages, …), none privileged."""
    chosen = discord.Intents.default()
    chosen.message_content = False
    chosen.members = False
    chosen.presences = False
    return chosen


if TYPE_CHECKING:  # the mixin below always sits in front of a discord.py client
    _ClientBase = discord.Client
else:
    _ClientBase = object


class _CruxbotEvents(_ClientBase):
    """Everything the bot does with gateway events, whichever client class carries it."""

    def __init__(
        self, core: Cruxbot, moderator_roles: tuple[str, ...] = (), **options: Any
    ) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_MENTIONS, **options)
        #: Answers under way, which a stop lets finish (see runner.DiscordAdapter.close).
        self.in_flight = InFlight()
        self.interactions = InteractionHandler(core, moderator_roles, in_flight=self.in_flight)
        self.mentions = MentionHandler(core, moderator_roles, servers=lambda: self.guilds)
        self.tree: app_commands.CommandTree[Any] = build_tree(self, self.interactions)
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, STALE_COMMAND_ERRORS):
            # Registered by an older version: say how to fix it rather than "went wrong".
            log.warning("stale command in interaction %s: %s", interaction.id, error)
            with contextlib.suppress(Exception):
                await self.interactions.send(interaction, Reply.failure(STALE_COMMAND))
            return
        await self.interactions.send_failure(interaction, "slash command", error)

    async def on_ready(self) -> None:
        """Log who we are, so an operator sees the bot came up."""
        log.info("connected to Discord as %s", self.user)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Buttons and forms (the tree handles commands and autocomplete itself)."""
        await self.interactions.on_interaction(interaction)

    async def on_message(self, message: discord.Message) -> None:
        """Answer messages that mention the bot, and direct messages to it."""
        if self.user is not None:
            async with self.in_flight.track():
                await self.mentions.on_message(message, self.user.id)


class CruxbotClient(_CruxbotEvents, discord.Client):
    """One gateway connection: what most communities need."""


class ShardedCruxbotClient(_CruxbotEvents, discord.AutoShardedClient):
    """Some of the shards of a bot split across processes (`--shard-ids`, `--shard-count`)."""


def make_client(
    core: Cruxbot,
    moderator_roles: tuple[str, ...] = (),
    shard_ids: tuple[int, ...] = (),
    shard_count: int | None = None,
) -> CruxbotClient | ShardedCruxbotClient:
    """A plain client, or a sharded one when a shard count is set."""
    if shard_count is None:
        return CruxbotClient(core, moderator_roles)
    return ShardedCruxbotClient(
        core, moderator_roles, shard_ids=list(shard_ids) or None, shard_count=shard_count
    )
