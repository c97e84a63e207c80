"""The commands that rename, edit, delete, merge or undo what was logged, and show its history.

They all act on the revision log, so the rules about who may change what are
read side by side.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.commands.spec.options import PAGE, SLUG

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="alias",
        summary="Give a statement another nickname",
        options=(SLUG, OptionSpec("alias", OptionKind.SLUG, "the extra nickname", True)),
        examples=(("/alias lag alignment-lag", "`alignment-lag` now finds `lag` too"),),
        group="Lifecycle",
    ),
    CommandSpec(
        name="rename",
        summary="Change a statement's nickname (the old one stays as an alias)",
        options=(SLUG, OptionSpec("new", OptionKind.SLUG, "the new nickname", True)),
        examples=(("/rename lag capability-lag", "rename `lag`"),),
        group="Lifecycle",
        details="Only the author or a moderator may rename.",
    ),
    CommandSpec(
        name="edit",
        summary="Change a statement's text, title, quote or source",
        options=(
            SLUG,
            OptionSpec(
                "field",
                OptionKind.WORD,
                "what to change",
                True,
                choices=("text", "title", "quote", "url", "page"),
            ),
            OptionSpec("value", OptionKind.TEXT, "the new value", True),
        ),
        examples=(
            ("/edit lag text Alignment may fall behind capabilities.", "replace the text"),
            ("/edit lag title Alignment lags capabilities", "replace the title"),
        ),
        group="Lifecycle",
        details="Only the author or a moderator may edit. Every version is kept in /history.",
    ),
    CommandSpec(
        name="delete",
        summary="Delete a statement (it can be restored)",
        options=(SLUG,),
        examples=(("/delete evals-gap", "delete `evals-gap`"),),
        group="Lifecycle",
        details="Only the author or a moderator may delete.",
    ),
    CommandSpec(
        name="restore",
        summary="Bring back a deleted statement",
        options=(SLUG,),
        examples=(("/restore evals-gap", "restore `evals-gap`"),),
        group="Lifecycle",
    ),
    CommandSpec(
        name="merge",
        summary="Merge a statement into another (stances, steelmen and replies move)",
        options=(
            SLUG,
            OptionSpec(
                "into",
                OptionKind.SLUG,
                "the statement that stays",
                True,
                autocomplete=Autocomplete.STATEMENTS,
            ),
        ),
        examples=(("/merge alignment-lag-2 lag", "fold a duplicate into `lag`"),),
        group="Lifecycle",
        details="The merged nickname becomes an alias of the one that stays. /undo reverts it.",
    ),
    CommandSpec(
        name="history",
        summary="Show the changes to a statement, or the latest in this workspace",
        options=(
            OptionSpec(
                "slug", OptionKind.SLUG, "the statement", autocomplete=Autocomplete.STATEMENTS
            ),
            PAGE,
        ),
        examples=(("/history lag", "every change to `lag`"), ("/history", "recent changes")),
        group="Lifecycle",
        reads=Reads.ALWAYS,
    ),
    CommandSpec(
        name="undo",
        summary="Undo your last change (moderators: the last change to a statement)",
        options=(
            OptionSpec(
                "slug",
                OptionKind.SLUG,
                "undo the last change to this statement",
                autocomplete=Autocomplete.STATEMENTS,
            ),
        ),
        examples=(
            ("/undo", "undo your last change"),
            ("/undo lag", "undo the last change to `lag`"),
        ),
        group="Lifecycle",
    ),
)
