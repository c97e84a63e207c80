"""The console a person types into: completion, history, Ctrl-C, formatting, NO_COLOR.

The prompt is driven as a terminal would drive it, keys through prompt_toolkit's
pipe input; what a person would see is what the console writes. Piped input
(tests/test_cli.py, tests/test_conformance_console.py) stays plain text.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.data_structures import Size
from prompt_toolkit.formatted_text import FormattedText, to_plain_text
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from adapters.console.completion import suggestions
from adapters.console.members import Acting
from adapters.console.repl import console_caller, run_interactive
from adapters.console.terminal import (
    colour_wanted,
    formatted,
    history_path,
    new_session,
    printer,
)
from bot.app import Cruxbot
from bot.render.reply import Reply

TAB, CTRL_C, CTRL_D, UP, ENTER = "\t", "\x03", "\x04", "\x1b[A", "\r"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory of the test's own, for the history file and saved maps."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@dataclass(frozen=True)
class Shows:
    """A pause in typing until the line being edited reads `text`, as a person would wait."""

    text: str


async def type_keys(app: Cruxbot, *bursts: str | Shows) -> str:
    """Run the interactive console on these keystrokes; what it printed, as plain text.

    A `Shows` waits for the prompt to catch up (a completion asks the
    database, history loads in the background) before the next keys.
    """
    printed: list[FormattedText] = []
    acting = Acting(me=console_caller(), caller=console_caller())
    with create_pipe_input() as keyboard:
        session = new_session(app, acting, input=keyboard, output=DummyOutput())
        running = asyncio.create_task(run_interactive(app, acting, session, printed.append))
        for burst in bursts:
            if isinstance(burst, Shows):
                await _until_line_reads(session, burst.text)
            else:
                keyboard.send_text(burst)
        keyboard.send_text(CTRL_D)
        await asyncio.wait_for(running, 10)
    return "\n".join(to_plain_text(text) for text in printed)


async def _until_line_reads(session: PromptSession[str], text: str, seconds: float = 10) -> None:
    """Wait until the line being edited reads `text`, looking again each time it changes."""
    buffer = session.default_buffer
    changed = asyncio.Event()

    def wake(_: object) -> None:
        changed.set()

    buffer.on_text_changed += wake
    try:
        async with asyncio.timeout(seconds):
            while buffer.text != text:
                changed.clear()
                await changed.wait()
    except TimeoutError:
        raise AssertionError(f"the line never read {text!r}: {buffer.text!r}") from None
    finally:
        buffer.on_text_changed -= wake


async def completions(app: Cruxbot, typed: str) -> list[str]:
    return [value for value, _, _ in await suggestions(app, console_caller(), typed)]


async def test_tab_offers_commands_options_choices_and_nicknames(demo_app: Cruxbot) -> None:
    assert "/objection" in await completions(demo_app, "/obj")
    assert "/as" in await completions(demo_app, "/a")  # the console's own command too
    assert "lag" in await completions(demo_app, "/objection la")
    assert "lag-reply" not in await completions(demo_app, "/objection la")  # a reply
    assert {"lag", "lag-reply"} <= set(await completions(demo_app, "/map la"))
    assert "to:" in await completions(demo_app, "/objection new-one Some text t")
    assert await completions(demo_app, "/reply r Text to:mvp") == ["to:mvp-researcher"]
    assert await completions(demo_app, "/map format:s") == ["format:svg"]
    assert await completions(demo_app, "/status lag ans") == ["answered"]
    assert await completions(demo_app, "/nosuch x") == []


async def test_tab_in_the_prompt_completes_the_line(demo_app: Cruxbot) -> None:
    shown = await type_keys(demo_app, "/obje" + TAB, Shows("/objection"), " lag" + ENTER)
    assert "Objection lag: Alignment progress may stay one step behind" in shown


async def test_ctrl_c_clears_the_line_and_the_console_stays(demo_app: Cruxbot) -> None:
    shown = await type_keys(demo_app, "/delete lag", CTRL_C, "/objection lag" + ENTER)
    assert "Objection lag" in shown  # the next line ran
    assert "deleted" not in shown.lower()  # the cleared line did not
    assert (await demo_app.handle_line("/objection lag", console_caller())).error is False


async def test_history_is_kept_between_sessions(demo_app: Cruxbot, data_dir: Path) -> None:
    await type_keys(demo_app, "/objection lag" + ENTER)
    assert history_path().is_relative_to(data_dir)
    assert "/objection lag" in history_path().read_text(encoding="utf-8")
    shown = await type_keys(
        demo_app, UP, Shows("/objection lag"), ENTER
    )  # a new session: Up, Enter
    assert "Objection lag" in shown


async def test_as_switches_the_member_in_the_prompt(demo_app: Cruxbot) -> None:
    shown = await type_keys(demo_app, "/as Ann" + ENTER, "/agree lag 70" + ENTER, "/as" + ENTER)
    assert "Acting as Ann" in shown and "Ann agrees with lag" in shown
    assert "Acting as yourself" in shown


def _terminal_text(text: FormattedText) -> str:
    """What a VT100 terminal receives for this text, escape codes and all."""
    buffer = io.StringIO()
    terminal = Vt100_Output(buffer, lambda: Size(rows=24, columns=200), term="xterm-256color")
    printer(terminal)(text)
    return buffer.getvalue()


def test_markdown_is_shown_bold_and_coloured_not_as_marks() -> None:
    reply = Reply(title="Objection `lag`", body="It is **not** settled: see `lag-reply`.")
    sent = _terminal_text(
        formatted("Objection `lag`\n\nIt is **not** settled: see `lag-reply`.", reply)
    )
    assert "**" not in sent and "`" not in sent
    assert "\x1b[0;1mnot\x1b[0m" in sent  # bold
    assert "\x1b[0;36mlag-reply\x1b[0m" in sent  # code in cyan
    assert "\x1b[0;1mObjection \x1b[0;36;1mlag" in sent  # the title bold, its code too


def test_no_color_keeps_bold_and_backquotes_but_no_colours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    reply = Reply(body="It is **not** settled: see `lag-reply`.", error=True)
    sent = _terminal_text(formatted(f"Error: {reply.body}", reply, colour_wanted()))
    assert "`lag-reply`" in sent and "**" not in sent
    assert "31m" not in sent and "36m" not in sent and "38;5;" not in sent
    assert "\x1b[0;1mnot\x1b[0m" in sent  # bold is not a colour: it stays
