"""A command is applied exactly once: its request key commits with its rows.

Platforms re-deliver requests (Slack's retries, a replayed Discord interaction,
a Socket Mode or gateway hand-over) and connections die at the worst moment.
The key a platform gives a request is recorded in the command's own
transaction, so a re-delivery changes nothing, a command that failed is applied
when retried, and a retry after a connection lost during the commit does not
apply it twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.app import Cruxbot
from bot.commands.parser import ArgValue
from bot.context import Caller
from bot.render.reply import Reply
from bot.services import statements
from bot.services.registry import Handler
from bot.storage.models import Delivery, Steelman
from bot.storage.unit_of_work import UnitOfWork
from tests.conftest import MEMBER, text_of


def keyed(key: str, caller: Caller = MEMBER) -> Caller:
    return replace(caller, request_key=key)


async def steelmen_of_lag(app: Cruxbot) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Steelman)) or 0)


async def test_a_redelivered_write_is_applied_once_and_answered_once(demo_app: Cruxbot) -> None:
    before = await steelmen_of_lag(demo_app)
    first = await demo_app.handle_line("/steelman lag The strongest form.", keyed("slack:r1"))
    again = await demo_app.handle_line("/steelman lag The strongest form.", keyed("slack:r1"))
    assert not first.error and not first.already_handled
    assert again.already_handled and not again.error
    assert await steelmen_of_lag(demo_app) == before + 1


async def test_a_failed_command_leaves_no_key_so_its_retry_is_applied(demo_app: Cruxbot) -> None:
    failing = True

    async def steelman_failing_once(uow: UnitOfWork, args: Mapping[str, ArgValue]) -> Reply:
        reply = await statements.steelman(uow, str(args["slug"]), str(args["text"]))
        if failing:
            raise RuntimeError("the process died before the commit")
        return reply

    demo_app.handlers["steelman"] = steelman_failing_once
    before = await steelmen_of_lag(demo_app)
    broken = await demo_app.handle_line("/steelman lag Said once.", keyed("slack:r2"))
    assert broken.error_id, broken.body
    assert await steelmen_of_lag(demo_app) == before
    failing = False
    retried = await demo_app.handle_line("/steelman lag Said once.", keyed("slack:r2"))
    assert not retried.error and not retried.already_handled, retried.body
    assert await steelmen_of_lag(demo_app) == before + 1


async def test_the_same_request_delivered_five_times_at_once_is_applied_once(
    demo_app: Cruxbot,
) -> None:
    before = await steelmen_of_lag(demo_app)
    replies = await asyncio.gather(
        *[demo_app.handle_line("/steelman lag Raced.", keyed("slack:r3")) for _ in range(5)]
    )
    assert [r.body for r in replies if r.error] == []
    assert sum(not r.already_handled for r in replies) == 1
    assert await steelmen_of_lag(demo_app) == before + 1


async def test_a_redelivered_lookup_is_answered_once(demo_app: Cruxbot) -> None:
    first = await demo_app.handle_line("/objection lag", keyed("slack:event:Ev1"))
    again = await demo_app.handle_line("/objection lag", keyed("slack:event:Ev1"))
    assert "lag" in text_of(first)
    assert again.already_handled


async def test_a_refused_command_can_be_sent_again_once_it_is_fixed(demo_app: Cruxbot) -> None:
    refused = await demo_app.handle_line("/steelman nosuch Better.", keyed("slack:r4"))
    assert refused.error and "nosuch" in refused.body
    async with demo_app.sessions() as session:
        assert await session.get(Delivery, "slack:r4") is None


async def test_a_retry_after_the_connection_died_during_the_commit_applies_once(
    demo_app: Cruxbot,
) -> None:
    """The commit reached the database but its acknowledgement did not: the retry
    finds the command's key and does not add a second steelman."""
    original = demo_app._attempt
    calls = 0

    async def commit_then_lose_the_connection(
        run: Handler,
        args: Mapping[str, ArgValue],
        caller: Caller,
        reads_only: bool,
        connection_lost: bool,
    ) -> Reply:
        nonlocal calls
        calls += 1
        reply = await original(run, args, caller, reads_only, connection_lost)
        if calls == 1:
            raise OperationalError("COMMIT", {}, ConnectionResetError("connection lost"))
        return reply

    demo_app._attempt = commit_then_lose_the_connection  # type: ignore[method-assign]
    before = await steelmen_of_lag(demo_app)
    reply = await demo_app.handle_line("/steelman lag Only one of me.", MEMBER)
    assert calls == 2
    assert not reply.error and reply.body.startswith("Done"), reply.body
    assert await steelmen_of_lag(demo_app) == before + 1
