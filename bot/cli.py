"""The `cruxbot` command line: console, migrate and import.

Settings are validated before anything connects: a bad DATABASE_URL stops with
one line naming it and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.config import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cruxbot",
        description="A discussion bot for reading groups: claims, objections, replies, steelmen.",
    )
    parser.add_argument("--version", action="version", version=f"cruxbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db_help = "database URL (default: DATABASE_URL, else a SQLite file in your data directory)"
    console = commands.add_parser("console", help="chat with Cruxbot in this terminal")
    console.add_argument("--db", metavar="URL", help=db_help)
    console.add_argument("--demo", action="store_true", help="load the demo reading pack first")

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--db", metavar="URL", help=db_help)

    importer = commands.add_parser("import", help="load a reading pack (YAML) into a workspace")
    importer.add_argument("file", type=Path, help="the pack file")
    importer.add_argument("--db", metavar="URL", help=db_help)
    importer.add_argument(
        "--workspace",
        default="console:local",
        metavar="PLATFORM:ID",
        help="the workspace to load into (default: console:local, the console's)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `cruxbot` script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load(args.db)
    except SettingsError as exc:
        print(f"cruxbot: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_dispatch(args, settings))
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "console":
        from adapters.console.repl import run_console

        return await run_console(settings.database_url, args.demo)
    if args.command == "migrate":
        return await _migrate(settings)
    return await _import(args.file, args.workspace, settings)


async def _migrate(settings: Settings) -> int:
    from bot.storage import migrate
    from bot.storage.database import create_engine

    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    print("Database schema is up to date.")
    return 0


async def _import(path: Path, workspace: str, settings: Settings) -> int:
    from bot.app import Cruxbot
    from bot.context import Caller
    from bot.errors import UserError
    from bot.packs.loader import load_pack
    from bot.render.text import render_text

    platform, _, external_id = workspace.partition(":")
    if not platform or not external_id:
        print("cruxbot: --workspace must look like PLATFORM:ID, e.g. discord:1234", file=sys.stderr)
        return 2
    try:
        pack = load_pack(path)
    except UserError as exc:
        print(f"cruxbot: {exc.message}", file=sys.stderr)
        return 1
    app = await Cruxbot.open(settings.database_url)
    try:
        caller = Caller(
            platform=platform,
            workspace_id=external_id,
            user_id="cli",
            user_name="cruxbot import",
            is_moderator=True,
        )
        reply = await app.import_pack(pack, caller)
    finally:
        await app.close()
    print(render_text(reply), file=sys.stderr if reply.error else sys.stdout)
    return 1 if reply.error else 0
