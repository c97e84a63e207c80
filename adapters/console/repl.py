"""The console adapter: an interactive prompt, or one command per line from a pipe.

When stdin and stdout are a terminal, it offers a prompt with completion,
history and formatting (adapters.console.terminal). Otherwise it reads one command per
line and prints each reply as plain text followed by a blank line, then exits
0: scripts and checks rely on this. Both understand the console-only `/as
NAME` (adapters.console.members).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_path
from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText

from adapters.console.members import CONSOLE_HELP, Acting, own_caller
from adapters.console.terminal import PROMPT, colour_wanted, formatted, new_session, printer
from adapters.console.web import ConsoleWeb
from adapters.settings import Settings
from bot.app import Cruxbot
from bot.context import Caller
from bot.packs.loader import DEMO_PACK, load_pack
from bot.render.reply import Reply
from bot.render.text import render_text

QUIT_WORDS = {"quit", "exit", "/quit", "/exit"}
BANNER = (
    "Cruxbot console: type commands as in chat, e.g. /objection lag or /help. "
    "Tab completes; Ctrl-D or /quit leaves."
)


def console_caller() -> Caller:
    """The console's own member: the local user, a moderator of their own map."""
    return own_caller()


async def load_demo(app: Cruxbot, caller: Caller) -> str:
    """Load the demo pack into the console workspace (a no-op if it is there)."""
    reply = await app.import_pack(load_pack(DEMO_PACK), caller)
    return render_text(reply)


async def answer(app: Cruxbot, acting: Acting, line: str, web: ConsoleWeb | None = None) -> Reply:
    """The reply to one typed line: `/as` is the console's own, the rest the core's."""
    command, _, rest = line.strip().partition(" ")
    if command.lower() == "/as":
        return acting.switch(rest)
    if web is not None:
        await web.before(line)
    reply = await app.handle_line(line, acting.caller)
    if command.lower() == "/help" and not rest.strip():
        reply = replace(reply, footer="\n\n".join(p for p in (reply.footer, CONSOLE_HELP) if p))
    return reply


async def run_lines(
    app: Cruxbot, lines: TextIO, out: TextIO, acting: Acting, web: ConsoleWeb | None = None
) -> None:
    """Answer one command per input line; blank lines and `#` comments are skipped."""
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.strip().lower() in QUIT_WORDS:
            break
        reply = await answer(app, acting, line, web)
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


async def run_interactive(
    app: Cruxbot,
    acting: Acting,
    session: PromptSession[str] | None = None,
    write: Callable[[FormattedText], None] | None = None,
    web: ConsoleWeb | None = None,
) -> None:
    """Prompt, answer, repeat, until Ctrl-D or /quit; Ctrl-C only clears the line.

    `session` and `write` default to the terminal; tests pass a pipe and a buffer.
    """
    session = session or new_session(app, acting)
    write = write or printer()
    colour = colour_wanted()
    write(FormattedText([("", BANNER)]))
    while True:
        try:
            line = await session.prompt_async(PROMPT)
        except EOFError:
            break
        except KeyboardInterrupt:  # Ctrl-C: the line is dropped, the console stays
            continue
        if line.strip().lower() in QUIT_WORDS:
            break
        if not line.strip():
            continue
        reply = await answer(app, acting, line, web)
        write(formatted(render_reply(reply), reply, colour))
        write(FormattedText([("", "")]))


async def run_console(settings: Settings, demo: bool, as_name: str | None = None) -> int:
    """Open the database (migrating it), optionally load the demo, then converse."""
    me = console_caller()
    acting = Acting(me=me, caller=me)
    if as_name is not None:
        switched = acting.switch(as_name)
        if switched.error:
            print(
                f"cruxbot: --as: {render_text(switched).removeprefix('Error: ')}", file=sys.stderr
            )
            return 2
    # A person at a terminal gets the prompt; when either end is a pipe or a
    # file, every reply is plain text, as scripts expect.
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    app = await settings.open_app()
    web = ConsoleWeb(app, settings)
    try:
        if demo:
            message = await load_demo(app, me)
            if interactive:
                print(message)
        if interactive:
            await run_interactive(app, acting, web=web)
        else:
            await run_lines(app, sys.stdin, sys.stdout, acting, web)
    finally:
        await web.close()
        await app.close()
    return 0
