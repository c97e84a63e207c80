"""Asking in chat, and what no stored text can do: ping people or break Discord's limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.discord.mentions import thread_name
from adapters.discord.render import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    TITLE_MAX,
    build_embed,
    render,
)
from bot.render.reply import Attachment, Field, Reply
from testing_support.discord.payloads import (
    BOB_ID,
    CHANNEL_ID,
    GUILD_ID,
    GUILD_MODERATOR,
    snowflake,
    user,
)
from tests.discord.conftest import DiscordBot
from tests.discord.helpers import core_view, embed, only_callback

NO_PINGS: dict[str, list[str]] = {"parse": []}


def _embed_size(e: dict[str, object]) -> int:
    fields = e.get("fields", [])
    assert isinstance(fields, list)
    footer = e.get("footer", {})
    assert isinstance(footer, dict)
    return (
        len(str(e.get("title", "")))
        + len(str(e.get("description", "")))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(str(footer.get("text", "")))
    )


async def test_a_mention_is_answered_in_a_new_thread(demo_bot: DiscordBot) -> None:
    message_id = snowflake()
    sent = await demo_bot.mention("lag", message_id=message_id)
    thread = next(
        r for r in sent if r.path == f"/channels/{CHANNEL_ID}/messages/{message_id}/threads"
    )
    assert "lag" in thread.body["name"] and len(thread.body["name"]) <= 100
    post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
    assert post.path != f"/channels/{CHANNEL_ID}/messages"  # in the thread, not the channel
    assert embed(post.body)["title"].startswith("Objection `lag`")
    assert post.body["allowed_mentions"] == NO_PINGS


async def test_a_mention_runs_commands_and_answers_questions(demo_bot: DiscordBot) -> None:
    sent = await demo_bot.mention("/steelman blank-slate")
    post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
    assert "blank-slate" in embed(post.body)["title"]
    sent = await demo_bot.mention("what did we say about evaluation?")
    post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
    assert embed(post.body)["title"] == "Closest to: what did we say about evaluation?"
    assert "`rigorous-evals`" in embed(post.body)["description"]


async def test_logging_by_mention_links_back_to_the_message(demo_bot: DiscordBot) -> None:
    message_id = snowflake()
    await demo_bot.mention("objection slow-evals Evals lag too. to:lag", message_id=message_id)
    stored = await core_view(demo_bot.core, "/objection slow-evals")
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{message_id}"
    assert Field("First raised", link) in stored.fields


async def test_without_thread_rights_the_answer_goes_to_the_channel(demo_bot: DiscordBot) -> None:
    demo_bot.api.fail_threads = True
    sent = await demo_bot.mention("lag")
    post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
    assert post.path == f"/channels/{CHANNEL_ID}/messages"
    assert post.body["allowed_mentions"] == NO_PINGS


async def test_a_redelivered_message_is_answered_once(demo_bot: DiscordBot) -> None:
    message_id = snowflake()
    assert await demo_bot.mention("lag", message_id=message_id)
    assert await demo_bot.mention("lag", message_id=message_id) == []


async def test_messages_from_bots_are_ignored(demo_bot: DiscordBot) -> None:
    assert await demo_bot.mention("lag", author=user(BOB_ID, "OtherBot", bot=True)) == []


async def test_mentions_in_stored_text_never_ping(demo_bot: DiscordBot) -> None:
    hostile = "@everyone @here <@&1> <@900000000000000011> read this"
    logged = only_callback(
        await demo_bot.command("objection", slug="ping-test", text=hostile, to="lag")
    )
    shown = only_callback(await demo_bot.command("objection", slug="ping-test"))
    for callback in (logged, shown):
        data = callback["data"]
        assert data["allowed_mentions"] == NO_PINGS
        assert not data.get("content")  # user text only in the embed, which never pings
        assert embed(data)["description"] == hostile  # shown exactly as given
    sent = await demo_bot.mention("ping-test")
    post = next(r for r in sent if r.method == "POST" and r.path.endswith("/messages"))
    assert post.body["allowed_mentions"] == NO_PINGS
    assert embed(post.body)["description"] == hostile


async def test_very_long_stored_text_stays_within_embed_limits(demo_bot: DiscordBot) -> None:
    text = "Long objection. " + "word " * 790
    quote = "quoted " * 570
    only_callback(await demo_bot.command("objection", slug="long-one", text=text, to="lag"))
    edited = await demo_bot.command("edit", slug="long-one", field="quote", value=quote)
    assert not only_callback(edited)["data"].get("flags", 0) & 64
    for n in range(20):
        await demo_bot.core.handle_line(
            f"/reply long-reply-{n} {'A reply with a long title ' * 4} to:long-one",
            GUILD_MODERATOR,
        )
    shown = embed(only_callback(await demo_bot.command("objection", slug="long-one"))["data"])
    assert len(shown["description"]) <= DESCRIPTION_MAX
    assert shown["description"].endswith("…")
    assert _embed_size(shown) <= EMBED_TOTAL_MAX


def test_any_reply_is_cut_to_discords_limits_with_a_marker() -> None:
    reply = Reply(
        title="T" * 1000,
        body="B" * 10_000,
        fields=tuple(Field("N" * 300, "V" * 2000) for _ in range(40)),
        footer="F" * 3000,
    )
    e = build_embed(reply).to_dict()
    assert len(e["title"]) == TITLE_MAX and e["title"].endswith("…")
    assert len(e["description"]) <= DESCRIPTION_MAX and e["description"].endswith("…")
    assert len(e["fields"]) <= FIELDS_MAX
    assert all(len(f["name"]) <= FIELD_NAME_MAX for f in e["fields"])
    assert all(len(f["value"]) <= FIELD_VALUE_MAX for f in e["fields"])
    assert len(e["footer"]["text"]) <= FOOTER_MAX
    assert _embed_size(dict(e)) <= EMBED_TOTAL_MAX
    assert "more not shown" in str(e["fields"][-1]["value"])


def test_an_empty_reply_still_makes_a_valid_embed() -> None:
    e = build_embed(Reply(fields=(Field("", ""),))).to_dict()
    assert e["description"] and e["fields"][0]["name"] and e["fields"][0]["value"]


async def test_a_file_in_a_reply_is_uploaded_with_the_answer(
    bot: DiscordBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def with_map(*_: object) -> Reply:
        png = Attachment("cruxbot-lag.png", b"\x89PNG not really", "the argument map")
        return Reply(title="Map of lag", body="See the picture.", attachment=png)

    monkeypatch.setattr(bot.core, "run", with_map)
    callback = only_callback(await bot.command("objection", slug="lag"))
    assert callback["_files"] == ["files[0]"]
    assert callback["data"]["attachments"][0]["filename"] == "cruxbot-lag.png"
    assert callback["data"]["attachments"][0]["description"] == "the argument map"
    assert embed(callback["data"])["image"]["url"] == "attachment://cruxbot-lag.png"
    assert callback["data"]["allowed_mentions"] == NO_PINGS


async def test_an_image_file_of_a_reply_is_uploaded_too(
    bot: DiscordBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = Attachment("map.png", b"\x89PNG not really")

    async def with_image(*_: object) -> Reply:
        return Reply(title="The map", attachment=image)

    monkeypatch.setattr(bot.core, "run", with_image)
    callback = only_callback(await bot.command("objection", slug="lag"))
    assert callback["_files"] == ["files[0]"]
    assert embed(callback["data"])["image"]["url"] == "attachment://map.png"


def test_a_file_too_large_for_the_channel_is_left_out_with_a_note(tmp_path: Path) -> None:
    image = Attachment("big.png", b"x" * 100)
    rendered = render(Reply(title="Map", attachment=image), file_limit=10)
    assert rendered.file is None
    assert "too large" in str(rendered.embed.footer.text)


async def test_where_files_may_not_be_attached_the_answer_comes_without_it(
    bot: DiscordBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = Attachment("map.png", b"\x89PNG not really")

    async def with_image(*_: object) -> Reply:
        return Reply(title="The map", body="See the picture.", attachment=image)

    monkeypatch.setattr(bot.core, "answer_mention", with_image)
    bot.api.fail_files = True
    sent = await bot.mention("map")
    posts = [r for r in sent if r.method == "POST" and r.path.endswith("/messages")]
    assert [bool(p.body.get("_files")) for p in posts] == [True, False]
    answer = embed(posts[-1].body)
    assert answer["description"] == "See the picture." and "map.png" in answer["footer"]["text"]
    assert "image" not in answer


async def test_a_question_of_only_backticks_still_gets_a_named_thread(
    demo_bot: DiscordBot,
) -> None:
    sent = await demo_bot.mention("`")  # nothing to ask: the answer says how to ask
    threads = [r for r in sent if r.path.endswith("/threads")]
    assert [t.body["name"] for t in threads] == ["Ask in plain words"]
    # A reply without a title, to a question with nothing readable, is still named.
    assert thread_name(Reply(title="", body="?"), "` `") == "Cruxbot"
