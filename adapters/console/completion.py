"""Tab completion in the console: commands, option names and values, nicknames.

Command names, option names and choices come from the command spec; readings
and nicknames from the core's suggestion service (`Cruxbot.autocomplete`, the
one Discord's autocomplete and Slack's menus use), so the console never reads
the database itself.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from bot.app import Cruxbot
from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec
from bot.commands.spec import COMMANDS_BY_NAME
from bot.context import Caller

#: Commands only the console has (see adapters.console.members and repl).
CONSOLE_COMMANDS = (("as", "Act as another member: /as NAME; /as alone: yourself"),)


class ConsoleCompleter(Completer):
    """Suggestions for the word before the cursor, asked of the core as the current member."""

    def __init__(self, app: Cruxbot, caller: Callable[[], Caller]) -> None:
        self.app = app
        self.caller = caller

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        """Nothing synchronously: every suggestion may need the database."""
        return []

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        """The suggestions, each replacing the word being typed."""
        for value, meta, typed in await suggestions(
            self.app, self.caller(), document.text_before_cursor
        ):
            yield Completion(value, start_position=-len(typed), display_meta=meta)


async def suggestions(app: Cruxbot, caller: Caller, before: str) -> list[tuple[str, str, str]]:
    """(completion, description, the part of the line it replaces) for the text typed so far."""
    words = before.split()
    if not words or (len(words) == 1 and not before[-1].isspace()):
        return await _commands(app, caller, words[0] if words else "")
    spec = COMMANDS_BY_NAME.get(words[0].lstrip("/").lower())
    if spec is None:
        return []
    word = "" if before[-1].isspace() else words[-1]
    done = words[1:] if not word else words[1:-1]
    key, colon, value = word.partition(":")
    if colon:
        option = next((o for o in spec.options if o.keyword and o.name == key.lower()), None)
        if option is None:
            return []
        found = await _values(app, caller, option, value)
        return [(f"{key}:{v}", meta, word) for v, meta in found]
    result: list[tuple[str, str, str]] = []
    positional = _positional(spec, done)
    if positional is not None:
        result += [(v, meta, word) for v, meta in await _values(app, caller, positional, word)]
    result += [
        (f"{o.name}:", o.description, word)
        for o in spec.options
        if o.keyword and o.name.startswith(word.lower()) and not _given(o, done)
    ]
    return result


async def _commands(app: Cruxbot, caller: Caller, typed: str) -> list[tuple[str, str, str]]:
    found = await app.autocomplete(Autocomplete.COMMANDS, typed, caller)
    names = [(c.value, c.label.partition(" — ")[2]) for c in found]
    names += [(name, help) for name, help in CONSOLE_COMMANDS if name.startswith(typed.lstrip("/"))]
    return [(f"/{name}", help, typed) for name, help in sorted(names)]


def _positional(spec: CommandSpec, done: list[str]) -> OptionSpec | None:
    """The positional option the next word fills, if it is not free text."""
    given = [w for w in done if not any(w.startswith(f"{o.name}:") for o in spec.options)]
    positional = [o for o in spec.options if not o.keyword]
    if len(given) >= len(positional):
        return None
    option = positional[len(given)]
    return None if option.kind is OptionKind.TEXT else option


def _given(option: OptionSpec, done: list[str]) -> bool:
    return any(w.lower().startswith(f"{option.name}:") for w in done)


async def _values(
    app: Cruxbot, caller: Caller, option: OptionSpec, typed: str
) -> list[tuple[str, str]]:
    """Values for one option: its choices, else the core's suggestions for its source."""
    if option.choices:
        return [(c, option.description) for c in option.choices if c.startswith(typed.lower())]
    source = option.autocomplete
    if source is Autocomplete.NONE and option.kind is OptionKind.SLUG:
        source = Autocomplete.STATEMENTS
    if source is Autocomplete.NONE:
        return []
    found = await app.autocomplete(source, typed, caller)
    return [(c.value, c.label.partition(" — ")[2]) for c in found]
