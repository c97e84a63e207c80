"""The console for a person at a terminal: completion, history, Ctrl-C, formatting.

prompt_toolkit gives the prompt what a shell has: Tab completes commands,
option names and nicknames (adapters.console.completion), Up and Ctrl-R
search the commands of earlier sessions (kept in `console_history` in the
user's data directory, see `history_path`), and Ctrl-C clears the line being
typed rather than leaving. Replies show the core's Markdown as the terminal
can: **bold** in bold, `code` in colour, and with NO_COLOR set
(https://no-color.org) without colour, the backquotes kept so a nickname
still stands out. Piped input never comes here: adapters.console.repl answers
it as plain text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_data_path
from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from adapters.console.completion import ConsoleCompleter
from adapters.console.members import Acting
from bot.app import Cruxbot
from bot.render.reply import Reply

PROMPT = "cruxbot> "
STYLE = Style.from_dict({"code": "ansicyan", "title": "bold", "error": "ansired bold"})
_INLINE = re.compile(r"\*\*(?P<bold>[^*\n]+?)\*\*|`(?P<code>[^`\n]+)`")

Write = Callable[[FormattedText], None]


def history_path() -> Path:
    """Where the console keeps typed commands between sessions."""
    path = user_data_path("cruxbot") / "console_history"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def colour_wanted() -> bool:
    """False when NO_COLOR is set to anything but the empty string."""
    return not os.environ.get("NO_COLOR")


def formatted(text: str, reply: Reply | None = None, colour: bool = True) -> FormattedText:
    """`text` (a reply as render_text wrote it) with its Markdown as terminal styles.

    Only the core's own inline marks are read: bold and code. The title (the
    first line when the reply has one) is bold and an error's "Error:" red.
    """
    pieces: list[tuple[str, str]] = []
    if reply is not None and reply.title and text.startswith(reply.title):
        pieces += _inline(reply.title, "class:title", colour)
        text = text[len(reply.title) :]
    elif reply is not None and reply.error and text.startswith("Error: "):
        pieces.append(("class:error", "Error: "))
        text = text[len("Error: ") :]
    pieces += _inline(text, "", colour)
    return FormattedText([piece for piece in pieces if piece[1]])


def _inline(text: str, base: str, colour: bool) -> list[tuple[str, str]]:
    """Pieces of `text` styled `base`, bold or code as its marks say."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for found in _INLINE.finditer(text):
        pieces.append((base, text[position : found.start()]))
        if found.group("bold") is not None:
            pieces.append((f"{base} bold", found.group("bold")))
        elif colour:
            pieces.append((f"{base} class:code", found.group("code")))
        else:
            pieces.append((base, found.group()))
        position = found.end()
    pieces.append((base, text[position:]))
    return pieces


def printer(output: Output | None = None) -> Write:
    """Print formatted text to `output` (the terminal by default), in the console's style."""

    def write(text: FormattedText) -> None:
        print_formatted_text(text, style=STYLE, output=output)

    return write


def new_session(
    app: Cruxbot, acting: Acting, input: Input | None = None, output: Output | None = None
) -> PromptSession[str]:
    """The prompt: history from earlier sessions, Tab completion as the current member.

    `input` and `output` default to the terminal (tests pass a pipe and a dummy).
    """
    return PromptSession(
        history=FileHistory(str(history_path())),
        completer=ConsoleCompleter(app, lambda: acting.caller),
        complete_while_typing=False,
        input=input,
        output=output,
    )
