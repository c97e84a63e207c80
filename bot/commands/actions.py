"""Actions as typed lines and as compact button ids.

Chat platforms give a button a short opaque id (Discord: 100 characters). An
action encodes as `cx1:<command>;<name>=<value>,…;<ask>,<offer>?`; decoding
checks every name against the command spec. A decoded action is then run like
any command, as the member who pressed it, so a forged id grants nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.commands.spec import COMMANDS_BY_NAME
from bot.errors import UserError
from bot.render.reply import Action

PREFIX = "cx1:"
MAX_ID_LENGTH = 100
_VALUE = re.compile(r"^[a-z0-9-]{1,40}$")


def action_line(action: Action) -> str:
    """The action as the user would type it, e.g. `/reply <slug> <text> to:lag`."""
    spec = COMMANDS_BY_NAME[action.command]
    args = action.arguments
    parts = [f"/{spec.name}"]
    for option in spec.options:
        if option.name in args:
            value = args[option.name]
            parts.append(f"{option.name}:{value}" if option.keyword else value)
        elif option.name in action.ask or option.name in action.offer:
            shown = f"<{option.name}>"
            parts.append(f"{option.name}:{shown}" if option.keyword else shown)
    return " ".join(parts)


def encode_action(action: Action) -> str:
    """A button id for the action (at most 100 characters).

    Every value must look like a nickname (`[a-z0-9-]`, at most 40): free text
    never rides in a button, though a free-text option may carry such a value
    (a search's words joined by hyphens).
    """
    names = {option.name for option in COMMANDS_BY_NAME[action.command].options}
    for name, value in action.args:
        if name not in names or not _VALUE.match(value):
            raise ValueError(f"button argument {name}={value!r} cannot be encoded")
    pairs = ",".join(f"{name}={value}" for name, value in action.args)
    asked = ",".join([*action.ask, *(f"{name}?" for name in action.offer)])
    encoded = f"{PREFIX}{action.command};{pairs};{asked}"
    if len(encoded) > MAX_ID_LENGTH:
        raise ValueError(f"button id too long: {encoded!r}")
    return encoded


def decode_action(encoded: str, label: str = "") -> Action:
    """The action a button id names; a UserError for anything malformed.

    Without the label the platform showed, the label is the command's name.
    """
    invalid = UserError("That button is not valid any more; type the command instead.")
    if not encoded.startswith(PREFIX) or len(encoded) > MAX_ID_LENGTH:
        raise invalid
    try:
        command, pairs, asked = encoded[len(PREFIX) :].split(";")
    except ValueError:
        raise invalid from None
    spec = COMMANDS_BY_NAME.get(command)
    if spec is None:
        raise invalid
    names = {o.name for o in spec.options}
    args: list[tuple[str, str]] = []
    for pair in filter(None, pairs.split(",")):
        name, _, value = pair.partition("=")
        if name not in names or not _VALUE.match(value):
            raise invalid
        args.append((name, value))
    ask = [n for n in asked.split(",") if n and not n.endswith("?")]
    offer = [n[:-1] for n in asked.split(",") if n.endswith("?")]
    if not set(ask + offer) <= names:
        raise invalid
    return Action(label or command.capitalize(), command, tuple(args), tuple(ask), tuple(offer))


def form_arguments(action: Action, values: Mapping[str, str]) -> dict[str, str]:
    """The options a submitted form runs its action with, on every platform.

    Only the fields the form asked for or offered are read from what came
    back, and the button's fixed options win over anything the submission
    says: a form cannot change what its button was for (the statement a
    Steelman button names, say), however the submission was made.
    """
    asked = set(action.ask) | set(action.offer)
    return {**{k: v for k, v in values.items() if k in asked}, **action.arguments}
