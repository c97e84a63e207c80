"""The commands that find statements without changing any: /list, /search, /ask, /reading.

Every one of them only reads, which is why they sit together.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.commands.spec.options import LIST_KINDS, PAGE, READING
from bot.domain import STATUSES

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        name="list",
        summary="List statements, newest first",
        options=(
            OptionSpec("kind", OptionKind.WORD, "which kind", choices=LIST_KINDS),
            OptionSpec("status", OptionKind.WORD, "only this status", choices=STATUSES),
            READING,
            OptionSpec(
                "to",
                OptionKind.SLUG,
                "only statements answering this one",
                keyword=True,
                autocomplete=Autocomplete.STATEMENTS,
            ),
            PAGE,
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
        options=(OptionSpec("words", OptionKind.TEXT, "what to look for", True), PAGE),
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
)
