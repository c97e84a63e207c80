"""Modals: the forms a button or a message menu opens, and reading what came back.

A button's form carries its action in the modal's custom id (the same compact
id as the button, checked against the spec on the way back), so it survives a
restart. A message menu's form must also remember whose message it was and what
it said; that is kept here, in memory, under a random token, because a modal
submission's custom id and values are whatever the submitting client sends:
only what Discord told us when the menu was used (the message's author, text
and place) may decide whom a statement quotes. A form answers only to the
member who opened it, once, and expires after a while.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import discord

from bot.commands.actions import encode_action
from bot.commands.spec import COMMANDS_BY_NAME, CommandSpec, OptionKind, OptionSpec
from bot.context import Caller, QuotedMessage
from bot.domain import ALLOWED_TARGETS, SLUG_MAX, TEXT_MAX
from bot.render.clip import clip
from bot.render.reply import Action

FORM_PREFIX = "cxf:"
TITLE_MAX = 45
LABEL_MAX = 45
PLACEHOLDER_MAX = 100
TEXT_INPUT_MAX = 4000
#: How long a message-menu form can stay open before its submission is refused.
FORM_LIFETIME_SECONDS = 30 * 60.0
PENDING_MAX = 2000

_LABELS = {
    "slug": "Nickname (optional: one is made up)",
    "to": "What it answers (a nickname)",
    "reading": "Reading (a nickname)",
}


def _input(
    spec: CommandSpec, option: OptionSpec, required: bool, default: str | None = None
) -> discord.ui.Label[Any]:
    long_text = option.kind is OptionKind.TEXT
    label = _LABELS.get(option.name, option.name.capitalize())
    placeholder = option.description
    if option.name == "slug" and required:
        label = "Nickname"
    if long_text and option.name == "text":
        label = f"Your {spec.name}"
        if spec.name in ALLOWED_TARGETS:  # a show-or-log command: its text is logged
            placeholder = f"What the {spec.name} says; its first sentence becomes its title"
    text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
        custom_id=option.name,
        style=discord.TextStyle.paragraph if long_text else discord.TextStyle.short,
        required=required,
        max_length=min(TEXT_MAX, TEXT_INPUT_MAX) if long_text else SLUG_MAX,
        default=clip(default, TEXT_INPUT_MAX) if default else None,
        placeholder=clip(placeholder, PLACEHOLDER_MAX),
    )
    return discord.ui.Label(text=clip(label, LABEL_MAX), component=text_input)


def _modal(title: str, custom_id: str, items: Iterable[discord.ui.Label[Any]]) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=clip(title, TITLE_MAX), custom_id=custom_id)
    for item in items:
        modal.add_item(item)
    # Submissions are routed by custom id in `interactions`; nothing to keep in memory.
    modal.stop()
    return modal


def action_modal(action: Action) -> discord.ui.Modal:
    """The form for a button that asks for options (Steelman, Reply, …)."""
    spec = COMMANDS_BY_NAME[action.command]
    about = [f"to {value}" if name == "to" else value for name, value in action.args]
    title = " ".join([spec.name.capitalize(), *about])  # e.g. "Steelman lag", "Reply to lag"
    items = [_input(spec, spec.option(name), True) for name in action.ask]
    items += [_input(spec, spec.option(name), False) for name in action.offer]
    return _modal(title, encode_action(action), items[:5])


def submitted_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The non-empty text inputs of a modal submission, by custom id.

    Handles both layouts Discord uses (inputs in action rows, or in labels).
    """
    values: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "custom_id" in node and isinstance(node.get("value"), str):
                if node["value"].strip():
                    values[str(node["custom_id"])] = node["value"]
                return
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(data.get("components", []))
    return values


@dataclass(frozen=True)
class PendingLog:
    """A message-menu form waiting for its submission.

    `opened_by` is the member who used the menu; `author_*`, `text` and
    `origin_url` describe the message, as Discord resolved it.
    """

    command: str
    opened_by: str
    author_id: str
    author_name: str
    text: str
    origin_url: str
    opened_at: float

    def submitted_by(self, caller: Caller) -> Caller:
        """The caller logging this form: themselves, quoting the message.

        The core compares the submitted text with the message's and decides
        whether the statement still quotes its writer.
        """
        quoted = QuotedMessage(
            text=self.text, author_id=self.author_id, author_name=self.author_name
        )
        return replace(caller, origin_url=self.origin_url, quoted=quoted)


class PendingForms:
    """Message-menu forms in flight, by token; bounded in size and age."""

    def __init__(self, lifetime: float = FORM_LIFETIME_SECONDS, limit: int = PENDING_MAX) -> None:
        self.lifetime = lifetime
        self.limit = limit
        self._forms: OrderedDict[str, PendingLog] = OrderedDict()

    def add(self, form: PendingLog) -> str:
        """Remember a form; its token goes into the modal's custom id."""
        self._expire()
        token = secrets.token_urlsafe(12)
        self._forms[token] = form
        while len(self._forms) > self.limit:
            self._forms.popitem(last=False)
        return token

    def take(self, token: str, user_id: str) -> PendingLog | None:
        """The form for a token, once; None if unknown, expired or opened by someone else.

        Someone else's token is refused without using it up: the member who
        opened the form can still submit it.
        """
        self._expire()
        form = self._forms.get(token)
        if form is None or form.opened_by != user_id:
            return None
        return self._forms.pop(token)

    def _expire(self) -> None:
        cutoff = time.monotonic() - self.lifetime
        while self._forms:
            token, form = next(iter(self._forms.items()))
            if form.opened_at >= cutoff:
                break
            del self._forms[token]


def log_modal(spec: CommandSpec, token: str, message_text: str) -> discord.ui.Modal:
    """The form a message menu opens: nickname, target and the message's text."""
    items = [_input(spec, spec.option("slug"), False)]
    target = next(
        (o for o in spec.options if o.keyword and o.kind is OptionKind.SLUG and not o.required),
        None,
    )
    if target is not None:
        # Showing needs no target, but logging an objection, reply or support does.
        items.append(_input(spec, target, bool(ALLOWED_TARGETS.get(spec.name))))
    items.append(_input(spec, spec.option("text"), True, message_text))
    return _modal(f"Log as {spec.name}", FORM_PREFIX + token, items)
