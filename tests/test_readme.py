"""The README's command reference is the one generated from the spec; its examples are real."""

from __future__ import annotations

from pathlib import Path

from bot.app import Cruxbot
from bot.commands.reference import BEGIN_MARKER, END_MARKER, markdown_reference
from tests.conftest import MEMBER, text_of

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_command_reference_matches_the_spec() -> None:
    text = README.read_text(encoding="utf-8")
    assert BEGIN_MARKER in text and END_MARKER in text, "README lost its reference markers"
    embedded = text.split(BEGIN_MARKER, 1)[1].split(END_MARKER, 1)[0].lstrip("\n")
    assert embedded == markdown_reference(), (
        "README command reference is stale: run `python -m bot.commands.reference` and paste it"
    )


def test_readme_names_both_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


async def test_readme_shows_the_real_answer_to_asking(demo_app: Cruxbot) -> None:
    """The README's `/ask` exchange is what the console answers on the demo reading."""
    asked = "/ask what was the lag objection again?"
    lines = README.read_text(encoding="utf-8").split(f"    cruxbot> {asked}\n", 1)[1]
    shown = []
    for line in lines.splitlines():
        if line and not line.startswith("    "):
            break
        shown.append(line[4:])
    answer = text_of(await demo_app.handle_line(asked, MEMBER))
    assert "\n".join(shown).strip() == answer.strip()
