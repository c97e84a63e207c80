"""Discord against the reference: the scripted meeting, maps, imports, bad input, mentions.

Everything goes in as real INTERACTION_CREATE payloads through discord.py's
CommandTree (the fixtures of conftest.py), and what the bot sent is read back
from the REST fake: minutes must match the console's, every message must fit
Discord's limits and ping nobody. Permissions, forged buttons and replays are
in test_permissions_and_replays.py.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.discord import cli
from adapters.settings import Settings
from bot.commands.actions import encode_action
from bot.commands.spec import COMMANDS, Autocomplete, CommandSpec, OptionKind
from bot.context import Caller
from bot.render.palette import STATUS_SWATCHES
from bot.render.reply import Action
from testing_support.discord.fakes import FakeDiscordApi, Recorded
from testing_support.discord.payloads import (
    APP_ID,
    BOB_ID,
    GUILD_ID,
    interaction_payload,
    member,
    snowflake,
)
from tests.conftest import MODERATOR, text_of
from tests.discord.conftest import ANN, DiscordBot, manage_messages_member, serving
from tests.discord.helpers import (
    CHANNEL_MESSAGE,
    EPHEMERAL,
    MODAL,
    core_view,
    embed,
    embed_text,
    only_callback,
)
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

MO_ID = BOB_ID + 1
MO = manage_messages_member(MO_ID, "Mo")
BOB = member(BOB_ID, "Bob")
MEMBERS = {MOD_ROLE: MO, ANN_ROLE: ANN, BOB_ROLE: BOB}
NO_PINGS: dict[str, list[str]] = {"parse": []}
PNG = b"\x89PNG\r\n\x1a\n"
ANSWERED_COLOUR = STATUS_SWATCHES["answered"].rgb
#: Another server using the same bot: its statements must be out of reach from ours.
OTHER_GUILD = Caller("discord", "900000000000000077", "999", "Zed", is_moderator=True)


@dataclass
class KeepingDiscordApi(FakeDiscordApi):
    """The REST fake, also keeping uploaded files and serving attachments (Discord's CDN)."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/attachments/"):
            self.requests.append(Recorded(request.method, request.path, {}, None))
            content = self.attachments.get(request.path)
            if content is None:
                return web.Response(status=404)
            return web.Response(body=content, content_type="application/octet-stream")
        if request.content_type.startswith("multipart/"):
            form = await request.post()  # cached: the base class reads the same form
            for value in form.values():
                if isinstance(value, web.FileField):
                    self.files.append((value.filename, value.file.read()))
                    value.file.seek(0)
        return await super()._handle(request)


@pytest.fixture
async def discord_api() -> AsyncIterator[KeepingDiscordApi]:
    """Replaces conftest's fake for this module, with discord.py pointed at it."""
    async with serving(KeepingDiscordApi()) as fake:
        yield fake


# -- what Discord accepts ---------------------------------------------------------------


def check_embed(e: dict[str, Any]) -> int:
    """Fail unless the embed is one Discord accepts; its size towards the 6000 total."""
    title, description = e.get("title", ""), e.get("description", "")
    assert len(title) <= 256 and len(description) <= 4096
    assert title or description or e.get("fields")
    fields = e.get("fields", [])
    assert len(fields) <= 25
    for f in fields:
        assert 1 <= len(f["name"]) <= 256 and 1 <= len(f["value"]) <= 1024
    footer = e.get("footer", {}).get("text", "")
    assert len(footer) <= 2048
    return (
        len(title)
        + len(description)
        + len(footer)
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
    )


def check_message(body: dict[str, Any]) -> None:
    """A message (or interaction response data) Discord accepts, pinging nobody."""
    assert body["allowed_mentions"] == NO_PINGS
    assert len(body.get("content") or "") <= 2000
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    assert sum(check_embed(e) for e in embeds) <= 6000
    rows = body.get("components") or []
    assert len(rows) <= 5
    for row in rows:
        assert len(row["components"]) <= 5
        for button in row["components"]:
            assert len(button["custom_id"]) <= 100 and 1 <= len(button["label"]) <= 80


def check_modal(data: dict[str, Any]) -> None:
    """A form Discord accepts."""
    assert 1 <= len(data["title"]) <= 45 and len(data["custom_id"]) <= 100
    text = json.dumps(data)
    assert text.count('"type": 4') <= 5


def check_sent(sent: list[Recorded]) -> list[dict[str, Any]]:
    """Every message among `sent` is valid; at least one answer went out. The bodies."""
    bodies: list[dict[str, Any]] = []
    for request in sent:
        if request.path.startswith("/attachments/") or request.method == "DELETE":
            continue
        body = request.body
        if request.path.endswith("/callback"):
            if body["type"] == MODAL:
                check_modal(body["data"])
                continue
            if body["type"] == 8:  # autocomplete
                choices = body["data"]["choices"]
                assert len(choices) <= 25
                assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
                continue
            if body["type"] == 5:  # deferred: the answer follows
                continue
            body = body["data"]
        if request.path.endswith("/threads"):
            assert 1 <= len(body["name"]) <= 100
            continue
        check_message(body)
        bodies.append(body)
    assert bodies or any(r.path.endswith("/callback") for r in sent), sent
    return bodies


def never_failed(bodies: list[dict[str, Any]]) -> None:
    """No answer is the adapter's or the core's "something went wrong"."""
    for body in bodies:
        for e in body.get("embeds") or []:
            assert "error id" not in e.get("description", ""), e


# -- the scripted meeting ----------------------------------------------------------------


async def run_script(bot: DiscordBot) -> list[dict[str, Any]]:
    """The script as Discord members run it; the data of each answer."""
    answers = []
    for step in SCRIPT:
        options: dict[str, Any] = dict(step.options)
        sent = await bot.command(step.command, who=MEMBERS[step.who], **options)
        check_sent(sent)
        answers.append(only_callback(sent)["data"])
    return answers


async def test_the_scripted_meeting_gives_the_consoles_minutes(demo_bot: DiscordBot) -> None:
    assert not (await demo_bot.app.handle_line("/import demo", MODERATOR)).error
    reference = await console_minutes(demo_bot.app)
    answers = await run_script(demo_bot)
    assert [a for a in answers if a.get("flags", 0) & EPHEMERAL] == []
    assert embed(answers[DOUBLE_CRUX_STEP])["title"].startswith("Double crux on `lag`")
    minutes = embed(answers[-1])
    assert minutes["color"] == ANSWERED_COLOUR  # posted in the channel, as an embed
    shown = normalise_minutes(minutes["title"], minutes["description"])
    check_minutes(shown)
    assert shown == reference
    again = only_callback(await demo_bot.command("meeting", who=BOB, action="minutes"))
    assert (
        normalise_minutes(embed(again["data"])["title"], embed(again["data"])["description"])
        == shown
    )


@pytest.mark.usefixtures("graphviz")
async def test_the_map_is_posted_as_an_image_in_the_answer(demo_bot: DiscordBot) -> None:
    api = demo_bot.api
    assert isinstance(api, KeepingDiscordApi)
    callback = only_callback(await demo_bot.command("map", slug=READING))
    assert callback["type"] == CHANNEL_MESSAGE
    name = f"cruxbot-{READING}.png"
    assert [a["filename"] for a in callback["data"]["attachments"]] == [name]
    assert embed(callback["data"])["image"]["url"] == f"attachment://{name}"
    ((uploaded, content),) = api.files
    assert uploaded == name and content.startswith(PNG)


# -- /import with an attached file --------------------------------------------------------


async def attach(
    bot: DiscordBot, name: str, content: bytes, who: dict[str, Any], **options: str
) -> list[Recorded]:
    """Run `/import file:<name>` with `content` as the attachment (plus `options`)."""
    api = bot.api
    assert isinstance(api, KeepingDiscordApi)
    attachment_id = str(snowflake())
    path = f"/attachments/{attachment_id}/{name}"
    api.attachments[path] = content
    url = f"http://127.0.0.1:{api.port}{path}"
    data = {
        "id": str(APP_ID + 7),
        "name": "import",
        "type": 1,
        "options": [
            *({"name": k, "type": 3, "value": v} for k, v in options.items()),
            {"name": "file", "type": 11, "value": attachment_id},
        ],
        "resolved": {
            "attachments": {
                attachment_id: {
                    "id": attachment_id,
                    "filename": name,
                    "size": len(content),
                    "url": url,
                    "proxy_url": url,
                    "content_type": "text/plain",
                }
            }
        },
    }
    return await bot._tree(interaction_payload(2, data, who=who))


KIALO = (
    "Discussion Title: Open models\n\n"
    "1. Open models help safety research.\n"
    "1.1. Con: They also help misuse.\n"
    "1.1.1. Pro: Misuse is already possible.\n"
)


async def test_a_moderator_imports_an_attached_export_or_kialo_file(bot: DiscordBot) -> None:
    assert not (await bot.app.handle_line("/import demo", MODERATOR)).error
    name, backup = await bot.app.export_text("json", None, MODERATOR)
    sent = await attach(bot, name, backup.encode(), MO)
    assert any(r.path.startswith("/attachments/") for r in sent)  # downloaded
    answer = only_callback(sent)["data"]
    assert not answer.get("flags", 0) & EPHEMERAL, embed_text(embed(answer))
    assert "Imported" in embed_text(embed(answer))
    shown = await core_view(bot.app, "/objection lag")
    assert not shown.error and "Priya" in text_of(shown)
    kialo = only_callback(await attach(bot, "open.txt", KIALO.encode(), MO))["data"]
    assert "3 statements" in embed_text(embed(kialo))
    assert not (await core_view(bot.app, "/objection also-help-misuse")).error


async def test_importing_a_file_is_for_moderators_and_all_or_nothing(bot: DiscordBot) -> None:
    refused = await attach(bot, "open.txt", KIALO.encode(), ANN)
    assert not any(r.path.startswith("/attachments/") for r in refused)  # not even fetched
    data = only_callback(refused)["data"]
    assert data["flags"] & EPHEMERAL and "Only a moderator" in embed(data)["description"]
    broken = KIALO + "1.2. Con: a bell\x07 rings\n"
    data = only_callback(await attach(bot, "broken.txt", broken.encode(), MO))["data"]
    assert data["flags"] & EPHEMERAL and "Line 6" in embed_text(embed(data))
    both = only_callback(await attach(bot, "open.txt", KIALO.encode(), MO, pack="demo"))["data"]
    assert both["flags"] & EPHEMERAL and "not both" in embed(both)["description"]
    nothing = await core_view(bot.app, "/list")
    assert "open-models-help-safety" not in text_of(nothing) and "`lag`" not in text_of(nothing)
    neither = only_callback(await bot.command("import", who=MO))["data"]
    assert neither["flags"] & EPHEMERAL


async def test_import_is_registered_with_an_optional_pack_and_a_file(
    discord_api: KeepingDiscordApi,
) -> None:
    settings_ = Settings(
        database_url="sqlite://", discord_token="t", discord_api_base_url=discord_api.base_url
    )
    assert await cli.sync(settings_, GUILD_ID) == 0
    (put,) = discord_api.find("PUT", "/commands")
    imported = next(c for c in put.body if c["name"] == "import")
    options = {o["name"]: o for o in imported["options"]}
    assert options["pack"]["required"] is False
    assert [c["value"] for c in options["pack"]["choices"]] == ["demo"]
    assert options["file"]["type"] == 11 and options["file"]["required"] is False
    assert "Kialo" in options["file"]["description"]


# -- anything typed gets an answer within Discord's limits ------------------------------

PINGS = ("@everyone", "@here", "<@&900000000000000020>", "<@900000000000000011>")
nasty = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            *PINGS,
            "**bold** __u__ ~~s~~ `code` ```block``` > quote || spoiler ||",
            "<!channel> <!here> <@U123> <#C1> &amp; &lt;",
            "'; DROP TABLE statements; --",
            "Robert'); DELETE FROM revisions WHERE ('1'='1",
            "\u202egninrow\u202c \u200b\u200d\ufeff \u2066rtl\u2069",
            "lag",
            "to:lag",
            "x" * 100_000,
            ("a\u0301 \U0001f600 " * 20_000)[:100_000],
        ]
    ),
)

#: Nicknames that exist in the demo or could be new, so that logging really happens.
SLUGS = st.one_of(
    st.sampled_from(["lag", "blank-slate", "mvp-researcher", READING]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
)


@st.composite
def options_for(draw: st.DrawFn, spec: CommandSpec) -> dict[str, Any]:
    """Option values Discord could deliver for `spec` (choices and ranges it enforces)."""
    values: dict[str, Any] = {}
    for option in spec.options:
        if not option.required and not draw(st.booleans()):
            continue
        if option.kind is OptionKind.INTEGER:
            values[option.name] = draw(st.integers(option.minimum or 0, option.maximum or 10**9))
        elif option.kind is OptionKind.WORD and option.choices:
            values[option.name] = draw(st.sampled_from(option.choices))
        elif option.kind is OptionKind.SLUG:
            values[option.name] = draw(st.one_of(SLUGS, nasty))
        elif option.kind is OptionKind.CREDIT:  # a user option: Discord sends a real member
            values[option.name] = draw(st.sampled_from([ANN, MO]))
        else:
            values[option.name] = draw(nasty)
    return values


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    spec = draw(st.sampled_from(COMMANDS))
    return spec.name, draw(options_for(spec))


QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@QUICK
@given(command=commands(), moderator=st.booleans())
async def test_any_options_get_an_answer_within_discords_limits(
    demo_bot: DiscordBot, command: tuple[str, dict[str, Any]], moderator: bool
) -> None:
    name, options = command
    sent = await demo_bot.command(name, who=MO if moderator else ANN, **options)
    never_failed(check_sent(sent))


@QUICK
@given(source=st.sampled_from([a for a in Autocomplete if a is not Autocomplete.NONE]), typed=nasty)
async def test_any_typed_prefix_gets_at_most_25_short_suggestions(
    demo_bot: DiscordBot, source: Autocomplete, typed: str
) -> None:
    spec, option = next((s, o) for s in COMMANDS for o in s.options if o.autocomplete is source)
    sent = await demo_bot.autocomplete(spec.name, option.name, typed[:6000])
    assert only_callback(sent)["type"] == 8
    check_sent(sent)


@QUICK
@given(
    custom_id=st.one_of(
        st.text(max_size=100),
        st.builds(lambda s: f"cx1:{s}"[:100], st.text(max_size=96)),
        st.sampled_from(["cx1:delete;slug=lag;", "cx1:agree;slug=lag;", "cx1:reply;to=lag;text"]),
    ),
    values=st.dictionaries(st.sampled_from(["text", "slug", "to", "x"]), nasty, max_size=3),
)
async def test_any_button_or_form_gets_an_answer_within_discords_limits(
    demo_bot: DiscordBot, custom_id: str, values: dict[str, str]
) -> None:
    pressed = await demo_bot.press(custom_id, who=ANN)
    never_failed(check_sent(pressed))
    submitted = await demo_bot.submit(custom_id, {k: v[:4000] for k, v in values.items()})
    never_failed(check_sent(submitted))


@QUICK
@given(text=nasty)
@example(text="`")
@example(text=" `` ")
async def test_any_mention_gets_an_answer_within_discords_limits(
    demo_bot: DiscordBot, text: str
) -> None:
    sent = await demo_bot.mention(text[:4000])
    posts = [r for r in sent if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 1
    never_failed(check_sent(sent))


# -- stored mentions ping nobody, wherever they are shown --------------------------------


async def test_mentions_in_stored_text_are_inert_everywhere_they_show(
    demo_bot: DiscordBot,
) -> None:
    hostile = " ".join(PINGS) + " read this"
    start = len(demo_bot.api.requests)
    await demo_bot.command("meeting", who=MO, action="start")
    await demo_bot.command("objection", slug="pings", text=hostile, to="lag")
    await demo_bot.command("reply", who=BOB, slug="pong", text=hostile, to="pings")
    await demo_bot.command("steelman", slug="lag", text=hostile)
    await demo_bot.command("list", kind="objections")
    await demo_bot.command("search", words="read this")
    await demo_bot.command("history")
    await demo_bot.command("steelman", slug="lag")
    await demo_bot.press(encode_action(Action("Replies", "list", (("to", "pings"),))))
    await demo_bot.mention("pings")
    await demo_bot.command("meeting", who=MO, action="end")
    bodies = check_sent(demo_bot.api.requests[start:])
    shown = [b for b in bodies if any(p in json.dumps(b) for p in PINGS)]
    assert len(shown) >= 8  # the hostile text really was shown back
    for body in bodies:
        assert body["allowed_mentions"] == NO_PINGS
        assert not any(p in (body.get("content") or "") for p in PINGS)
