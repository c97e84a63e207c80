"""One scripted meeting, the reference run: the console, and what every adapter must match.

The script plays a reading-group meeting on the demo reading: a moderator
("Mo") opens it, members ("Ann", "Bob") log an objection and a reply, take
opposite stances on `lag`, add a steelman, change a status, and both name the
same belief as their crux (a double crux), then Mo ends it. The Discord and
Slack tests run the very same steps through their adapters and compare the
minutes with the console's, after `normalise_minutes` has removed what may
differ: times, the meeting's number, and each platform's markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from adapters.console.repl import render_reply
from bot.app import Cruxbot
from bot.context import Caller
from tests.conftest import MODERATOR, text_of

#: The roles of the script; every platform maps each to a member with this display name.
MOD, ANN, BOB = "Mo", "Ann", "Bob"
READING = "alignment-optimism"
#: Text with characters every platform treats specially, to prove it arrives intact.
OBJECTION_TEXT = "Probes & SAEs <may> not scale to *frontier* models. Nobody has checked."
REPLY_TEXT = "Scaling laws for probes look fine so far."
STEELMAN_TEXT = "Even one lagging step is enough to lose control."


@dataclass(frozen=True)
class Step:
    """One command of the script: who runs it, its options, and the line as typed."""

    who: str
    command: str
    options: dict[str, str | int]
    typed: str

    @property
    def line(self) -> str:
        """The whole console line."""
        return f"/{self.command} {self.typed}".strip()


SCRIPT: tuple[Step, ...] = (
    Step(MOD, "meeting", {"action": "start", "reading": READING}, f"start {READING}"),
    Step(
        ANN,
        "objection",
        {"slug": "evals-gap", "text": OBJECTION_TEXT, "to": "mvp-researcher"},
        f"evals-gap {OBJECTION_TEXT} to:mvp-researcher",
    ),
    Step(
        BOB,
        "reply",
        {"slug": "gap-answer", "text": REPLY_TEXT, "to": "evals-gap"},
        f"gap-answer {REPLY_TEXT} to:evals-gap",
    ),
    Step(ANN, "agree", {"slug": "lag", "credence": 70}, "lag 70"),
    Step(BOB, "disagree", {"slug": "lag", "credence": 30}, "lag 30"),
    Step(BOB, "steelman", {"slug": "lag", "text": STEELMAN_TEXT}, f"lag {STEELMAN_TEXT}"),
    Step(
        MOD, "status", {"slug": "not-blank-slate", "status": "answered"}, "not-blank-slate answered"
    ),
    Step(ANN, "crux", {"slug": "lag", "belief": "rigorous-evals"}, "lag rigorous-evals"),
    Step(BOB, "crux", {"slug": "lag", "belief": "rigorous-evals"}, "lag rigorous-evals"),
    Step(MOD, "meeting", {"action": "end"}, "end"),
)
#: The step whose answer announces the double crux.
DOUBLE_CRUX_STEP = len(SCRIPT) - 2

_WHEN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d to \d\d:\d\d UTC")
_NUMBER = re.compile(r"\b(meeting) \d+", re.IGNORECASE)
_SLACK_LINK = re.compile(r"<(https?://[^<>|]+)>")


def normalise_minutes(title: str, body: str, *, slack: bool = False) -> str:
    """Minutes as comparable text: no times or numbers, one markup for bold.

    The core writes `**bold**`; Slack shows it as `*bold*` and escapes `& < >`.
    Both become `*bold*` with the characters as typed; links lose Slack's `<…>`.
    """
    text = f"{title.strip()}\n{body.strip()}"
    text = html.unescape(_SLACK_LINK.sub(r"\1", text)) if slack else text.replace("**", "*")
    text = _WHEN.sub("<when>", text)
    return _NUMBER.sub(r"\1 <n>", text)


def console_callers(channel_id: str = "meeting-room") -> dict[str, Caller]:
    """The console's three members, in one channel of the console workspace."""
    mod = replace(MODERATOR, user_id="u-mo", user_name=MOD, channel_id=channel_id)
    ann = Caller("console", "local", "u-ann", ANN, channel_id=channel_id)
    return {MOD: mod, ANN: ann, BOB: replace(ann, user_id="u-bob", user_name=BOB)}


async def console_minutes(app: Cruxbot, channel_id: str = "meeting-room") -> str:
    """Run the script in the console workspace (the demo loaded) and return its minutes."""
    callers = console_callers(channel_id)
    replies = [await app.handle_line(step.line, callers[step.who]) for step in SCRIPT]
    assert [r.body for r in replies if r.error] == []
    ended = replies[-1]
    return normalise_minutes(ended.title, ended.body)


def check_minutes(minutes: str) -> None:
    """What the script's minutes must say, whichever platform ran it."""
    assert minutes.startswith("Minutes of meeting <n>: Why I'm optimistic"), minutes
    assert "<when>, started by Mo." in minutes
    assert "*Took part:* Ann, Bob, Mo" in minutes
    new = minutes.split("*New statements*")[1].split("*Status changes*")[0]
    assert "objection `evals-gap` — Probes & SAEs <may> not scale to *frontier* models" in new
    assert "reply `gap-answer`" in new and "(Bob)" in new
    assert "`not-blank-slate`: open → answered (Mo)" in minutes
    assert "*Steelmen*\n- `lag` by Bob" in minutes
    assert "*Stances:* 2 stances from 2 members" in minutes
    assert "*Double cruxes*\n- `lag`: Ann and Bob both hinge on `rigorous-evals`" in minutes
    assert "`evals-gap`" in minutes.split("*Still open*")[1]


async def test_the_scripted_meeting_gives_the_reference_minutes(demo_app: Cruxbot) -> None:
    minutes = await console_minutes(demo_app)
    check_minutes(minutes)
    again = await demo_app.handle_line("/meeting minutes", console_callers()[ANN])
    assert normalise_minutes(again.title, again.body) == minutes


async def test_the_double_crux_is_announced_when_it_happens(demo_app: Cruxbot) -> None:
    callers = console_callers()
    replies = [await demo_app.handle_line(s.line, callers[s.who]) for s in SCRIPT]
    assert "Double crux on `lag`" in replies[DOUBLE_CRUX_STEP].title
    assert "Double crux" not in replies[DOUBLE_CRUX_STEP - 1].title
    assert "Ann (agrees) and Bob (disagrees)" in text_of(replies[DOUBLE_CRUX_STEP])


def test_normalising_removes_only_times_numbers_and_markup() -> None:
    core = normalise_minutes(
        "Minutes of meeting 12: R",
        "2025-01-01 10:59 to 11:00 UTC, started by Mo.\n\n**Took part:** A & B <c>",
    )
    slack = normalise_minutes(
        "Minutes of meeting 3: R",
        "2025-02-02 09:00 to 09:01 UTC, started by Mo.\n\n*Took part:* A &amp; B &lt;c&gt;",
        slack=True,
    )
    assert (
        core
        == slack
        == "Minutes of meeting <n>: R\n<when>, started by Mo.\n\n*Took part:* A & B <c>"
    )
    assert normalise_minutes("Minutes of meeting 1: R", "by Mo") != core


@pytest.mark.usefixtures("graphviz")
async def test_the_console_saves_the_map_and_prints_its_path(
    demo_app: Cruxbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.console.repl.saved_files_dir", lambda: tmp_path)
    reply = await demo_app.handle_line(f"/map {READING}", console_callers()[ANN])
    assert reply.attachment is not None
    printed = render_reply(reply)
    saved = Path(printed.rsplit(" to ", 1)[1].strip())
    assert saved.parent == tmp_path and saved.name.startswith(f"cruxbot-{READING}-")
    assert saved.read_bytes() == reply.attachment.content  # noqa: ASYNC240
    assert reply.attachment.content.startswith(b"\x89PNG\r\n\x1a\n")
