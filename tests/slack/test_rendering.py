"""Nothing a member types pings anyone, and nothing is too big for Slack."""

from __future__ import annotations

import json

import pytest

from adapters.slack.blocks import MESSAGE_BLOCKS, home_view, message
from bot.render.reply import Action, Field, Reply
from testing_support.slack import BOT_USER, SLACK_MODERATOR, SlackHarness, check_blocks, wait_for
from tests.conftest import text_of
from tests.slack.test_commands import answer, texts

PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U2>", "<@U2|bob>", "<!subteam^S1>")


def everything_sent(slack: SlackHarness) -> str:
    """All the bot sent to Slack (Web API calls and response_urls), as text."""
    sent = [c.args for c in slack.fake.calls] + [body for _, body in slack.fake.responses]
    return json.dumps(sent, ensure_ascii=False)


async def test_mentions_typed_by_members_never_ping(slack: SlackHarness) -> None:
    # Slack delivers @channel as a token and a literally typed "<!here>" as entities
    typed = "ping-all Wake up <!channel> &lt;!here&gt; &lt;!everyone&gt; <@U2|bob> &amp; co to:lag"
    await slack.command("/objection", typed)
    logged = await answer(slack)
    assert "Objection `ping-all`" in texts(logged["blocks"])
    stored = text_of(await slack.core.handle_line("/objection ping-all", SLACK_MODERATOR))
    assert "Wake up @channel <!here> <!everyone> @bob & co" in stored  # kept as meant
    await slack.command("/objection", "ping-all", trigger="tr-again")
    await answer(slack, 2)
    await slack.event(
        {
            "type": "app_mention",
            "user": "U1",
            "text": f"<@{BOT_USER}> ping-all",
            "ts": "1.1",
            "channel": "C1",
        }
    )
    await wait_for(lambda: slack.fake.called("chat.postMessage"))
    await slack.event({"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="Ev9")
    await wait_for(lambda: slack.fake.called("views.publish"))
    sent = everything_sent(slack)
    assert "&lt;!here&gt;" in sent and "&lt;!everyone&gt;" in sent
    for ping in PINGS:
        assert ping not in sent


@pytest.mark.parametrize("size", [10, 3990])
async def test_long_text_stays_within_block_limits(slack: SlackHarness, size: int) -> None:
    long_text = ("A & B <c> " * 400)[:size].strip() or "x"
    as_delivered = long_text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    await slack.command("/objection", f"long-one {as_delivered} to:lag")
    body = await answer(slack)
    check_blocks(body["blocks"])
    shown = texts(body["blocks"])
    assert "&lt;c&gt;" in shown and "<c>" not in shown
    body_sections = [b.get("text", {}).get("text", "") for b in body["blocks"][1:]]
    pieces = [t for t in body_sections if "&lt;c&gt;" in t]
    assert len(pieces) == (3 if size > 3000 else 1)  # split over sections, nothing lost
    assert "".join(pieces) == as_delivered
    stored = text_of(await slack.core.handle_line("/objection long-one", SLACK_MODERATOR))
    assert long_text in stored


def test_a_huge_reply_is_cut_with_a_marker_not_rejected() -> None:
    huge = Reply(
        title="T" * 5000,
        body="\n".join(f"line {n} " + "&" * 200 for n in range(400)),
        fields=tuple(Field(f"F{n}", "v" * 3000, inline=n % 3 != 0) for n in range(60)),
        actions=tuple(Action(f"Agree {n}" * 20, "agree", (("slug", "lag"),)) for n in range(40)),
        accent="open",
        footer="f" * 5000,
    )
    sent = message(huge)
    check_blocks(sent["blocks"], limit=MESSAGE_BLOCKS)
    assert len(sent["blocks"]) == MESSAGE_BLOCKS
    shown = texts(sent["blocks"])
    assert "more than fits in one Slack message" in shown
    assert sent["blocks"][-1]["type"] == "context"  # the footer survives the cut
    assert sent["blocks"][-2]["type"] == "actions" and len(sent["blocks"][-2]["elements"]) <= 25
    assert "…" in sent["blocks"][0]["text"]["text"]
    assert len(sent["text"]) <= 3000
    home = home_view([huge, huge, huge]).to_dict()
    check_blocks(home["blocks"], limit=100)
