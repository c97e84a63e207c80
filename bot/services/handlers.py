"""Every command's handler: importing the service modules registers them.

Each service module marks its command handlers with `@handles` (see
`bot.services.registry`); a module that handles a command must be imported
here, and `tests/test_command_handlers.py` fails for a spec entry without one.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.services import (  # noqa: F401  (imported to register their handlers)
    action_items,
    ask,
    browse,
    cruxes,
    exports,
    forget,
    help,
    history,
    lifecycle,
    maps,
    meetings,
    packs,
    readings,
    stances,
    statements,
    web_links,
)
from bot.services.registry import REGISTERED, Handler, Registered, Rules


def handlers() -> Mapping[str, Registered]:
    """Each command's registered handler, by command name."""
    return REGISTERED


def bound_handlers(rules: Rules) -> dict[str, Handler]:
    """The handler of each command that runs in a unit of work, given the host's `rules`."""
    return {name: entry.bound(name, rules) for name, entry in REGISTERED.items() if entry.database}
