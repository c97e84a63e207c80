"""The commands about the member and the bot itself: /forget-me and /help."""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="forget-me",
        summary="Remove what you wrote here and your stances (asks you to confirm)",
        options=(
            OptionSpec(
                "confirm", OptionKind.WORD, "type confirm to go ahead", choices=("confirm",)
            ),
            OptionSpec(
                "member", OptionKind.MEMBER, "moderators: a member who has left", keyword=True
            ),
        ),
        examples=(("/forget-me", "see what would be removed"), ("/forget-me confirm", "remove it")),
        group="Lifecycle",
        details="Statements and steelmen are deleted (or anonymised, if the host set "
        "FORGET_MODE=anonymise); stances and cruxes are deleted; the history is scrubbed.",
    ),
    CommandSpec(
        name="help",
        summary="List the commands, or explain one",
        options=(
            OptionSpec(
                "command", OptionKind.WORD, "a command name", autocomplete=Autocomplete.COMMANDS
            ),
        ),
        examples=(("/help", "all commands"), ("/help objection", "how /objection works")),
        group="Help",
    ),
)
