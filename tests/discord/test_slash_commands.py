"""Slash commands: what a member sees after typing them in Discord."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.commands.actions import decode_action
from bot.render.palette import ERROR, STATUS_SWATCHES
from bot.render.reply import Field
from bot.storage.models import Delivery
from testing_support.discord.payloads import ANN_ID, MOD_ROLE_ID, interaction_payload, member
from tests.discord.conftest import DiscordBot, manage_messages_member
from tests.discord.helpers import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_MESSAGE,
    EPHEMERAL,
    core_view,
    custom_ids,
    embed,
    field,
    only_callback,
)

NO_PINGS: dict[str, list[str]] = {"parse": []}


async def test_objection_lag_shows_the_objection_as_an_embed_with_buttons(
    demo_bot: DiscordBot,
) -> None:
    callback = only_callback(await demo_bot.command("objection", slug="lag"))
    assert callback["type"] == CHANNEL_MESSAGE
    data = callback["data"]
    assert data["allowed_mentions"] == NO_PINGS
    assert not data.get("flags", 0) & EPHEMERAL
    shown = embed(data)
    assert shown["title"].startswith("Objection `lag`")
    assert shown["color"] == STATUS_SWATCHES["open"].rgb
    assert field(shown, "Author") == "Priya"
    assert "mvp-researcher" in field(shown, "Against")
    assert field(shown, "Steelmen").startswith("2")
    actions = [decode_action(i) for i in custom_ids(data)]
    assert [(a.command, a.arguments) for a in actions[:3]] == [
        ("agree", {"slug": "lag"}),
        ("disagree", {"slug": "lag"}),
        ("unsure", {"slug": "lag"}),
    ]
    assert {a.command for a in actions} >= {"steelman", "reply", "list"}


async def test_steelman_blank_slate_works_as_typed(demo_bot: DiscordBot) -> None:
    callback = only_callback(await demo_bot.command("steelman", slug="blank-slate"))
    assert "blank-slate" in embed(callback["data"])["title"]
    assert callback["data"]["allowed_mentions"] == NO_PINGS


async def test_logging_an_objection_records_it_as_the_member(demo_bot: DiscordBot) -> None:
    text = "Interpretability may not scale to frontier models."
    callback = only_callback(
        await demo_bot.command("objection", slug="evals-gap", text=text, to="mvp-researcher")
    )
    shown = embed(callback["data"])
    assert shown["title"].startswith("Objection `evals-gap`")
    assert shown["description"] == text
    assert field(shown, "Author") == "Ann"
    stored = await core_view(demo_bot.core, "/objection evals-gap")
    assert stored.body == text
    assert Field("Author", "Ann") in stored.fields


async def test_errors_are_ephemeral_and_red(demo_bot: DiscordBot) -> None:
    callback = only_callback(await demo_bot.command("objection", slug="no-such-thing"))
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    assert embed(data)["color"] == ERROR.rgb
    assert data["allowed_mentions"] == NO_PINGS


async def test_integer_options_reach_the_core(demo_bot: DiscordBot) -> None:
    only_callback(await demo_bot.command("agree", slug="lag", credence=90))
    stances = next(
        f for f in (await core_view(demo_bot.core, "/objection lag")).fields if f.name == "Stances"
    )
    assert "Ann" in stances.value


async def test_autocomplete_offers_at_most_25_short_choices(demo_bot: DiscordBot) -> None:
    for n in range(30):
        title = f"Lag variant {n} " + "with a very long title that goes on " * 5
        reply = await core_view(demo_bot.core, f"/objection lag-v{n} {title} to:lag")
        assert not reply.error, reply.body
    callback = only_callback(await demo_bot.autocomplete("objection", "slug", "lag"))
    assert callback["type"] == AUTOCOMPLETE_RESULT
    choices = callback["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == "lag"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert any(len(c["name"]) == 100 for c in choices)  # long titles were cut, not dropped


async def test_autocomplete_follows_the_options_source(demo_bot: DiscordBot) -> None:
    readings = only_callback(await demo_bot.autocomplete("claim", "reading", "optim"))
    assert [c["value"] for c in readings["data"]["choices"]] == ["alignment-optimism"]
    commands = only_callback(await demo_bot.autocomplete("help", "command", "ste"))
    assert [c["value"] for c in commands["data"]["choices"]] == ["steelman"]


async def test_direct_messages_are_refused_politely(bot: DiscordBot) -> None:
    callback = only_callback(await bot.command("objection", slug="lag", in_guild=False))
    assert callback["data"]["flags"] & EPHEMERAL
    assert "server" in embed(callback["data"])["description"]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (member(ANN_ID, "Ann"), False),
        (member(ANN_ID, "Ann", roles=(MOD_ROLE_ID,)), True),  # the "Facilitator" role
        (manage_messages_member(ANN_ID, "Ann"), True),
    ],
)
async def test_moderators_by_manage_messages_or_a_named_role(
    bot: DiscordBot, who: dict[str, object], allowed: bool
) -> None:
    callback = only_callback(await bot.command("import", who=who, pack="demo"))
    assert bool(callback["data"].get("flags", 0) & EPHEMERAL) is not allowed
    shown = await core_view(bot.core, "/objection lag")
    assert shown.error is not allowed


async def test_a_replayed_interaction_logs_once(demo_bot: DiscordBot) -> None:
    first = await demo_bot.command(
        "steelman", interaction_id=4242, slug="lag", text="One bad lag is enough."
    )
    replay = await demo_bot.command(
        "steelman", interaction_id=4242, slug="lag", text="One bad lag is enough."
    )
    assert "#3" in embed(only_callback(first)["data"])["description"]
    assert replay == []
    shown = await core_view(demo_bot.core, "/objection lag")
    assert next(f.value for f in shown.fields if f.name == "Steelmen").startswith("3 ")


async def deliveries(bot: DiscordBot) -> int:
    async with bot.core.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Delivery)) or 0)


async def test_a_lookup_writes_nothing_and_its_replay_just_answers_again(
    demo_bot: DiscordBot,
) -> None:
    before = await deliveries(demo_bot)
    first = await demo_bot.command("objection", interaction_id=4343, slug="lag")
    replay = await demo_bot.command("objection", interaction_id=4343, slug="lag")
    for sent in (first, replay):
        assert embed(only_callback(sent)["data"])["title"].startswith("Objection `lag`")
    assert await deliveries(demo_bot) == before  # nothing recorded for a read


async def test_slow_work_is_deferred_then_edited_in(demo_bot: DiscordBot) -> None:
    demo_bot.client.interactions.defer_after = 0
    sent = await demo_bot.command("objection", slug="lag")
    assert only_callback(sent)["type"] == DEFERRED_MESSAGE
    edit = next(r for r in sent if r.method == "PATCH" and r.path.endswith("/@original"))
    assert embed(edit.body)["title"].startswith("Objection `lag`")
    assert edit.body["allowed_mentions"] == NO_PINGS


async def test_a_slow_error_still_reaches_only_the_caller(demo_bot: DiscordBot) -> None:
    demo_bot.client.interactions.defer_after = 0
    sent = await demo_bot.command("objection", slug="nope-nope")
    assert only_callback(sent)["type"] == DEFERRED_MESSAGE
    # Settle the public "thinking…" first (Discord would make the first follow-up public),
    # then answer privately, then remove the placeholder.
    steps = [(r.method, r.path.endswith("/@original")) for r in sent[1:]]
    assert steps == [("PATCH", True), ("POST", False), ("DELETE", True)]
    placeholder, followup = sent[1].body, sent[2].body
    assert not placeholder.get("embeds") and placeholder["allowed_mentions"] == NO_PINGS
    assert followup["flags"] & EPHEMERAL
    assert embed(followup)["color"] == ERROR.rgb
    assert followup["allowed_mentions"] == NO_PINGS


async def test_an_adapter_failure_shows_an_error_id_that_is_logged(
    demo_bot: DiscordBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(demo_bot.core, "run", broken)
    with caplog.at_level(logging.ERROR):
        callback = only_callback(await demo_bot.command("objection", slug="lag"))
    data = callback["data"]
    assert data["flags"] & EPHEMERAL
    message = embed(data)["description"]
    error_id = message.split("error id ")[1][:8]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


async def test_a_command_registered_by_an_older_version_says_how_to_fix_it(
    bot: DiscordBot,
) -> None:
    data = {"id": "1", "name": "no-longer-exists", "type": 1, "options": []}
    bot.client._connection.parse_interaction_create(interaction_payload(2, data))  # type: ignore[arg-type]
    request = await bot.api.wait_for(lambda r: r.path.endswith("/callback"))
    assert request.body["data"]["flags"] & EPHEMERAL
    assert "cruxbot discord sync" in embed(request.body["data"])["description"]


async def test_export_posts_the_map_as_a_file(demo_bot: DiscordBot) -> None:
    callback = only_callback(await demo_bot.command("export", format="md"))
    assert callback["_files"] == ["files[0]"]
    (attached,) = callback["data"]["attachments"]
    assert attached["filename"].endswith(".md")
    assert "image" not in embed(callback["data"])  # only pictures are shown inline
