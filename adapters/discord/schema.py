"""Slash commands and message menus, generated from the core's command spec.

Every `CommandSpec` in `COMMANDS` becomes one slash command through
discord.py's own machinery (a callback whose signature is built from the
spec), so registration, option parsing and autocomplete routing are the
library's. Option kinds map as follows:

    SLUG     string, autocompleted from the option's Autocomplete source
    WORD     string with fixed choices (or autocompleted, e.g. /help's command)
    INTEGER  integer within the spec's minimum..maximum
    TEXT     string

Keyword options (`to:`, `reading:`, `page:`) are ordinary named options, and
required options come first, as Discord requires.

One addition of Discord's own: `/import` also takes an attached file (a JSON
export, a reading pack or a Kialo export), so there its `pack` is optional.
Typed commands have no attachments; this is the one place a chat upload fits.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.commands.forms import LOG_AS
from bot.commands.spec import COMMANDS, Autocomplete, CommandSpec, OptionKind, OptionSpec

#: Slash commands exist in servers only: a workspace is a server.
GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)
DESCRIPTION_MAX = 100
#: Commands that also take an attachment on Discord: command -> (option, description).
ATTACHMENT_OPTIONS: dict[str, tuple[str, str]] = {
    "import": ("file", "a file to import: JSON export, reading pack, Argdown or Kialo text"),
}

Suggestions = list[app_commands.Choice[str]]


class Handlers(Protocol):
    """What the generated commands call; `interactions.InteractionHandler` implements it."""

    async def slash(
        self, interaction: discord.Interaction, spec: CommandSpec, values: dict[str, Any]
    ) -> None:
        """Run a slash command with the option values Discord delivered.

        Values are strings and integers, or a `discord.Attachment` for an attached file.
        """

    async def suggest(
        self, interaction: discord.Interaction, source: Autocomplete, typed: str
    ) -> Suggestions:
        """Autocomplete suggestions for what the member typed so far."""

    async def log_message(
        self, interaction: discord.Interaction, message: discord.Message, command: str
    ) -> None:
        """Open the form that turns a chat message into a statement."""


def is_required(spec: CommandSpec, option: OptionSpec) -> bool:
    """Required on Discord: as in the spec, except where an attachment can stand in."""
    return option.required and spec.name not in ATTACHMENT_OPTIONS


def ordered_options(spec: CommandSpec) -> list[OptionSpec]:
    """The spec's options, required ones first (each group keeps the spec's order)."""
    required = [o for o in spec.options if is_required(spec, o)]
    return required + [o for o in spec.options if not is_required(spec, o)]


def _annotation(option: OptionSpec) -> Any:
    if option.kind is OptionKind.INTEGER:
        return app_commands.Range[int, option.minimum, option.maximum]
    if option.kind is OptionKind.CREDIT:
        return discord.User  # a user option: Discord's picker, and the member's name with it
    return str


def _description(text: str) -> str:
    text = " ".join(text.split()) or "…"
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def _suggester(
    handlers: Handlers, source: Autocomplete
) -> Callable[[discord.Interaction, str], Awaitable[Suggestions]]:
    async def suggest(interaction: discord.Interaction, current: str) -> Suggestions:
        return await handlers.suggest(interaction, source, current)

    return suggest


def slash_command(spec: CommandSpec, handlers: Handlers) -> app_commands.Command[Any, ..., None]:
    """One slash command for `spec`, calling `handlers.slash` with its option values."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await handlers.slash(interaction, spec, values)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    suggesters: dict[str, Any] = {}
    for option in ordered_options(spec):
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if is_required(spec, option) else None,
            )
        )
        descriptions[option.name] = _description(option.description)
        if option.kind is OptionKind.WORD and option.choices:
            choices[option.name] = [app_commands.Choice(name=c, value=c) for c in option.choices]
        elif option.autocomplete is not Autocomplete.NONE:
            suggesters[option.name] = _suggester(handlers, option.autocomplete)
    if spec.name in ATTACHMENT_OPTIONS:
        name, description = ATTACHMENT_OPTIONS[spec.name]
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=discord.Attachment | None,
                default=None,
            )
        )
        descriptions[name] = _description(description)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    decorated = app_commands.guild_only()(app_commands.describe(**descriptions)(callback))
    if choices:
        decorated = app_commands.choices(**choices)(decorated)
    if suggesters:
        decorated = app_commands.autocomplete(**suggesters)(decorated)
    return app_commands.Command(
        name=spec.name,
        description=_description(spec.summary),
        callback=decorated,
        allowed_contexts=GUILD_ONLY,
    )


def log_menu(name: str, command: str, handlers: Handlers) -> app_commands.ContextMenu:
    """A message menu that turns the chosen message into a statement."""

    async def callback(interaction: discord.Interaction, message: discord.Message) -> None:
        await handlers.log_message(interaction, message, command)

    return app_commands.ContextMenu(
        name=name, callback=app_commands.guild_only()(callback), allowed_contexts=GUILD_ONLY
    )


def build_tree(client: discord.Client, handlers: Handlers) -> app_commands.CommandTree[Any]:
    """A command tree holding every command of the spec and the message menus."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(
        client, allowed_contexts=GUILD_ONLY
    )
    for spec in COMMANDS:
        tree.add_command(slash_command(spec, handlers))
    for entry in LOG_AS:  # the message menus ("Apps" > "Log as objection"), as the core lists them
        tree.add_command(log_menu(entry.label, entry.kind, handlers))
    return tree
