"""The `cruxbot` command line: where the process is put together.

It validates settings before anything connects (a bad setting stops with one
line naming it and exit status 2), then starts the console, the chat adapters
or a maintenance task. Adapters are imported only when chosen, so the console
starts without loading any chat platform library.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeAlias

from adapters.settings import Settings, SettingsError, parse_shards
from bot import __version__
from bot.context import Caller
from bot.errors import UserError
from bot.logs import setup_logging
from bot.render.text import render_text
from bot.storage import migrate
from bot.storage.database import create_engine


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cruxbot",
        description="A discussion bot for reading groups: claims, objections, replies, steelmen.",
    )
    parser.add_argument("--version", action="version", version=f"cruxbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_console(commands)
    _add_maintenance(commands)
    _add_serve(commands)
    _add_setup(commands)
    return parser


#: What --db says on every subcommand that opens the database.
DB_HELP = "database URL (default: DATABASE_URL, else a SQLite file in your data directory)"
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_console(commands: Subcommands) -> None:
    """`cruxbot console`: chat in this terminal."""
    console = commands.add_parser("console", help="chat with Cruxbot in this terminal")
    console.add_argument("--db", metavar="URL", help=DB_HELP)
    console.add_argument("--demo", action="store_true", help="load the demo reading pack first")
    console.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help="act as member NAME (a facilitator logging for others); /as NAME switches later",
    )


def _add_maintenance(commands: Subcommands) -> None:
    """`migrate`, `export` and `import`: the host's work on the database itself."""
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.add_argument("--db", metavar="URL", help=DB_HELP)

    workspace_help = "the workspace (default: console:local, the console's)"
    exporter = commands.add_parser("export", help="write the map to stdout in an open format")
    exporter.add_argument("--format", required=True, choices=["md", "json", "argdown", "aif"])
    exporter.add_argument("--reading", metavar="SLUG", help="only this reading")
    exporter.add_argument("--db", metavar="URL", help=DB_HELP)
    exporter.add_argument(
        "--workspace", default="console:local", metavar="PLATFORM:ID", help=workspace_help
    )

    importer = commands.add_parser(
        "import",
        help="load a JSON export, a reading pack (YAML), an Argdown file or a Kialo text export",
    )
    importer.add_argument("file", type=Path, help="the file to import")
    importer.add_argument("--db", metavar="URL", help=DB_HELP)
    importer.add_argument(
        "--workspace",
        default="console:local",
        metavar="PLATFORM:ID",
        help=workspace_help,
    )


def _add_serve(commands: Subcommands) -> None:
    """`cruxbot serve`: the chat adapters and the web view, and their Discord shards."""
    serve = commands.add_parser(
        "serve", help="run the Discord and/or Slack adapters, or the web view alone"
    )
    serve.add_argument(
        "platforms",
        nargs="*",
        choices=[[], "discord", "slack", "web"],
        metavar="PLATFORM",
        help="discord, slack or both (default: both; the web view is served with them); "
        "web: only the web view, no chat tokens needed",
    )
    serve.add_argument("--db", metavar="URL", help=DB_HELP)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load the demo reading into each workspace the first time it is seen",
    )
    serve.add_argument(
        "--host", help="HTTP address for /healthz and Slack (default: HOST or 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, help="HTTP port (default: PORT or 8080)")
    serve.add_argument(
        "--shard-ids",
        metavar="N,N",
        help="Discord shards this process runs, e.g. 0,1 (default: DISCORD_SHARD_IDS, else all)",
    )
    serve.add_argument(
        "--shard-count",
        metavar="N",
        help="total Discord shards across all processes (default: DISCORD_SHARD_COUNT)",
    )


def _add_setup(commands: Subcommands) -> None:
    """`cruxbot discord …` and `cruxbot slack …`: setting an app up on each platform."""
    discord = commands.add_parser("discord", help="Discord set-up tasks")
    discord_tasks = discord.add_subparsers(dest="task", required=True, metavar="TASK")
    sync = discord_tasks.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="register in one guild (instant, for testing) instead of globally",
    )
    invite = discord_tasks.add_parser("invite-url", help="print the link that adds the bot")
    invite.add_argument(
        "--client-id", metavar="ID", help="the application id (default: read from DISCORD_TOKEN)"
    )

    slack = commands.add_parser("slack", help="Slack set-up tasks")
    slack_tasks = slack.add_subparsers(dest="task", required=True, metavar="TASK")
    manifest = slack_tasks.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument(
        "--http-url", metavar="URL", help="public base URL for HTTP mode (default: Socket Mode)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `cruxbot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        unknown = [p for p in args.platforms if p not in ("discord", "slack", "web")]
        if unknown:
            parser.error(f"unknown platform {unknown[0]!r}: choose discord, slack, both or web")
    try:
        settings = Settings.load(getattr(args, "db", None))
        if args.command == "serve":
            chosen = list(dict.fromkeys(args.platforms)) or ["discord", "slack"]
            args.platforms = [p for p in chosen if p != "web"]  # the web view always runs
            settings = replace(
                settings,
                host=args.host or settings.host,
                port=args.port if args.port is not None else settings.port,
            )
            settings = _with_shards(settings, args.shard_ids, args.shard_count)
            settings.require_for(args.platforms)
        elif args.command == "discord" and args.task == "sync":
            settings.require_for(["discord"])
    except SettingsError as exc:
        print(f"cruxbot: {exc}", file=sys.stderr)
        return 2
    setup_logging_for(settings, serving=args.command == "serve")
    try:
        return asyncio.run(_dispatch(args, settings))
    except SettingsError as exc:  # found only on connecting, e.g. a token the platform refused
        print(f"cruxbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def setup_logging_for(settings: Settings, *, serving: bool) -> None:
    """Logging as configured: LOG_FORMAT, and LOG_LEVEL for `cruxbot serve`.

    Other commands (the console, import, export) print their results on
    stdout and log only warnings and errors, or less if LOG_LEVEL says so.
    Every platform's secrets are redacted, so it is set up here, where they
    are all known, not in the core.
    """
    level = logging.getLevelNamesMapping()[settings.log_level]
    secrets = (
        settings.slack_bot_token,
        settings.slack_app_token,
        settings.slack_signing_secret,
        settings.discord_token,
    )
    setup_logging(
        settings.log_format,
        level if serving else max(level, logging.WARNING),
        secrets=secrets,
    )


def _with_shards(settings: Settings, ids: str | None, count: str | None) -> Settings:
    """`--shard-ids`/`--shard-count` win over DISCORD_SHARD_IDS/_COUNT, validated together."""
    if ids is None and count is None:
        return settings
    shard_ids, shard_count = parse_shards(
        ids if ids is not None else ",".join(map(str, settings.discord_shard_ids)),
        count if count is not None else str(settings.discord_shard_count or ""),
        "--shard-ids" if ids is not None else "DISCORD_SHARD_IDS",
        "--shard-count" if count is not None else "DISCORD_SHARD_COUNT",
    )
    return replace(settings, discord_shard_ids=shard_ids, discord_shard_count=shard_count)


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "console":
        from adapters.console.repl import run_console

        return await run_console(settings, args.demo, args.as_name)
    if args.command == "migrate":
        return await _migrate(settings)
    if args.command == "export":
        return await _export(args, settings)
    if args.command == "serve":
        from cruxbot.serve import serve

        return await serve(args.platforms, settings, args.demo)
    if args.command == "discord":
        from adapters.discord import cli as discord_cli

        if args.task == "sync":
            return await discord_cli.sync(settings, args.guild)
        return await discord_cli.invite_url(settings, args.client_id)
    if args.command == "slack":
        from adapters.slack import cli as slack_cli

        return await slack_cli.manifest(settings, args.http_url)
    return await _import(args.file, args.workspace, settings)


async def _migrate(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    print("Database schema is up to date.")
    return 0


def _workspace_caller(workspace: str, user: str) -> Caller | None:
    platform, _, external_id = workspace.partition(":")
    if not platform or not external_id:
        print("cruxbot: --workspace must look like PLATFORM:ID, e.g. discord:1234", file=sys.stderr)
        return None
    return Caller(
        platform=platform,
        workspace_id=external_id,
        user_id="cli",
        user_name=user,
        is_moderator=True,
        is_operator=True,
    )


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    caller = _workspace_caller(args.workspace, "cruxbot export")
    if caller is None:
        return 2
    app = await settings.open_app()
    try:
        _, text = await app.export_text(args.format, args.reading, caller)
    except UserError as exc:
        print(f"cruxbot: {exc.message}", file=sys.stderr)
        return 1
    finally:
        await app.close()
    sys.stdout.write(text)
    return 0


async def _import(path: Path, workspace: str, settings: Settings) -> int:
    caller = _workspace_caller(workspace, "cruxbot import")
    if caller is None:
        return 2
    try:
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        print(f"cruxbot: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    app = await settings.open_app()
    try:
        reply = await app.import_file(path.name, content, caller)
    finally:
        await app.close()
    print(render_text(reply), file=sys.stderr if reply.error else sys.stdout)
    return 1 if reply.error else 0
