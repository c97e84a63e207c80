"""The commands on one statement: show or log it, steelman it, take a stance, set its status.

They share one shape (a nickname first, then text or a judgement on it), so
they are read and changed together.
"""

from __future__ import annotations

from bot.commands.grammar import (
    Autocomplete,
    CommandSpec,
    OptionKind,
    OptionSpec,
    Reads,
    RequiredWhen,
)
from bot.commands.spec.options import BY, SLUG, statement_command
from bot.domain import POSITIONS, STATUSES

COMMANDS: tuple[CommandSpec, ...] = (
    statement_command(
        "objection",
        "objections",
        "claim or objection",
        "evals-gap Interpretability may not scale to frontier models to:mvp-researcher",
    ),
    statement_command(
        "claim",
        "claims",
        "",
        "open-weights Open models speed up safety research reading:alignment-optimism",
    ),
    statement_command(
        "reply",
        "statements",
        "objection",
        "lag-answer Evaluation is easier than generation. to:lag",
    ),
    statement_command(
        "support",
        "statements",
        "claim",
        "rlhf-works Fine-tuning visibly changed behaviour. to:easy-to-train",
    ),
    CommandSpec(
        name="steelman",
        summary="Show the strongest version of a statement, or add one",
        options=(
            SLUG,
            OptionSpec("text", OptionKind.TEXT, "a stronger formulation to add"),
            BY,
        ),
        examples=(
            ("/steelman blank-slate", "show the best steelman of `blank-slate`"),
            (
                "/steelman lag Even if alignment keeps pace on average, one bad lag is enough.",
                "add a steelman",
            ),
        ),
        group="Show and log",
        reads=Reads.WITHOUT_TEXT,
        details=(
            "The best steelman is one the statement's author endorsed, else the newest. "
            "The author endorses one with /endorse."
        ),
    ),
    CommandSpec(
        name="endorse",
        summary="As a statement's author, endorse a steelman as your view",
        options=(
            SLUG,
            OptionSpec(
                "number",
                OptionKind.INTEGER,
                "the steelman's number",
                True,
                minimum=1,
                maximum=10_000,
            ),
        ),
        examples=(("/endorse lag 2", "say steelman #2 of `lag` states your view"),),
        group="Show and log",
        details="Passing the ideological Turing test: only the statement's author can endorse.",
    ),
    *(
        CommandSpec(
            name=position,
            summary=f"Record that you {position} with a statement"
            if position != "unsure"
            else "Record that you are unsure about a statement",
            options=(
                SLUG,
                OptionSpec(
                    "credence",
                    OptionKind.INTEGER,
                    "how likely you think it is true, 0-100",
                    minimum=0,
                    maximum=100,
                    label="Credence (0-100)",
                ),
                BY,
            ),
            examples=(
                (f"/{position} lag", f"record that you {position}"),
                (f"/{position} lag {credence}", f"…with a credence of {credence}%"),
            ),
            group="Stances",
            details="Each member has one stance per statement; a new one replaces the old. "
            "A credence is how likely you think the statement is true: above 50 to agree, "
            "below 50 to disagree.",
        )
        for position, credence in zip(POSITIONS, (80, 20, 50), strict=True)
    ),
    CommandSpec(
        name="status",
        summary="Change a statement's status",
        options=(
            SLUG,
            OptionSpec("status", OptionKind.WORD, "the new status", True, choices=STATUSES),
            OptionSpec(
                "of",
                OptionKind.SLUG,
                "for duplicate: the statement it duplicates",
                autocomplete=Autocomplete.STATEMENTS,
                label="Duplicate of (a nickname)",
                required_when=RequiredWhen(
                    "status",
                    "duplicate",
                    "Say which statement it duplicates, e.g. /status lag duplicate endgame.",
                ),
            ),
            OptionSpec("because", OptionKind.TEXT, "why (because …), for the minutes"),
        ),
        examples=(
            ("/status lag answered", "mark `lag` as answered"),
            ("/status lag duplicate endgame", "mark `lag` as a duplicate of `endgame`"),
            ("/status lag conceded because Priya accepted the reply", "…and say why"),
        ),
        group="Lifecycle",
        details="Only the author or a moderator may change a status.",
    ),
)
