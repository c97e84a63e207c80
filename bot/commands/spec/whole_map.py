"""The commands on the workspace's map as a whole: draw it, export it, link it, import one.

They read or write files and pages, not a single statement.
"""

from __future__ import annotations

from bot.commands.grammar import Autocomplete, CommandSpec, OptionKind, OptionSpec, Reads
from bot.commands.spec.options import READING

COMMANDS: tuple[CommandSpec, ...] = (
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
            READING,
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
)
