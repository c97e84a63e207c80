"""What a command is made of: its options, how each is read, where suggestions come from.

The table of commands itself is in `bot.commands.spec`; this module only
describes the shape every entry has, and derives a command's usage line.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum


class OptionKind(Enum):
    """How an option's value is read and validated."""

    SLUG = "slug"  # one word, a statement nickname
    WORD = "word"  # one word from `choices`
    INTEGER = "integer"  # a whole number within `minimum`..`maximum`
    TEXT = "text"  # the rest of the line
    MEMBER = "member"  # a platform user id, or a mention of one (<@123>, <@U123>)
    CREDIT = "credit"  # who said it: a mention (<@123>, <@U123>), or a name in the console


class Autocomplete(Enum):
    """Where an adapter finds suggestions for an option while the user types."""

    NONE = "none"
    STATEMENTS = "statements"
    CLAIMS = "claims"
    OBJECTIONS = "objections"
    READINGS = "readings"
    COMMANDS = "commands"


class Reads(Enum):
    """Whether a command only reads, given the options it was run with.

    One that only reads runs outside any transaction, and a platform's
    re-delivery of it needs no key recorded to be refused (see `Cruxbot`).
    """

    NEVER = "never"  # it may write
    ALWAYS = "always"
    WITHOUT_TEXT = "without text"  # `/objection lag` shows; `/objection lag <text>` logs


@dataclass(frozen=True)
class RequiredWhen:
    """An option a command needs only when another option has a certain value.

    Attributes:
        option: the other option's name.
        value: the value that makes this option necessary.
        reason: what the member is told when it is missing, with an example.
    """

    option: str
    value: str
    reason: str


@dataclass(frozen=True)
class OptionSpec:
    """One option of a command.

    Attributes:
        name: the option's name (the `key` in `key:value` for keyword options).
        kind: how its value is read.
        description: one line shown by help and platform UIs (<= 100 chars).
        required: whether the command refuses to run without it.
        keyword: given as `name:value` anywhere on the line rather than by position.
        choices: the allowed words for WORD options.
        minimum: the smallest INTEGER allowed.
        maximum: the largest INTEGER allowed.
        autocomplete: the suggestion source adapters should use.
        label: the words above its field in a form (default: the name, capitalised).
        required_when: needed only when another option has a certain value.
    """

    name: str
    kind: OptionKind
    description: str
    required: bool = False
    keyword: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    autocomplete: Autocomplete = Autocomplete.NONE
    label: str = ""
    required_when: RequiredWhen | None = None


@dataclass(frozen=True)
class CommandSpec:
    """One command: its grammar, help and examples.

    Attributes:
        name: what follows the slash.
        summary: one line for command lists and platform registration (<= 100 chars).
        options: positional options in order, then keyword ones.
        examples: complete lines a user can type, each with what it does.
        details: a paragraph of further help.
        group: the heading it is listed under in /help and the README.
        moderator_only: only moderators may run it (`Cruxbot` refuses anyone else).
        reads: whether it only reads (see `only_reads`).
    """

    name: str
    summary: str
    options: tuple[OptionSpec, ...]
    examples: tuple[tuple[str, str], ...]
    group: str
    details: str = ""
    moderator_only: bool = False
    reads: Reads = Reads.NEVER

    def only_reads(self, given: Collection[str]) -> bool:
        """Whether the command, run with the options named in `given`, only reads."""
        if self.reads is Reads.WITHOUT_TEXT:
            return "text" not in given
        return self.reads is Reads.ALWAYS

    @property
    def usage(self) -> str:
        """The grammar line, e.g. `/objection <slug> [text] [to:target]`."""
        parts = [f"/{self.name}"]
        for option in self.options:
            placeholder = {
                OptionKind.INTEGER: "n",
                OptionKind.TEXT: "text",
                OptionKind.CREDIT: "@member",
            }.get(option.kind, "slug")
            if option.kind is OptionKind.WORD and option.choices:
                placeholder = "|".join(option.choices)
            shown = f"{option.name}:{placeholder}" if option.keyword else option.name
            if option.kind is OptionKind.WORD and not option.keyword and option.choices:
                shown = "|".join(option.choices)
            if option.kind is OptionKind.TEXT and not option.keyword:
                shown += "…"
            parts.append(f"<{shown}>" if option.required else f"[{shown}]")
        return " ".join(parts)

    def needed(self, given: Mapping[str, object]) -> tuple[OptionSpec, ...]:
        """Options missing from `given` that its values make necessary (a duplicate's `of`)."""
        return tuple(
            option
            for option in self.options
            if option.required_when is not None
            and option.name not in given
            and given.get(option.required_when.option) == option.required_when.value
        )

    def option(self, name: str) -> OptionSpec:
        """The option called `name` (KeyError if there is none)."""
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)
