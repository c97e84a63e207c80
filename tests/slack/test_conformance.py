"""Slack against the reference: the scripted meeting, maps, imports, bad input, mentions.

Everything goes in as signed HTTP requests to the adapter's real Bolt app (the
fixtures of conftest.py) and what it sent is read back from the mock Web API
and response_urls: minutes must match the console's, every message must pass
slack_sdk's block validation and ping nobody. Permissions, forged buttons and
re-delivered requests are in test_permissions_and_replays.py.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.blocks import action_modal
from adapters.slack.mrkdwn import escape
from adapters.slack.names import slack_command
from bot.commands.actions import encode_action
from bot.commands.spec import COMMANDS
from bot.context import Caller
from bot.render.reply import Action
from testing_support.slack import (
    BOT_USER,
    SLACK_MODERATOR,
    FakeSlack,
    SlackHarness,
    check_blocks,
    serve,
    wait_for,
)
from testing_support.typed_text import typed_text
from tests.conftest import MODERATOR, text_of
from tests.slack.test_commands import texts
from tests.slack.test_interactions import press, submit
from tests.test_conformance_console import ANN as ANN_ROLE
from tests.test_conformance_console import BOB as BOB_ROLE
from tests.test_conformance_console import (
    DOUBLE_CRUX_STEP,
    READING,
    SCRIPT,
    check_minutes,
    console_minutes,
    normalise_minutes,
)
from tests.test_conformance_console import MOD as MOD_ROLE

USERS = {MOD_ROLE: "UMOD", ANN_ROLE: "U1", BOB_ROLE: "U2"}
PNG = b"\x89PNG\r\n\x1a\n"
#: Anything Slack would turn into a mention, a channel link or a broadcast.
PING = re.compile(r"<[!@#]")
#: Another workspace using the same bot: its statements must be out of reach from T1.
OTHER_TEAM = Caller("slack", "T2", "UZED", "Zed", is_moderator=True)
_ids = itertools.count()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


@dataclass
class FileSharingSlack(FakeSlack):
    """The mock Slack, also answering files.info and serving files' private downloads."""

    shared: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)

    def share(self, name: str, content: bytes) -> dict[str, str]:
        """Make a file known to Slack; what an event's `files` entry says of it."""
        file_id = unique("F")
        self.shared[file_id] = (name, content)
        return {"id": file_id, "name": name}

    def _answer(self, method: str, args: Any) -> dict[str, Any]:
        if method == "files.info":
            found = self.shared.get(str(args.get("file")))
            if found is None:
                return {"ok": False, "error": "file_not_found"}
            name, content = found
            file_id = str(args["file"])
            url = f"{self.base}/files-pri/{file_id}/{name}"
            return {
                "ok": True,
                "file": {"id": file_id, "name": name, "size": len(content), "url_private": url},
            }
        return super()._answer(method, args)

    async def download(self, request: web.Request) -> web.Response:
        self.downloads.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") != "Bearer xoxb-test":
            return web.Response(status=403)
        _, content = self.shared[request.match_info["id"]]
        return web.Response(body=content, content_type="application/octet-stream")

    def web_app(self) -> web.Application:
        application = super().web_app()
        application.router.add_get("/files-pri/{id}/{name}", self.download)
        return application


@pytest.fixture
async def fake() -> AsyncIterator[FileSharingSlack]:
    """Replaces conftest's mock Slack for this module."""
    slack = FileSharingSlack()
    runner, slack.base = await serve(slack.web_app())
    yield slack
    for socket in slack.sockets:
        await socket.close()
    await runner.cleanup()


# -- reading what was sent ------------------------------------------------------------------


def check_sent(payload: dict[str, Any]) -> str:
    """Fail unless Slack would accept the message and it pings nobody; its text."""
    check_blocks(payload["blocks"])
    assert len(payload["text"]) <= 3000
    sent = json.dumps(payload, ensure_ascii=False)
    assert not PING.search(json.dumps([payload["text"], texts(payload["blocks"])])), sent[:2000]
    return texts(payload["blocks"])


def posts(slack: SlackHarness) -> list[dict[str, Any]]:
    """Messages posted through the Web API: in the open, then only to one member."""
    return slack.fake.called("chat.postMessage") + slack.fake.called("chat.postEphemeral")


def never_failed(shown: str) -> None:
    assert "error id" not in shown, shown


async def run_command(
    slack: SlackHarness, name: str, typed: str, user: str = "U1"
) -> dict[str, Any]:
    """Send `/name typed` as Slack delivers it; the one answer to its response_url."""
    before = len(slack.fake.responses)
    status, _ = await slack.command(slack_command(name), typed, user=user, trigger=unique("tr"))
    assert status == 200
    await wait_for(lambda: len(slack.fake.responses) > before)
    await slack.settle()
    assert len(slack.fake.responses) == before + 1
    return slack.fake.responses[before][1]


def minutes_of(payload: dict[str, Any]) -> str:
    """The minutes in an answer: its title section, then its body sections."""
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    title = sections[0].removeprefix("*").removesuffix("*")
    return normalise_minutes(title, "\n".join(sections[1:]), slack=True)


# -- the scripted meeting ----------------------------------------------------------------


async def test_the_scripted_meeting_gives_the_consoles_minutes(slack: SlackHarness) -> None:
    assert not (await slack.core.handle_line("/import demo", MODERATOR)).error
    reference = await console_minutes(slack.core)
    answers = []
    for step in SCRIPT:  # typed text arrives with & < > as entities, as Slack sends it
        answer = await run_command(slack, step.command, escape(step.typed), USERS[step.who])
        never_failed(check_sent(answer))
        answers.append(answer)
    assert [a["response_type"] for a in answers] == ["in_channel"] * len(SCRIPT)
    assert "Double crux on `lag`" in texts(answers[DOUBLE_CRUX_STEP]["blocks"])
    minutes = minutes_of(answers[-1])
    check_minutes(minutes)
    assert minutes == reference
    again = await run_command(slack, "meeting", "minutes", "U2")
    assert minutes_of(again) == minutes


@pytest.mark.usefixtures("graphviz")
async def test_the_map_is_uploaded_as_an_image_to_the_channel(slack: SlackHarness) -> None:
    answer = await run_command(slack, "map", READING)
    assert f"Argument map: {READING}" in check_sent(answer)
    completed = await wait_for(lambda: slack.fake.called("files.completeUploadExternal"))
    assert completed[0]["channel_id"] == "C1"
    assert json.loads(completed[0]["files"])[0]["title"] == f"cruxbot-{READING}.png"
    assert PNG in slack.fake.uploads[0]


# -- @Cruxbot import with a file ----------------------------------------------------------

KIALO = (
    "Discussion Title: Open models\n\n"
    "1. Open models help safety research.\n"
    "1.1. Con: They also help misuse.\n"
    "1.1.1. Pro: Misuse is already possible.\n"
)


async def mention_with_file(
    slack: SlackHarness, user: str, name: str, content: bytes, text: str = "import"
) -> str:
    """Share a file with `@Cruxbot <text>`; the text of the answer in the thread.

    Errors go only to the member (chat.postEphemeral), the rest to the thread.
    """
    fake = slack.fake
    assert isinstance(fake, FileSharingSlack)
    before = len(posts(slack))
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": "1700000005.000100",
        "channel": "C1",
        "files": [fake.share(name, content)],
    }
    assert (await slack.event(event, event_id=unique("Ev")))[0] == 200
    posted = await wait_for(lambda: posts(slack)[before:])
    assert posted[0]["thread_ts"] == "1700000005.000100"
    return check_sent(posted[0])


async def test_a_moderator_imports_a_file_shared_with_a_mention(slack: SlackHarness) -> None:
    shown = await mention_with_file(slack, "UADMIN", "open.txt", KIALO.encode())
    assert "Imported" in shown and "3 statements" in shown
    fake = slack.fake
    assert isinstance(fake, FileSharingSlack)
    assert fake.called("files.info")[0]["_token"] == "Bearer xoxb-test"
    assert fake.downloads == ["Bearer xoxb-test"]
    found = await slack.core.handle_line("/objection also-help-misuse", SLACK_MODERATOR)
    assert not found.error and "They also help misuse." in text_of(found)


async def test_importing_a_file_is_for_moderators_and_all_or_nothing(slack: SlackHarness) -> None:
    fake = slack.fake
    assert isinstance(fake, FileSharingSlack)
    refused = await mention_with_file(slack, "U1", "open.txt", KIALO.encode())
    assert "Only a moderator" in refused
    assert fake.called("files.info") == [] and fake.downloads == []  # not even fetched
    broken = KIALO + "1.2. Con: a bell\x07 rings\n"
    failed = await mention_with_file(slack, "UMOD", "broken.txt", broken.encode())
    assert "Line 6" in failed
    listed = text_of(await slack.core.handle_line("/list", SLACK_MODERATOR))
    assert "open-models-help-safety" not in listed
    await slack.settle()


# -- anything typed gets an answer within Slack's limits -------------------------------------

PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U2>", "<@U2|bob>", "<#C1|general>")
#: Text a member could type on Slack, its pings and markup, and Discord's as plain text.
nasty = typed_text(
    [
        *PINGS,
        "@everyone @here <@&900000000000000020> <@900000000000000011>",
        "*bold* _it_ ~s~ `code` ```block``` > quote <https://x.org|label>",
    ],
    "a\u0301 <!here> & ",
)
#: As Slack delivers typed text: & < > as entities, or a real mention as its token.
delivered = st.one_of(nasty.map(escape), nasty)
SLUGS = st.sampled_from(["", "lag", "blank-slate", "new-point", f"{READING} "])
QUICK = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@QUICK
@given(
    name=st.sampled_from([c.name for c in COMMANDS]),
    slug=SLUGS,
    rest=delivered,
    user=st.sampled_from(["U1", "UMOD"]),
)
async def test_any_slash_command_text_gets_an_answer_within_slacks_limits(
    slack: SlackHarness, name: str, slug: str, rest: str, user: str
) -> None:
    answer = await run_command(slack, name, f"{slug} {rest}".strip(), user)
    never_failed(check_sent(answer))


@QUICK
@given(text=delivered, slug=st.sampled_from(["lag", "nope", "Bad Slug"]))
async def test_any_form_submission_gets_an_answer_within_slacks_limits(
    slack: SlackHarness, text: str, slug: str
) -> None:
    action = Action(
        "Steelman", "steelman", (("slug", slug),) if slug != "Bad Slug" else (), ("text",)
    )
    metadata = {"a": encode_action(action), "c": "C1", "r": slack.fake.response_url()}
    opened = {"view": action_modal(action, json.dumps(metadata)).to_dict()}
    before = len(slack.fake.responses)
    _, acked = await slack.interact(submit(opened, {"text": text[:3000]}, view_id=unique("V")))
    if acked:  # the form stays open, the problem named under a field it has
        errors = json.loads(acked)["errors"]
        assert set(errors) == {"text"} and not text.strip(), errors
        assert all(0 < len(message) <= 300 for message in errors.values())
        return
    await wait_for(lambda: len(slack.fake.responses) > before)
    never_failed(check_sent(slack.fake.responses[before][1]))


@QUICK
@given(text=delivered)
async def test_any_mention_gets_an_answer_within_slacks_limits(
    slack: SlackHarness, text: str
) -> None:
    before = len(posts(slack))
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER}> {text[:40_000]}",
        "ts": "1700000006.000100",
        "channel": "C1",
    }
    await slack.event(event, event_id=unique("Ev"))
    posted = await wait_for(lambda: posts(slack)[before:])
    never_failed(check_sent(posted[0]))


# -- stored mentions ping nobody, wherever they are shown --------------------------------


async def test_mentions_in_stored_text_are_inert_everywhere_they_show(
    slack: SlackHarness,
) -> None:
    hostile = "Wake up <!channel> <!here> <!everyone> <@U2> &lt;!here&gt; &lt;@U2&gt; read this"
    await run_command(slack, "meeting", "start", "UMOD")
    await run_command(slack, "objection", f"pings {hostile} to:lag")
    await run_command(slack, "reply", f"pong {hostile} to:pings", "U2")
    await run_command(slack, "steelman", f"lag {hostile}", "U2")
    shown = [
        await run_command(slack, "list", "objections"),
        await run_command(slack, "search", "wake"),
        await run_command(slack, "objection", "pings"),
        await run_command(slack, "history", ""),
        await run_command(slack, "meeting", "end", "UMOD"),
    ]
    buttons = [e for b in shown[2]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    replies = next(e for e in buttons if e.get("text", {}).get("text") == "Show replies")
    before = len(slack.fake.responses)
    await slack.interact(press(slack, replies, user="U2"))
    await wait_for(lambda: len(slack.fake.responses) > before)
    shown.append(slack.fake.responses[before][1])
    for answer in shown:
        assert "Wake up" in check_sent(answer) or "pings" in texts(answer["blocks"])
    every = json.dumps([c.args for c in slack.fake.calls] + [b for _, b in slack.fake.responses])
    assert not PING.search(every)
    assert "&lt;!here&gt;" in every
