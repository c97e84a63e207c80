"""Which service function runs each command, registered beside the function itself.

A service function marked `@handles("search")` runs `/search`. `Cruxbot` calls
it with the command's unit of work and its options as keyword arguments, named
as in the spec and typed by their kind (INTEGER options arrive as `int`, the
others as `str`); an option the member left out is not passed, so the
parameter's default applies. A handler that needs the host's settings declares
a keyword-only `rules: Rules` parameter and is given them.

What a command may do is not decided here: whether it only reads and whether it
needs a moderator are in its entry in `bot.commands.spec`, and `Cruxbot`
enforces both before it calls the handler, for every command alike.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bot.commands.parser import ArgValue
from bot.render.reply import Reply
from bot.services.limits import DEFAULT_WRITE_LIMIT, WriteLimit
from bot.services.web_access import WebAccess
from bot.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.services.meaning import Meaning

#: How long a meeting may stay open before the next command closes it.
DEFAULT_MAX_AGE = timedelta(hours=6)

#: Options the core applies itself before any handler runs, so no handler takes them:
#: `by:` makes the named member the command's author (see `Cruxbot._attempt`).
CORE_OPTIONS = frozenset({"by"})

Function = Callable[..., Awaitable[Reply]]
F = TypeVar("F", bound=Function)
#: A command's options as the parser gives them, by option name.
Args = Mapping[str, ArgValue]
#: A handler bound to its command: what `Cruxbot` runs in the command's unit of work.
Handler = Callable[[UnitOfWork, Args], Awaitable[Reply]]


@dataclass(frozen=True)
class Rules:
    """The host's settings that some commands follow (see `Cruxbot.__init__`)."""

    meeting_max_age: timedelta = DEFAULT_MAX_AGE
    forget_mode: str = "delete"
    write_limit: WriteLimit = DEFAULT_WRITE_LIMIT
    #: Where the web pages are and the secret their links are made with.
    web: WebAccess = field(default_factory=WebAccess)
    #: The embedding provider `/ask` also matches meaning with (None: words alone).
    meaning: Meaning | None = None


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Registered:
    """A command's handler and how to call it.

    Attributes:
        function: the service function.
        name_as: the parameter given the command's own name, for a function that
            runs several commands (`/agree`, `/disagree` and `/unsure` pass a position).
        database: False for a command answered without a unit of work (`/help`):
            `function` then takes only the options.
        takes_rules: whether `function` has a `rules` parameter.
    """

    function: Function
    name_as: str = ""
    database: bool = True
    takes_rules: bool = False

    def arguments(self, name: str, options: Args, rules: Rules) -> dict[str, Any]:
        """The keyword arguments `function` is called with for `/name options`."""
        extra: dict[str, object] = {self.name_as: name} if self.name_as else {}
        if self.takes_rules:
            extra["rules"] = rules
        given = {key: value for key, value in options.items() if key not in CORE_OPTIONS}
        return {**given, **extra}

    def bound(self, name: str, rules: Rules) -> Handler:
        """The handler of `/name` as `Cruxbot` runs it, in the command's unit of work."""

        async def run(uow: UnitOfWork, options: Args) -> Reply:
            return await self.function(uow, **self.arguments(name, options, rules))

        return run


#: Every registered handler by command name (filled as the service modules are imported;
#: `bot.services.handlers` imports them all).
REGISTERED: dict[str, Registered] = {}


def handles(*names: str, name_as: str = "", database: bool = True) -> Callable[[F], F]:
    """Register the decorated service function as the handler of the commands `names`."""

    def register(function: F) -> F:
        for name in names:
            if name in REGISTERED:
                raise ValueError(f"/{name} already runs {REGISTERED[name].function.__qualname__}")
            takes_rules = "rules" in inspect.signature(function).parameters
            REGISTERED[name] = Registered(function, name_as, database, takes_rules)
        return function

    return register
