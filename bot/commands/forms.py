"""The forms a button or a message menu opens, said once for every platform.

A chat platform shows a form (a Discord modal, a Slack modal) where a button
asks for options (`Action.ask`, `Action.offer`), and where a member turns a
chat message into a statement ("Log as objection"). What such a form holds
is a matter of the commands, not of a platform: its title, its fields and
their labels and hints, which fields must be filled in, the chat menus that
log a message and the options each of them asks for. This module says it;
an adapter only draws a `Form` in its platform's widgets and clips to its
platform's sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.commands.actions import encode_action
from bot.commands.grammar import CommandSpec, OptionKind, OptionSpec
from bot.commands.spec import COMMANDS_BY_NAME
from bot.domain import (
    ALLOWED_TARGETS,
    ANSWERS_THE_READING,
    KINDS,
    SLUG_MAX,
    TEXT_MAX,
    article,
)
from bot.errors import UserError
from bot.render.reply import Action


@dataclass(frozen=True)
class FormField:
    """One field of a form: a command's option, to type in.

    Attributes:
        name: the option's name; what the submitted value is read back by.
        label: the words above the field.
        hint: a line under (or inside) the field saying what goes there.
        required: whether the form can be sent with the field empty.
        long_text: a paragraph rather than one line.
        max_length: the most characters the command takes (a platform may allow fewer).
        initial: the text the field opens with ("" for none).
    """

    name: str
    label: str
    hint: str
    required: bool
    long_text: bool
    max_length: int
    initial: str = ""


@dataclass(frozen=True)
class Form:
    """What a form shows: a title, then its fields in order (asked for first, then offered)."""

    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class LogAs:
    """A message menu that turns a chat message into a statement of one kind."""

    kind: str
    label: str
    description: str


#: The message menus, in the order platforms list them.
LOG_AS: tuple[LogAs, ...] = tuple(
    LogAs(
        kind,
        f"Log as {kind}",
        f"Turn this message into {article(kind)} {kind}, keeping its author and link",
    )
    for kind in ("objection", "claim")
)
LOG_AS_BY_KIND: dict[str, LogAs] = {entry.kind: entry for entry in LOG_AS}


def log_as_action(kind: str) -> Action:
    """The action behind a "Log as" menu: the text, a nickname, and what it answers.

    The target (`to:`, or `reading:` for a claim) must be filled in only where
    the command cannot log without one: an objection may answer the channel's
    reading as a whole, so its `to:` is offered, not asked for.
    """
    spec = COMMANDS_BY_NAME[kind]
    target = next((o.name for o in spec.options if o.keyword and o.kind is OptionKind.SLUG), None)
    needs_target = bool(ALLOWED_TARGETS.get(kind)) and kind not in ANSWERS_THE_READING
    targets: tuple[str, ...] = (target,) if target is not None else ()
    ask = ("text", *targets) if needs_target else ("text",)
    offer = ("slug",) if needs_target else ("slug", *targets)
    return Action(LOG_AS_BY_KIND[kind].label, kind, (), ask=ask, offer=offer)


def with_choice(action: Action, chosen: str) -> Action:
    """A menu's chosen value for the first option the action asks for.

    What that value makes necessary is then asked for in its form (marking a
    statement a duplicate asks which statement it duplicates: see
    `OptionSpec.required_when`). A UserError if the value cannot ride in a button.
    """
    if not action.ask:
        return action
    merged = replace(action, args=(*action.args, (action.ask[0], chosen)), ask=action.ask[1:])
    needed = COMMANDS_BY_NAME[merged.command].needed(merged.arguments)
    more = tuple(option.name for option in needed if option.name not in merged.ask)
    merged = replace(merged, ask=(*merged.ask, *more))
    try:
        encode_action(merged)
    except ValueError:
        raise UserError("That menu choice is not valid; type the command instead.") from None
    return merged


def action_form(action: Action, prefill: Mapping[str, str] | None = None) -> Form:
    """The form an action opens: what it asks for (required), then what it offers.

    Its title names the button and the statement the button is about
    ("Steelman lag", "Reply to lag", "Log as objection").
    """
    spec = COMMANDS_BY_NAME[action.command]
    prefill = prefill or {}
    about = [
        f"to {value}" if name == "to" else value
        for name, value in action.args
        if spec.option(name).kind is OptionKind.SLUG
    ]
    fields = [
        _field(spec, spec.option(name), required, prefill.get(name, ""))
        for names, required in ((action.ask, True), (action.offer, False))
        for name in names
    ]
    return Form(" ".join([action.label, *about]), tuple(fields))


def _field(spec: CommandSpec, option: OptionSpec, required: bool, initial: str) -> FormField:
    long_text = option.kind is OptionKind.TEXT
    label = option.label or option.name.capitalize()
    hint = option.description
    if option.name == "slug" and not required:
        label = f"{label} (optional: one is made up)"
    if long_text and option.name == "text":
        label = f"Your {spec.name}"
        if spec.name in KINDS:  # a show-or-log command: its text is logged
            hint = f"What the {spec.name} says; its first sentence becomes its title"
    return FormField(
        name=option.name,
        label=label,
        hint=hint,
        required=required,
        long_text=long_text,
        max_length=TEXT_MAX if long_text else SLUG_MAX,
        initial=initial,
    )
