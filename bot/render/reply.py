"""The platform-neutral answer to a command.

Adapters turn a Reply into an embed, Block Kit or plain text. Text fields use a
small Markdown subset (`code`, **bold**, > quotes) that every platform renders;
an Action is a button whose press simply runs another command, with the
presser's own permissions, so a forged button can do no more than typing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A labelled piece of a reply (e.g. "Status: open")."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Action:
    """A follow-up the user can take: run `command` with `args` as the presser.

    Attributes:
        label: the button's text.
        command: the command to run.
        args: option values fixed by the button, as (name, value) pairs.
        ask: options the user must fill in first (a modal on chat platforms).
        offer: options the user may fill in (shown in the same modal, optional).
        style: "primary", "secondary", "success" or "danger".
    """

    label: str
    command: str
    args: tuple[tuple[str, str], ...] = ()
    ask: tuple[str, ...] = ()
    offer: tuple[str, ...] = ()
    style: str = "secondary"

    @property
    def arguments(self) -> dict[str, str]:
        """The fixed option values as a dict."""
        return dict(self.args)


@dataclass(frozen=True)
class Attachment:
    """A file to post with a reply (an export, a map image).

    The console writes it to disk and prints the path; chat adapters upload it.
    """

    filename: str
    content: bytes
    description: str = ""


@dataclass(frozen=True)
class Link:
    """A web address the reply points to: a link button on chat, a line in the console."""

    label: str
    url: str


@dataclass(frozen=True)
class Shown:
    """The statement a reply shows, so adapters can offer actions on it (a status menu)."""

    slug: str
    status: str


@dataclass(frozen=True)
class Reply:
    """What the core answers.

    Attributes:
        title: one line; empty for bare confirmations.
        body: the main text (Markdown subset).
        fields: labelled facts, in display order.
        actions: buttons to offer under the reply.
        paging: the buttons that turn the pages of a listing ("Previous", "Next").
        shows: the statement this reply shows, if it shows one.
        accent: a status or kind name the adapter may map to a colour ("help"
            marks a help reply, whose every word is the bot's).
        ephemeral: only the caller needs to see it (errors, confirmations).
        footer: small print (hints, paging).
        error: the reply reports a failure.
        attachment: a file to post with the reply, if any.
        error_id: for an unexpected failure, the id also written to the log.
        already_handled: the request was a re-delivery of one already applied;
            the adapter answers nothing (the first delivery was answered).
        link: a web page about the same thing ("Open on the web"), if any.
        minutes_of: the meeting whose minutes (final or draft) the reply shows, so
            that its web link names that meeting rather than whichever is latest.
    """

    title: str = ""
    body: str = ""
    fields: tuple[Field, ...] = ()
    actions: tuple[Action, ...] = ()
    accent: str = ""
    ephemeral: bool = False
    footer: str = ""
    error: bool = False
    attachment: Attachment | None = None
    error_id: str = ""
    already_handled: bool = False
    link: Link | None = None
    paging: tuple[Action, ...] = ()
    shows: Shown | None = None
    minutes_of: int | None = None

    @property
    def buttons(self) -> tuple[Action, ...]:
        """Every button in display order: the follow-up actions, then the paging ones."""
        return self.actions + self.paging

    @classmethod
    def failure(cls, message: str, hint: str = "") -> Reply:
        """An error reply for the caller alone."""
        return cls(body=message, footer=hint, ephemeral=True, error=True, accent="error")

    @classmethod
    def done(cls, message: str, *, ephemeral: bool = False, footer: str = "") -> Reply:
        """A short confirmation."""
        return cls(body=message, ephemeral=ephemeral, footer=footer, accent="success")


def field_list(*pairs: tuple[str, str], inline: bool = True) -> tuple[Field, ...]:
    """Fields from (name, value) pairs, skipping empty values."""
    return tuple(Field(name, value, inline) for name, value in pairs if value)


#: The answer to a re-delivered request: nothing to show (the first was answered).
ALREADY_HANDLED = Reply(already_handled=True, ephemeral=True)

#: A command retried after a lost connection, whose first attempt did commit.
APPLIED_BEFORE_RETRY = Reply.done(
    "Done. (The database connection dropped as it confirmed this, so there are no details.)",
    ephemeral=True,
)
