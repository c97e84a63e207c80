"""The one declarative specification of every command.

What an entry is made of (options, kinds, suggestion sources) is in
`bot.commands.grammar`; the names are re-exported here for the rest of the code.
The console parser, `/help`, the README's reference and every platform adapter
(Discord slash commands, Slack slash commands and manifest) are built from
`COMMANDS`. Adding a command here, plus its service, is all it takes.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.domain import ANSWERS_THE_READING, POSITIONS, STATUSES, article

__all__ = [
    "COMMANDS",
    "COMMANDS_BY_NAME",
    "GROUPS",
    "LIST_KINDS",
    "Autocomplete",
    "CommandSpec",
    "OptionKind",
    "OptionSpec",
    "Reads",
    "example_pairs",
]

LIST_KINDS = ("claims", "objections", "replies", "supports", "all")


_SLUG = OptionSpec(
    "slug", OptionKind.SLUG, "the statement's nickname", True, autocomplete=Autocomplete.STATEMENTS
)
_TEXT_TO_LOG = OptionSpec("text", OptionKind.TEXT, "text to log a new statement with this slug")


def _target(kinds: str, required: bool = False) -> OptionSpec:
    return OptionSpec(
        "to",
        OptionKind.SLUG,
        f"the {kinds} it answers (when logging)",
        required,
        keyword=True,
        autocomplete=Autocomplete.STATEMENTS,
    )


#: `by:` on every command that logs words or a stance: whose they are, when a facilitator
#: logs what a member said aloud (the history still records who typed it).
BY = OptionSpec(
    "by",
    OptionKind.CREDIT,
    "the member who said it, when you log it for them",
    keyword=True,
)

_READING = OptionSpec(
    "reading",
    OptionKind.SLUG,
    "a reading's slug (default: the channel's current reading)",
    keyword=True,
    autocomplete=Autocomplete.READINGS,
)
_PAGE = OptionSpec(
    "page", OptionKind.INTEGER, "which page of results", keyword=True, minimum=1, maximum=10_000
)


def _statement_command(kind: str, plural: str, target: str, example: str) -> CommandSpec:
    options: tuple[OptionSpec, ...] = (
        OptionSpec(
            "slug",
            OptionKind.SLUG,
            f"the {kind}'s nickname",
            True,
            autocomplete=Autocomplete(plural)
            if plural in ("claims", "objections")
            else Autocomplete.STATEMENTS,
        ),
        _TEXT_TO_LOG,
    )
    if target:
        options += (_target(target),)
    else:
        options += (_READING,)
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


COMMANDS: tuple[CommandSpec, ...] = (
    _statement_command(
        "objection",
        "objections",
        "claim or objection",
        "evals-gap Interpretability may not scale to frontier models to:mvp-researcher",
    ),
    _statement_command(
        "claim",
        "claims",
        "",
        "open-weights Open models speed up safety research reading:alignment-optimism",
    ),
    _statement_command(
        "reply",
        "statements",
        "objection",
        "lag-answer Evaluation is easier than generation. to:lag",
    ),
    _statement_command(
        "support",
        "statements",
        "claim",
        "rlhf-works Fine-tuning visibly changed behaviour. to:easy-to-train",
    ),
    CommandSpec(
        name="steelman",
        summary="Show the strongest version of a statement, or add one",
        options=(
            _SLUG,
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
            _SLUG,
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
                _SLUG,
                OptionSpec(
                    "credence",
                    OptionKind.INTEGER,
                    "how likely you think it is true, 0-100",
                    minimum=0,
                    maximum=100,
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
            _SLUG,
            OptionSpec("status", OptionKind.WORD, "the new status", True, choices=STATUSES),
            OptionSpec(
                "of",
                OptionKind.SLUG,
                "for duplicate: the statement it duplicates",
                autocomplete=Autocomplete.STATEMENTS,
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
    CommandSpec(
        name="list",
        summary="List statements, newest first",
        options=(
            OptionSpec("kind", OptionKind.WORD, "which kind", choices=LIST_KINDS),
            OptionSpec("status", OptionKind.WORD, "only this status", choices=STATUSES),
            _READING,
            OptionSpec(
                "to",
                OptionKind.SLUG,
                "only statements answering this one",
                keyword=True,
                autocomplete=Autocomplete.STATEMENTS,
            ),
            _PAGE,
        ),
        examples=(
            ("/list objections open", "open objections"),
            ("/list replies to:lag", "replies to `lag`"),
            ("/list claims reading:alignment-optimism", "claims of one reading"),
        ),
        group="Browse",
        reads=Reads.ALWAYS,
    ),
    CommandSpec(
        name="search",
        summary="Search statements and steelmen for words",
        options=(OptionSpec("words", OptionKind.TEXT, "what to look for", True), _PAGE),
        examples=(
            ("/search interp", "no whole word `interp`: words starting with it"),
            ("/search evaluation", "statements mentioning evaluation"),
        ),
        group="Browse",
        reads=Reads.ALWAYS,
        details=(
            "Every word must match, however it ends (`capability` finds capabilities);"
            " words like what, did or about are left out. When whole words find nothing,"
            " words of four letters or more match the start of longer words. Best first:"
            " the nickname counts most, then the title. To ask in plain words, use /ask."
        ),
    ),
    CommandSpec(
        name="ask",
        summary="Ask in plain words; the statements that answer best",
        options=(OptionSpec("question", OptionKind.TEXT, "your question"),),
        examples=(
            ("/ask what was the lag objection again?", "`lag` first"),
            ("/ask what did we say about evaluation?", "`rigorous-evals` among the first"),
        ),
        reads=Reads.ALWAYS,
        group="Browse",
        details=(
            "Words like what, did, say or about are left out; the others match however"
            " they end (`capability` finds capabilities). A nickname in the question"
            " (`lag`, `blank slate`, even misspelt) counts most, and a kind hints at what"
            " is wanted: `the reply to lag`. Mentioning the bot asks the same way."
        ),
    ),
    CommandSpec(
        name="reading",
        summary="Show, add or switch to a reading (the channel's current one)",
        options=(
            OptionSpec(
                "slug",
                OptionKind.SLUG,
                "the reading's nickname",
                autocomplete=Autocomplete.READINGS,
            ),
            OptionSpec("title", OptionKind.TEXT, "its title, to add it (a URL at the end is kept)"),
        ),
        examples=(
            ("/reading", "the channel's current reading and all readings"),
            ("/reading alignment-optimism", "show it and make it the channel's current reading"),
            (
                "/reading superintelligence Superintelligence https://example.org/book",
                "add a reading",
            ),
            ("/reading superintelligence author Nick Bostrom", "set its author (or title, url)"),
        ),
        group="Browse",
        details="Claims logged in a channel belong to its current reading.",
    ),
    CommandSpec(
        name="alias",
        summary="Give a statement another nickname",
        options=(_SLUG, OptionSpec("alias", OptionKind.SLUG, "the extra nickname", True)),
        examples=(("/alias lag alignment-lag", "`alignment-lag` now finds `lag` too"),),
        group="Lifecycle",
    ),
    CommandSpec(
        name="rename",
        summary="Change a statement's nickname (the old one stays as an alias)",
        options=(_SLUG, OptionSpec("new", OptionKind.SLUG, "the new nickname", True)),
        examples=(("/rename lag capability-lag", "rename `lag`"),),
        group="Lifecycle",
        details="Only the author or a moderator may rename.",
    ),
    CommandSpec(
        name="edit",
        summary="Change a statement's text, title, quote or source",
        options=(
            _SLUG,
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
        options=(_SLUG,),
        examples=(("/delete evals-gap", "delete `evals-gap`"),),
        group="Lifecycle",
        details="Only the author or a moderator may delete.",
    ),
    CommandSpec(
        name="restore",
        summary="Bring back a deleted statement",
        options=(_SLUG,),
        examples=(("/restore evals-gap", "restore `evals-gap`"),),
        group="Lifecycle",
    ),
    CommandSpec(
        name="merge",
        summary="Merge a statement into another (stances, steelmen and replies move)",
        options=(
            _SLUG,
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
            _PAGE,
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
            _SLUG,
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
            _PAGE,
        ),
        examples=(("/contested alignment-optimism", "what to discuss next"),),
        group="Meetings",
        reads=Reads.ALWAYS,
    ),
    CommandSpec(
        name="map",
        summary="Draw the argument map of a reading or a statement",
        options=(
            OptionSpec(
                "slug",
                OptionKind.SLUG,
                "a reading or statement (default: the channel's reading)",
                autocomplete=Autocomplete.STATEMENTS,
            ),
            OptionSpec(
                "format",
                OptionKind.WORD,
                "png (default), or svg to zoom without blur",
                choices=("png", "svg"),
                keyword=True,
            ),
        ),
        examples=(
            ("/map alignment-optimism", "the whole reading"),
            ("/map lag", "`lag`, what it answers and what answers it"),
            ("/map format:svg", "the channel's reading as an SVG file"),
        ),
        group="Browse",
        details=(
            "Colours show status (the same colours as on each statement's card), arrows "
            "what attacks, answers or supports what; a legend in the picture says so."
        ),
    ),
    CommandSpec(
        name="export",
        summary="Post the map as a file: Markdown, JSON backup, Argdown or AIF",
        options=(
            OptionSpec(
                "format",
                OptionKind.WORD,
                "the file format (default: md)",
                choices=("md", "json", "argdown", "aif"),
            ),
            _READING,
        ),
        examples=(
            ("/export", "the whole map as Markdown"),
            ("/export argdown reading:alignment-optimism", "one reading for the Argdown tools"),
        ),
        group="Browse",
        reads=Reads.ALWAYS,
        details="JSON is the lossless backup that `cruxbot import` reads back.",
    ),
    CommandSpec(
        name="web",
        summary="Link to this workspace's read-only web pages (maps, statements, minutes)",
        options=(
            OptionSpec(
                "reading",
                OptionKind.SLUG,
                "a reading (default: the channel's), or revoke (moderators) to end every link",
                autocomplete=Autocomplete.READINGS,
            ),
        ),
        examples=(
            ("/web", "the channel's reading on the web (else every reading)"),
            ("/web alignment-optimism", "one reading's map and statements"),
            ("/web revoke", "moderators: every link given out so far stops working"),
        ),
        group="Browse",
        details="Anyone with the link can read the pages, never change anything. "
        "/web revoke replaces the workspace's link; the old one answers 404.",
    ),
    CommandSpec(
        name="import",
        summary="Load a reading pack into this workspace",
        options=(OptionSpec("pack", OptionKind.WORD, "which pack", True, choices=("demo",)),),
        examples=(("/import demo", "load the demo reading and its discussion"),),
        group="Browse",
        moderator_only=True,
    ),
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

COMMANDS_BY_NAME: dict[str, CommandSpec] = {command.name: command for command in COMMANDS}
GROUPS: tuple[str, ...] = ("Show and log", "Stances", "Meetings", "Browse", "Lifecycle", "Help")
