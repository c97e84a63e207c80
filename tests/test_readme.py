"""The README's command reference is the one generated from the spec."""

from __future__ import annotations

from pathlib import Path

from bot.commands.reference import BEGIN_MARKER, END_MARKER, markdown_reference

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
