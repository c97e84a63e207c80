"""One meeting, scripted: three members, a facilitator logging for the others.

The console, Discord and Slack tests each play it through their own adapter
path and must produce the same minutes: the sample in the README.
`{Ann}` in a line stands for however that platform names a member to credit
(a name in the console, a user option on Discord, a mention on Slack).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot.app import Cruxbot
from bot.storage.models import Meeting

FACILITATOR = "Ada"
MEMBERS = ("Ada", "Ann", "Bob")

SCRIPT: tuple[tuple[str, str], ...] = (
    ("Ada", "/reading alignment-optimism"),
    ("Bob", "/agree lag 80"),
    ("Ada", "/meeting start alignment-optimism"),
    (
        "Ada",
        "/objection evals-gap Interpretability may not scale to frontier models. "
        "to:mvp-researcher by:{Ann}",
    ),
    ("Ada", "/objection assumes-it The essay assumes what it sets out to show. by:{Bob}"),
    ("Bob", "/reply probes-scale Linear probes kept working as models grew. to:evals-gap"),
    ("Ann", "/agree lag 70"),
    ("Bob", "/disagree lag 30"),
    ("Ann", "/crux lag rigorous-evals because evals would show the lag before it matters"),
    ("Ada", "/crux lag rigorous-evals because without them nobody sees the lag by:{Bob}"),
    ("Ada", "/status not-blank-slate answered because the pretraining reply settled it"),
    ("Ada", "/action Write up what a rigorous evaluation would check by:{Ann}"),
    ("Ada", "/decision The next meeting starts with rigorous-evals"),
    ("Ada", "/meeting end"),
)

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- minutes:begin (the scripted meeting of tests/meeting_script.py) -->"
END = "<!-- minutes:end -->"
_WHEN = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d to \d\d:\d\d UTC", re.MULTILINE)
SAMPLE_WHEN = "2026-11-27 19:00 to 20:30 UTC"


def lines_for(credit: dict[str, str]) -> list[tuple[str, str]]:
    """(member, line) with each `{Name}` replaced by how the platform credits them."""
    return [(member, line.format(**credit)) for member, line in SCRIPT]


async def last_minutes(app: Cruxbot) -> str:
    """The stored minutes of the newest meeting, with its times set to the sample's."""
    async with app.sessions() as session:
        minutes = await session.scalar(select(Meeting.minutes).order_by(Meeting.id.desc()))
    assert minutes, "the meeting has no minutes"
    return _WHEN.sub(SAMPLE_WHEN, minutes)


def readme_sample() -> str:
    """The minutes shown in the README, between its markers."""
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "README lost its minutes markers"
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return block.strip().removeprefix("```markdown").removesuffix("```").strip() + "\n"


def check_minutes(minutes: str) -> None:
    """What the scripted meeting must show, then: exactly the README's sample."""
    for expected in (
        "**Changed minds:** Bob on `lag` (agree → disagree)",
        "- Bob: agree 80 → disagree 30 on `lag`",
        "- objection `evals-gap` — Interpretability may not scale to frontier models. (Ann)",
        "- objection `assumes-it` — The essay assumes what it sets out to show. (Bob)",
        "`lag` hinges on `rigorous-evals` for Ann because evals would show the lag",
        "- `not-blank-slate`: open → answered (Ada) because the pretraining reply settled it",
        "- #1 Ann: Write up what a rigorous evaluation would check",
        "- #2 Ada: The next meeting starts with rigorous-evals",
        "- `lag`: Ann and Bob both hinge on `rigorous-evals`",
    ):
        assert expected in minutes, (expected, minutes)
    assert minutes == readme_sample(), (
        "README minutes sample is stale: paste these minutes between its markers\n" + minutes
    )
