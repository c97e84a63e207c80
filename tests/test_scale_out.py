"""Scale-out: two `cruxbot serve slack` processes in HTTP mode share one PostgreSQL.

Each process is what a load balancer would send Slack's requests to. The test
sends interleaved, correctly signed slash commands for the same channel and
statement to both at once, and checks what a group would notice if a process
kept state of its own or lost an update: every member's stance counted exactly
once, one statement per nickname (a race for a new nickname has one winner and
a clear refusal for the other), and a request Slack retries to the other
process still logged once. The database is a fresh one, created and dropped
here.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.app import Cruxbot
from bot.context import Caller
from testing_support.slack import TEAM, FakeSlack, serve, slash_command_body
from tests import postgres
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, postgres_available, text_of
from tests.slack.processes import Served, post_signed, start_slack_process, wait_until
from tests.test_ops import samples

MODERATOR = Caller(
    platform="slack", workspace_id=TEAM, user_id="UADMIN", user_name="Ada", is_moderator=True
)


@dataclass
class CrowdSlack(FakeSlack):
    """The fake Slack API, knowing every member the test invents (U100, U101, …)."""

    def _answer(self, method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        user = str(args.get("user", ""))
        if method == "users.info" and user.startswith("U1"):
            return {"ok": True, "user": {"id": user, "name": user.lower()}}
        return super()._answer(method, args)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database on the test server; dropped afterwards (while
    the next tests run: dropping a database waits for a checkpoint)."""
    if not await postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}")
    server = make_url(POSTGRES_URL)
    name = f"cruxbot_scale_{uuid.uuid4().hex[:10]}"
    admin_url = server.set(drivername="postgresql").render_as_string(False)
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        postgres.drop_database_soon(admin_url, name)


@pytest.fixture
async def core(database: str) -> AsyncIterator[Cruxbot]:
    """The schema and the demo reading, set up before the processes start (as `migrate`
    would be in a deployment), plus a claim the members take stances on."""
    app = await Cruxbot.open(database)
    assert not (await app.handle_line("/import demo", MODERATOR)).error
    made = await app.handle_line("/claim pivot Evaluations will keep pace. to:lag", MODERATOR)
    assert not made.error, made.body
    yield app
    await app.close()


@pytest.fixture
async def fake() -> AsyncIterator[CrowdSlack]:
    slack = CrowdSlack()
    runner, slack.base = await serve(slack.web_app())
    yield slack
    await runner.cleanup()


def answers(fake: FakeSlack) -> list[str]:
    """Everything posted to response_urls, as text."""
    return [json.dumps(body) for _, body in fake.responses]


async def show(core: Cruxbot, slug: str) -> str:
    return text_of(await core.handle_line(f"/objection {slug}", MODERATOR))


async def commands_counted(
    session: aiohttp.ClientSession, urls: list[str], *, replayed: bool = False
) -> float:
    """Slack commands the processes ran (or, with `replayed`, recognised as re-deliveries)."""
    total = 0.0
    for url in urls:
        async with session.get(f"{url}/metrics") as response:
            for (name, labels), value in samples(await response.text()).items():
                counted = name == "cruxbot_commands_total" and ("platform", "slack") in labels
                if counted and (("outcome", "replayed") in labels) == replayed:
                    total += value
    return total


async def test_two_processes_on_one_postgresql_lose_no_update_and_log_a_retry_once(
    core: Cruxbot, fake: CrowdSlack, database: str
) -> None:
    processes: list[Served] = []
    try:
        processes = list(
            await asyncio.gather(
                start_slack_process(fake.api_url, database, demo=False),
                start_slack_process(fake.api_url, database, demo=False),
            )
        )
        a, b = await asyncio.gather(*(p.ready() for p in processes))
        assert a != b
        async with aiohttp.ClientSession() as session:

            async def send(url: str, command: str, text: str, user: str, trigger: str) -> int:
                body = slash_command_body(fake, command, text, user=user, trigger=trigger)
                return await post_signed(session, url, body)

            # 1. Stances on one claim, interleaved across both processes. Twelve members
            #    each send one; four more send "agree" to one process and "disagree" to
            #    the other at the same moment: each of them must end with one stance.
            sends = []
            for i in range(12):
                position = "/agree" if i % 2 == 0 else "/disagree"
                sends.append(send((a, b)[i % 2], position, "pivot", f"U1{i:02}", f"st-{i}"))
            for i in range(12, 16):
                sends.append(send(a, "/agree", "pivot", f"U1{i:02}", f"st-{i}-a"))
                sends.append(send(b, "/disagree", "pivot", f"U1{i:02}", f"st-{i}-b"))
            # 2. Five races for new nicknames: the same slug logged through both at once.
            for r in range(5):
                sends.append(send(a, "/objection", f"race-{r} From A. to:pivot", "U190", f"ra{r}"))
                sends.append(send(b, "/objection", f"race-{r} From B. to:pivot", "U191", f"rb{r}"))
            statuses = await asyncio.gather(*sends)
            assert set(statuses) == {200}
            await wait_until(lambda: len(fake.responses) == len(sends), seconds=30)

            shown = await show(core, "pivot")
            agreed = re.search(r"agree (\d+)", shown)
            disagreed = re.search(r"disagree (\d+)", shown)
            assert agreed is not None and disagreed is not None, shown
            agree, disagree = int(agreed.group(1)), int(disagreed.group(1))
            assert agree + disagree == 16, shown  # one stance per member, none lost or doubled
            assert 6 <= agree <= 10 and 6 <= disagree <= 10, shown

            said = answers(fake)
            for r in range(5):
                winners = [s for s in said if f"Logged objection `race-{r}`" in s]
                losers = [s for s in said if f"The nickname `race-{r}` is taken" in s]
                assert len(winners) == 1 and len(losers) == 1, (r, said)
                statement = await show(core, f"race-{r}")
                assert statement.count(f"Objection `race-{r}`") == 1
                winner_text = "From A." if "From A." in statement else "From B."
                assert winner_text in statement
            listed = text_of(await core.handle_line("/list objections to:pivot", MODERATOR))
            assert all(listed.count(f"`race-{r}`") == 1 for r in range(5)), listed

            # 3. A request Slack retries to the other process (its first answer was slow):
            #    the same body, marked as a retry. Logged once, answered once.
            before = len(fake.responses)
            retried = slash_command_body(
                fake, "/objection", "retried Logged once. to:pivot", user="U150", trigger="rt-1"
            )
            assert await post_signed(session, a, retried) == 200
            retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
            assert await post_signed(session, b, retried, retry) == 200
            # ... and one delivered to both at the same moment.
            both = slash_command_body(
                fake, "/objection", "twice Logged once too. to:pivot", user="U151", trigger="rt-2"
            )
            await asyncio.gather(
                post_signed(session, a, both), post_signed(session, b, both, retry)
            )
            await wait_until(
                lambda: sum("re-delivered" in line for p in processes for line in p.lines) == 2,
                seconds=15,
            )
            await wait_until(lambda: len(fake.responses) == before + 2)
            await asyncio.sleep(0.3)  # nothing further arrives
            assert len(fake.responses) == before + 2
            listed = text_of(await core.handle_line("/list objections to:pivot", MODERATOR))
            assert listed.count("`retried`") == 1 and listed.count("`twice`") == 1, listed

            # Each process counted only what it ran; together, every command once.
            ran = len(sends) + 2
            assert await commands_counted(session, [a, b]) == ran
            assert await commands_counted(session, [a, b], replayed=True) == 2

        for process in processes:
            assert await process.stop() == 0, "\n".join(process.lines)
            entries = [json.loads(line) for line in process.lines]
            assert not [e for e in entries if e["level"] in ("error", "critical")], entries
    finally:
        for process in processes:
            process.kill()
