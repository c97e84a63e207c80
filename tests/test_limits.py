"""The per-member write limit: friendly, exact, shared by every process."""

from __future__ import annotations

from datetime import timedelta

from bot.app import Cruxbot
from bot.services.limits import WriteLimit
from tests.conftest import MEMBER, MODERATOR, text_of


async def test_writes_over_the_limit_are_refused_and_change_nothing(app: Cruxbot) -> None:
    limited = Cruxbot(app.engine, write_limit=WriteLimit(3, timedelta(minutes=1)))
    for n in range(3):
        assert not (await limited.handle_line(f"/claim c{n} Claim {n}.", MEMBER)).error
    refused = await limited.handle_line("/claim c3 One too many.", MEMBER)
    assert refused.error
    assert "3 times in the last 60 seconds" in refused.body
    assert "the limit here is 3" in refused.body
    assert (await limited.handle_line("/claim c3", MEMBER)).error  # not logged
    assert not (await limited.handle_line("/list", MEMBER)).error  # reading is never limited
    assert not (await limited.handle_line("/claim m1 A moderator's.", MODERATOR)).error


async def test_the_limit_holds_across_processes(app: Cruxbot) -> None:
    limit = WriteLimit(2, timedelta(minutes=1))
    first, second = Cruxbot(app.engine, write_limit=limit), Cruxbot(app.engine, write_limit=limit)
    await first.handle_line("/claim a1 One.", MEMBER)
    await second.handle_line("/claim a2 Two.", MEMBER)
    assert (await first.handle_line("/claim a3 Three.", MEMBER)).error
    assert "`a2`" in text_of(await first.handle_line("/list", MEMBER))


async def test_no_limit_when_set_to_zero(app: Cruxbot) -> None:
    free = Cruxbot(app.engine, write_limit=WriteLimit.parse("0"))
    for n in range(40):
        assert not (await free.handle_line(f"/claim f{n} Free {n}.", MEMBER)).error


def test_limit_settings_parse() -> None:
    assert WriteLimit.parse("5/10") == WriteLimit(5, timedelta(seconds=10))
    for bad in ("5", "x/10", "5/0", "-1/10", ""):
        try:
            WriteLimit.parse(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
