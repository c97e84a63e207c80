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
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import discord

from bot.commands.actions import encode_action
from bot.commands.forms import Form, FormField, action_form, log_as_action
from bot.context import Caller, QuotedMessage
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
FIELDS_MAX = 5


def _input(field: FormField) -> discord.ui.Label[Any]:
    """One field of the core's form as a labelled Discord text input."""
    text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
        custom_id=field.name,
        style=discord.TextStyle.paragraph if field.long_text else discord.TextStyle.short,
        required=field.required,
        max_length=min(field.max_length, TEXT_INPUT_MAX),
        default=clip(field.initial, TEXT_INPUT_MAX) if field.initial else None,
        placeholder=clip(field.hint, PLACEHOLDER_MAX),
    )
    return discord.ui.Label(text=clip(field.label, LABEL_MAX), component=text_input)


def form_modal(form: Form, custom_id: str) -> discord.ui.Modal:
    """A modal drawing the core's form (Discord shows at most five fields)."""
    modal = discord.ui.Modal(title=clip(form.title, TITLE_MAX), custom_id=custom_id)
    for field in form.fields[:FIELDS_MAX]:
        modal.add_item(_input(field))
    # Submissions are routed by custom id in `interactions`; nothing to keep in memory.
    modal.stop()
    return modal


def action_modal(action: Action) -> discord.ui.Modal:
    """The form for a button that asks for options (Steelman, Reply, …)."""
    return form_modal(action_form(action), encode_action(action))


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


def log_modal(kind: str, token: str, message_text: str) -> discord.ui.Modal:
    """The form a "Log as" menu opens, prefilled with the message's text."""
    form = action_form(log_as_action(kind), {"text": message_text})
    return form_modal(form, FORM_PREFIX + token)
