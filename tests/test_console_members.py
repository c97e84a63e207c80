"""One console, several members: `cruxbot console --as NAME` and `/as NAME`.

A facilitator logs what members say; a script plays a meeting of three. Each
name acted as is its own member, with a member's rights; `/as` alone returns
to the person at the keyboard, who moderates their own map.
"""

from __future__ import annotations

import io

from adapters.console.members import Acting
from adapters.console.repl import console_caller, run_lines
from bot.app import Cruxbot
from tests.command_line import run_cruxbot as run
from tests.test_cli import db

__all__ = ["db"]  # the command-line tests' database fixture


async def piped(app: Cruxbot, *lines: str) -> str:
    """What the console prints for these lines piped in, plain text as scripts read it."""
    out = io.StringIO()
    me = console_caller()
    await run_lines(app, io.StringIO("\n".join(lines) + "\n"), out, Acting(me=me, caller=me))
    return out.getvalue()


async def test_as_speaks_for_several_members_in_turn(demo_app: Cruxbot) -> None:
    shown = await piped(
        demo_app,
        "/as Ann",
        "/agree lag 70",
        "/as Bob Smith",
        "/disagree lag 20",
        "/as",
        "/objection lag",
    )
    assert "Acting as **Ann**" in shown and "Ann agrees with `lag` (credence 70%)" in shown
    assert "Bob Smith disagrees with `lag`" in shown
    assert f"Acting as yourself, **{console_caller().user_name}**, again." in shown
    card = shown.split("Objection `lag`:")[1]
    assert "Ann)" in card.split("disagree")[0] and "Bob Smith)" in card  # two members' stances


async def test_a_member_acted_as_has_a_members_rights(demo_app: Cruxbot) -> None:
    shown = await piped(demo_app, "/as Ann", "/delete endgame", "/as", "/delete endgame")
    refused, done = shown.split("Acting as yourself")
    assert "Error:" in refused  # Ann did not write `endgame` and moderates nothing
    assert "Error:" not in done  # the person at the keyboard moderates their own map


async def test_as_refuses_a_name_no_member_could_have(demo_app: Cruxbot) -> None:
    shown = await piped(demo_app, "/as " + "x" * 51, "/as bad\x01name")
    assert shown.count("cannot be a member's name: use up to 50 printable characters") == 2


async def test_console_help_mentions_as(demo_app: Cruxbot) -> None:
    shown = await piped(demo_app, "/help")
    assert "/as NAME acts as another member" in shown and "cruxbot console --as NAME" in shown


def test_console_as_option_starts_as_that_member(db: str) -> None:
    result = run(["console", "--db", db, "--demo", "--as", "Ann"], stdin="/agree lag\n")
    assert result.returncode == 0, result.stderr
    assert "Ann agrees with `lag`" in result.stdout
    bad = run(["console", "--db", db, "--as", "a" * 60], stdin="/help\n")
    assert bad.returncode == 2
    assert "--as: `" in bad.stderr and "cannot be a member's name" in bad.stderr


async def test_credit_by_name_and_acting_as_that_name_are_one_member(demo_app: Cruxbot) -> None:
    shown = await piped(
        demo_app,
        "/objection mine-ann Evals lag capability gains. to:easy-to-train by:Ann",
        "/as ann",
        "/edit mine-ann text Evals lag capability gains by months.",
    )
    # Ann may edit what was logged in her name: `by:Ann` and `/as ann` are the same member.
    assert "Error:" not in shown, shown
    assert "by months" in await piped(demo_app, "/objection mine-ann")
