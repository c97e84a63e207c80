"""The one declarative specification of every command.

What an entry is made of (options, kinds, suggestion sources) is in
`bot.commands.grammar`; the names are re-exported here for the rest of the code.
The console parser, `/help`, the README's reference and every platform adapter
(Discord slash commands, Slack slash commands and manifest) are built from
`COMMANDS`. Adding a command here, plus its service, is all it takes.

The entries are written in modules by what the commands act on (one statement,
browsing, the revision log, meetings, the whole map, the member and the bot),
each short enough to read at once; `COMMANDS` joins them in that order, which
is the order suggestions and platform command lists show.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.commands.spec import about, browse, lifecycle, meetings, statements, whole_map
from bot.commands.spec.options import LIST_KINDS, example_pairs

__all__ = [
    "COMMANDS",
    "COMMANDS_BY_NAME",
    "GROUPS",
    "LIST_KINDS",
    "Autocomplete",
    "CommandSpec",
    "OptionKind",
    "OptionSpec",
    "Reads",
    "example_pairs",
]

COMMANDS: tuple[CommandSpec, ...] = (
    *statements.COMMANDS,
    *browse.COMMANDS,
    *lifecycle.COMMANDS,
    *meetings.COMMANDS,
    *whole_map.COMMANDS,
    *about.COMMANDS,
)

COMMANDS_BY_NAME: dict[str, CommandSpec] = {command.name: command for command in COMMANDS}
GROUPS: tuple[str, ...] = ("Show and log", "Stances", "Meetings", "Browse", "Lifecycle", "Help")
