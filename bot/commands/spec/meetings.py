"""The facilitator's commands: a meeting, its cruxes, actions and decisions.

They write to the meeting record and its minutes, not to single statements.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.commands.spec.options import BY, PAGE, SLUG

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="meeting",
        summary="Start or end a meeting in this channel, or show its minutes",
        options=(
            OptionSpec(
                "action",
                OptionKind.WORD,
                "what to do (default: status)",
                choices=("start", "end", "minutes", "status"),
            ),
            OptionSpec(
                "number",
                OptionKind.INTEGER,
                "for minutes: which meeting",
                minimum=1,
                maximum=2_000_000_000,
            ),
            OptionSpec(
                "reading",
                OptionKind.SLUG,
                "for start: the reading discussed",
                autocomplete=Autocomplete.READINGS,
            ),
        ),
        examples=(
            ("/meeting start alignment-optimism", "open a meeting on a reading"),
            ("/meeting end", "close it and post the minutes"),
            ("/meeting minutes", "while it is open: the draft minutes so far"),
            ("/meeting minutes 3", "show the minutes of meeting 3 again"),
        ),
        group="Meetings",
        details="Everything logged in the channel while a meeting is open belongs to it. "
        "A meeting left open too long is closed automatically.",
    ),
    CommandSpec(
        name="crux",
        summary="Name a belief that would change your mind on a statement",
        options=(
            SLUG,
            OptionSpec(
                "belief",
                OptionKind.SLUG,
                "the belief it hinges on",
                True,
                autocomplete=Autocomplete.STATEMENTS,
            ),
            OptionSpec(
                "text",
                OptionKind.TEXT,
                "why (because …), or text to log the belief as a new claim",
            ),
            BY,
        ),
        examples=(
            ("/crux lag rigorous-evals", "if `rigorous-evals` were false, you'd change your mind"),
            (
                "/crux lag rigorous-evals because evals would catch the lag",
                "…and say why",
            ),
            (
                "/crux lag evals-keep-pace Evaluation keeps pace with capabilities.",
                "log the belief as a claim and name it",
            ),
        ),
        group="Meetings",
        details="Two members on opposite sides of a statement naming the same belief make a "
        "double crux: Cruxbot says so.",
    ),
    CommandSpec(
        name="cruxes",
        summary="List the cruxes named, double cruxes marked",
        options=(
            OptionSpec(
                "slug",
                OptionKind.SLUG,
                "only this statement's",
                autocomplete=Autocomplete.STATEMENTS,
            ),
        ),
        examples=(("/cruxes lag", "cruxes of `lag`"),),
        group="Meetings",
        reads=Reads.ALWAYS,
    ),
    CommandSpec(
        name="action",
        summary="Record an action someone will take, or close one (action done N)",
        options=(OptionSpec("text", OptionKind.TEXT, "what will be done, or: done N", True), BY),
        examples=(
            ("/action Write up the evals argument by:@ann", "an action for a member"),
            ("/action done 3", "action #3 is done"),
        ),
        group="Meetings",
        details="Actions taken in a meeting are listed in its minutes; /actions lists the "
        "open ones across meetings.",
    ),
    CommandSpec(
        name="decision",
        summary="Record what the group decided",
        options=(OptionSpec("text", OptionKind.TEXT, "what was decided", True), BY),
        examples=(("/decision Next week we read the rebuttal", "record a decision"),),
        group="Meetings",
        details="Decisions taken in a meeting are listed in its minutes.",
    ),
    CommandSpec(
        name="actions",
        summary="List the open actions across meetings",
        options=(),
        examples=(("/actions", "what is still to be done"),),
        group="Meetings",
        reads=Reads.ALWAYS,
    ),
    CommandSpec(
        name="contested",
        summary="Statements with the most evenly split stances first",
        options=(
            OptionSpec(
                "reading",
                OptionKind.SLUG,
                "only this reading's",
                autocomplete=Autocomplete.READINGS,
            ),
            PAGE,
        ),
        examples=(("/contested alignment-optimism", "what to discuss next"),),
        group="Meetings",
        reads=Reads.ALWAYS,
    ),
)
