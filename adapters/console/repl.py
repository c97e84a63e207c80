"""The console adapter: an interactive REPL, or one command per line from a pipe.

When stdin is a terminal, it offers a prompt with line editing and a history
file. Otherwise it reads one command per line and prints each reply as plain
text followed by a blank line, then exits 0: scripts and checks rely on this.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_path

from adapters.console.web import ConsoleWeb
from bot.app import Cruxbot
from bot.config import Settings
from bot.context import Caller
from bot.packs.loader import DEMO_PACK, load_pack
from bot.render.reply import Reply
from bot.render.text import render_text

PROMPT = "cruxbot> "
QUIT_WORDS = {"quit", "exit", "/quit", "/exit"}
BANNER = (
    "Cruxbot console: type commands as in chat, e.g. /objection lag or /help. "
    "Ctrl-D or /quit leaves."
)


def console_caller() -> Caller:
    """The console's single member: the local user, a moderator of their own map."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "you"
    return Caller(
        platform="console",
        workspace_id="local",
        workspace_name="Console",
        user_id=f"console:{user}",
        user_name=user,
        channel_id="console",
        is_moderator=True,
    )


async def load_demo(app: Cruxbot, caller: Caller) -> str:
    """Load the demo pack into the console workspace (a no-op if it is there)."""
    reply = await app.import_pack(load_pack(DEMO_PACK), caller)
    return render_text(reply)


async def run_lines(
    app: Cruxbot, lines: TextIO, out: TextIO, caller: Caller, web: ConsoleWeb | None = None
) -> None:
    """Answer one command per input line; blank lines and `#` comments are skipped."""
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.strip().lower() in QUIT_WORDS:
            break
        if web is not None:
            await web.before(line)
        reply = await app.handle_line(line, caller)
        out.write(render_reply(reply) + "\n\n")
        out.flush()


def saved_files_dir() -> Path:
    """Where the console saves files a reply carries (exports, map images)."""
    return user_data_path("cruxbot") / "files"


def render_reply(reply: Reply) -> str:
    """The reply as text; a file it carries is saved and its path printed."""
    text = render_text(reply)
    if reply.attachment is not None:
        folder = saved_files_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stem, dot, extension = reply.attachment.filename.partition(".")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stem}-{stamp}{dot}{extension}"
        path.write_bytes(reply.attachment.content)
        text += f"\n\nSaved {reply.attachment.description or 'the file'} to {path}"
    return text


def _history_file() -> Path:
    path = user_data_path("cruxbot") / "console_history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


async def run_interactive(app: Cruxbot, caller: Caller, web: ConsoleWeb | None = None) -> None:
    """A prompt with line editing and persistent history (where readline exists)."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        readline = None  # type: ignore[assignment]
    history = _history_file()
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    print(BANNER)
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, PROMPT)
            except EOFError:
                print()
                break
            except KeyboardInterrupt:
                print()
                continue
            if line.strip().lower() in QUIT_WORDS:
                break
            if not line.strip():
                continue
            if web is not None:
                await web.before(line)
            print(render_reply(await app.handle_line(line, caller)) + "\n")
    finally:
        if readline is not None:
            readline.set_history_length(1000)
            with contextlib.suppress(OSError):
                readline.write_history_file(history)


async def run_console(settings: Settings, demo: bool) -> int:
    """Open the database (migrating it), optionally load the demo, then converse."""
    app = await settings.open_app()
    caller = console_caller()
    web = ConsoleWeb(app, settings)
    try:
        if demo:
            message = await load_demo(app, caller)
            if sys.stdin.isatty():
                print(message)
        if sys.stdin.isatty():
            await run_interactive(app, caller, web)
        else:
            await run_lines(app, sys.stdin, sys.stdout, caller, web)
    finally:
        await web.close()
        await app.close()
    return 0
