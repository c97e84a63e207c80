"""The options several commands share, so one option reads the same on every command.

A nickname, the text to log, `to:`, `by:`, `reading:` and `page:` are declared
once here; the command modules beside this one build their entries from them.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.domain import ANSWERS_THE_READING, article

LIST_KINDS = ("claims", "objections", "replies", "supports", "all")


SLUG = OptionSpec(
    "slug",
    OptionKind.SLUG,
    "the statement's nickname",
    True,
    autocomplete=Autocomplete.STATEMENTS,
    label="Nickname",
)
TEXT_TO_LOG = OptionSpec("text", OptionKind.TEXT, "text to log a new statement with this slug")


def target_option(kinds: str, required: bool = False) -> OptionSpec:
    """`to:`, the statement a new one answers, named by the kinds it may be."""
    return OptionSpec(
        "to",
        OptionKind.SLUG,
        f"the {kinds} it answers (when logging)",
        required,
        keyword=True,
        autocomplete=Autocomplete.STATEMENTS,
        label="What it answers (a nickname)",
    )


#: `by:` on every command that logs words or a stance: whose they are, when a facilitator
#: logs what a member said aloud (the history still records who typed it).
BY = OptionSpec(
    "by",
    OptionKind.CREDIT,
    "the member who said it, when you log it for them",
    keyword=True,
)

READING = OptionSpec(
    "reading",
    OptionKind.SLUG,
    "a reading's slug (default: the channel's current reading)",
    keyword=True,
    autocomplete=Autocomplete.READINGS,
    label="Reading (a nickname)",
)
PAGE = OptionSpec(
    "page", OptionKind.INTEGER, "which page of results", keyword=True, minimum=1, maximum=10_000
)


def statement_command(kind: str, plural: str, target: str, example: str) -> CommandSpec:
    """A show-or-log command (/objection, /claim, ...): one shape, so one builder."""
    options: tuple[OptionSpec, ...] = (
        OptionSpec(
            "slug",
            OptionKind.SLUG,
            f"the {kind}'s nickname",
            True,
            autocomplete=Autocomplete(plural)
            if plural in ("claims", "objections")
            else Autocomplete.STATEMENTS,
            label="Nickname",
        ),
        TEXT_TO_LOG,
    )
    if target:
        options += (target_option(target),)
    else:
        options += (READING,)
    options += (BY,)
    return CommandSpec(
        name=kind,
        summary=f"Show the {kind} with this nickname, or log a new one",
        options=options,
        examples=example_pairs(kind, example),
        group="Show and log",
        reads=Reads.WITHOUT_TEXT,
        details=(
            f"With only a nickname, shows that {kind}. With text after it, logs a new {kind} "
            "under that nickname"
            + (f" (say what it answers with `to:`, {article(target)} {target})." if target else ".")
            + (
                " Without `to:` it answers the channel's reading as a whole."
                if kind in ANSWERS_THE_READING
                else ""
            )
            + " The first sentence becomes its title."
        ),
    )


def example_pairs(kind: str, example: str) -> tuple[tuple[str, str], ...]:
    """The two canonical examples of a show-or-log command."""
    slug = example.split()[0]
    return ((f"/{kind} {slug}", f"show the {kind} `{slug}`"), (f"/{kind} {example}", "log one"))
