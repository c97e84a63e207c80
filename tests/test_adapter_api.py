"""What the core offers adapters: buttons, autocomplete, mentions, retries, forms."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.commands.actions import action_line, decode_action, encode_action, form_arguments
from bot.commands.spec import Autocomplete
from bot.context import QuotedMessage
from bot.errors import UserError
from bot.events import CommandEvent
from bot.render.reply import Action, Reply
from bot.services.registry import Args
from bot.storage.unit_of_work import UnitOfWork
from tests.conftest import MEMBER, OTHER_MEMBER, text_of

slugs = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,2}", fullmatch=True)


@given(slug=slugs, command=st.sampled_from(["agree", "disagree", "unsure", "steelman"]))
def test_button_ids_round_trip_and_fit_discord(slug: str, command: str) -> None:
    action = Action(
        "Label", command, (("slug", slug),), ask=("text",) if command == "steelman" else ()
    )
    encoded = encode_action(action)
    assert len(encoded) <= 100
    decoded = decode_action(encoded, "Label")
    assert decoded == action


def test_reply_button_asks_for_text_and_offers_a_nickname() -> None:
    action = Action("Reply", "reply", (("to", "lag"),), ask=("text",), offer=("slug",))
    assert decode_action(encode_action(action), "Reply") == action
    assert action_line(action) == "/reply <slug> <text> to:lag"


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "cx1:",
        "cx1:drop;;",
        "cx1:agree;evil=1;",
        "cx1:agree;slug=Bad Slug;",
        "cx1:agree;slug=lag;nosuch",
        "cx9:agree;slug=lag;",
        "cx1:agree;slug=lag",
        "x" * 200,
    ],
)
def test_forged_button_ids_are_refused(forged: str) -> None:
    with pytest.raises(UserError):
        decode_action(forged)


async def test_autocomplete_prefers_prefix_matches_and_respects_kind(demo_app: Cruxbot) -> None:
    choices = await demo_app.autocomplete(Autocomplete.STATEMENTS, "la", MEMBER)
    assert choices[0].value == "lag"
    assert all(len(c.label) <= 100 for c in choices)
    claims = await demo_app.autocomplete(Autocomplete.CLAIMS, "", MEMBER)
    assert "blank-slate" in [c.value for c in claims]
    assert "lag" not in [c.value for c in claims]
    by_title = await demo_app.autocomplete(Autocomplete.OBJECTIONS, "capabilities", MEMBER)
    assert "capabilities-spillover" in [c.value for c in by_title]
    readings = await demo_app.autocomplete(Autocomplete.READINGS, "optim", MEMBER)
    assert [c.value for c in readings] == ["alignment-optimism"]
    commands = await demo_app.autocomplete(Autocomplete.COMMANDS, "ste", MEMBER)
    assert [c.value for c in commands] == ["steelman"]
    assert await demo_app.autocomplete(Autocomplete.STATEMENTS, "%_'\\", MEMBER) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lag", "Objection `lag`"),
        ("objection lag", "Objection `lag`"),
        ("/steelman blank-slate", "Steelman of `blank-slate`"),
        ("what did we say about evaluation?", "Closest to: what did we say about evaluation?"),
        ("", "Cruxbot commands"),
    ],
)
async def test_mentions_run_commands_show_slugs_or_ask(
    demo_app: Cruxbot, text: str, expected: str
) -> None:
    reply = await demo_app.answer_mention(text, MEMBER)
    assert expected in text_of(reply)


async def test_a_redelivered_request_is_recognised(app: Cruxbot) -> None:
    assert await app.first_delivery("slack:Ev123")
    assert not await app.first_delivery("slack:Ev123")
    assert await app.first_delivery("slack:Ev124")


async def test_a_form_without_a_nickname_gets_one_from_the_text(demo_app: Cruxbot) -> None:
    text = "Evaluation is easier than generation, so checking keeps pace."
    first = await demo_app.run("reply", {"text": text, "to": "lag"}, MEMBER)
    second = await demo_app.run("reply", {"text": text, "to": "lag"}, MEMBER)
    assert "Reply `evaluation-easier-generation-checking`" in first.title
    assert "Reply `evaluation-easier-generation-checking-2`" in second.title


async def test_a_message_turned_into_a_statement_quotes_its_writer(demo_app: Cruxbot) -> None:
    quoted = QuotedMessage(text="Said in chat.", author_id="u-ann", author_name="Ann")
    invoker = replace(OTHER_MEMBER, quoted=quoted, origin_url="https://chat.example/m/1")
    logged = await demo_app.run(
        "objection", {"slug": "from-chat", "to": "lag", "text": "Said in chat."}, invoker
    )
    shown = text_of(logged)
    assert "Author: Bob" in shown and "Quoted: from Ann's message" in shown
    assert "First raised: https://chat.example/m/1" in shown
    # the member who logged it may edit it; Ann, who only wrote the message, may not
    refused = await demo_app.handle_line("/edit from-chat text Changed.", MEMBER)
    assert refused.error
    assert not (await demo_app.handle_line("/edit from-chat text Changed.", OTHER_MEMBER)).error


async def test_serve_demo_loads_the_pack_into_each_new_workspace(app: Cruxbot) -> None:
    seeded = Cruxbot(app.engine, demo_for_new_workspaces=True)
    guild = replace(MEMBER, platform="discord", workspace_id="42")
    first = await seeded.handle_line("/objection lag", guild)
    assert "Objection `lag`" in first.title
    again = await seeded.handle_line("/list objections", guild)
    assert "6 in all" in again.footer  # loaded once, not on every command


async def test_observers_see_every_command_with_its_outcome(demo_app: Cruxbot) -> None:
    events: list[CommandEvent] = []
    demo_app.observers.append(events.append)

    async def boom(uow: UnitOfWork, args: Args) -> Reply:
        raise RuntimeError("boom")

    demo_app.handlers["agree"] = boom
    await demo_app.handle_line("/objection lag", MEMBER)
    await demo_app.handle_line("/objection nope", MEMBER)
    failed = await demo_app.handle_line("/agree lag", MEMBER)
    assert [(e.name, e.platform, e.outcome) for e in events] == [
        ("objection", "console", "ok"),
        ("objection", "console", "refused"),
        ("agree", "console", "error"),
    ]
    assert events[-1].error_id == failed.error_id != ""
    assert all(e.seconds >= 0 for e in events)


async def test_open_meetings_are_counted(demo_app: Cruxbot) -> None:
    assert await demo_app.open_meetings() == 0
    await demo_app.handle_line("/meeting start", MEMBER)
    assert await demo_app.open_meetings() == 1


def test_a_form_reads_only_its_fields_and_cannot_change_its_buttons_options() -> None:
    """Discord and Slack forms run with the same options from the same submission."""
    steelman = Action("Steelman", "steelman", (("slug", "lag"),), ask=("text",), offer=("slug",))
    submitted = {"text": "Stronger.", "slug": "other", "to": "elsewhere"}
    assert form_arguments(steelman, submitted) == {"text": "Stronger.", "slug": "lag"}
