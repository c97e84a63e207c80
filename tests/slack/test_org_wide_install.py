"""An org-wide (Enterprise Grid) install: one map for the organisation, whatever the path.

The requests are Bolt's own org-wide payloads (tests/data/slack): a form's
`team` is null and its `user.team_id` is not the installed team, a button
carries the presser's home team, a command the team it was typed in, and an
event no team at all. Each is sent signed to the real Bolt app; whatever the
member used, and from whichever of the organisation's workspaces, it reads
and writes the organisation's map.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from testing_support.slack import BOT_USER, SLACK_MODERATOR, USERS, SlackHarness, wait_for
from tests.conftest import age_meetings, text_of
from tests.slack.test_commands import answer, texts

DATA = Path(__file__).resolve().parents[1] / "data" / "slack"
ORG = "E111"
#: The organisation's map, as a moderator sees it from the core.
ORG_MODERATOR = replace(SLACK_MODERATOR, workspace_id=ORG, channel_id="C111")
_ids = itertools.count()


def fixture(name: str) -> dict[str, Any]:
    """One of Bolt's org-wide payloads, fresh for each use."""
    data: dict[str, Any] = json.loads((DATA / f"org_wide_{name}.json").read_text())
    return copy.deepcopy(data)


@pytest.fixture
async def org(slack: SlackHarness) -> SlackHarness:
    """The harness with the demo reading in the organisation's map."""
    reply = await slack.core.handle_line("/import demo", ORG_MODERATOR)
    assert not reply.error, reply.body
    return slack


async def command(slack: SlackHarness, name: str, text: str, team: str = "T111") -> None:
    """A slash command typed in the organisation's workspace `team`."""
    body = fixture("slash_command") | {
        "team_id": team,
        "command": name,
        "text": text,
        "response_url": slack.fake.response_url(),
        "trigger_id": f"tr-org-{next(_ids)}",
    }
    status, _ = await slack.post(urlencode(body), "application/x-www-form-urlencoded")
    assert status == 200


def press(slack: SlackHarness, element: dict[str, Any]) -> dict[str, Any]:
    """Bolt's org-wide block_actions, pressing `element` (a button of ours)."""
    payload = fixture("block_actions")
    payload["actions"][0] |= {
        "action_id": element["action_id"],
        "value": element.get("value", ""),
        "text": element["text"],
        "action_ts": f"{time.time():.6f}",
    }
    payload["trigger_id"] = f"tr-org-{next(_ids)}"
    payload["response_url"] = slack.fake.response_url()
    return payload


def submit(opened: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Bolt's org-wide view_submission of the modal the app opened, with `values` typed."""
    payload = fixture("view_submission")
    view = opened["view"]
    payload["view"] |= {
        "blocks": view["blocks"],
        "private_metadata": view["private_metadata"],
        "callback_id": view["callback_id"],
        "id": f"V-org-{next(_ids)}",
        "state": {
            "values": {
                name: {"value": {"type": "plain_text_input", "value": value}}
                for name, value in values.items()
            }
        },
    }
    return payload


def shortcut(slack: SlackHarness, text: str) -> dict[str, Any]:
    """The "Log as objection" shortcut, with the org-wide fields of Bolt's block_actions."""
    org_wide = fixture("block_actions")
    return {
        "type": "message_action",
        "callback_id": "log_objection",
        "trigger_id": f"tr-org-{next(_ids)}",
        "team": org_wide["team"],  # null
        "enterprise": org_wide["enterprise"],
        "is_enterprise_install": org_wide["is_enterprise_install"],
        "user": org_wide["user"],
        "channel": org_wide["channel"],
        "message": {"type": "message", "user": "W222", "ts": "1700000000.000100", "text": text},
        "message_ts": "1700000000.000100",
        "response_url": slack.fake.response_url(),
        "token": org_wide["token"],
    }


async def statement_buttons(slack: SlackHarness, slug: str) -> dict[str, dict[str, Any]]:
    before = len(slack.fake.responses)
    await command(slack, "/objection", slug)
    shown = await answer(slack, before + 1)
    assert f"Objection `{slug}`" in texts(shown["blocks"]), texts(shown["blocks"])
    elements = [e for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return {e["text"]["text"]: e for e in elements if e["type"] == "button"}


async def test_a_steelman_form_lands_in_the_organisations_map(org: SlackHarness) -> None:
    steelman = (await statement_buttons(org, "lag"))["Steelman"]
    await org.interact(press(org, steelman))
    opened = (await wait_for(lambda: org.fake.called("views.open")))[0]
    text = "Even a short lag is fatal if the first misaligned system is decisive."
    status, _ = await org.interact(submit(opened, {"text": text}))
    assert status == 200
    logged = await answer(org, 2)
    assert "Added steelman #3 of `lag`" in texts(logged["blocks"])
    assert text in text_of(await org.core.handle_line("/steelman lag", ORG_MODERATOR))


async def test_log_as_objection_is_seen_by_a_command_from_another_workspace_of_the_org(
    org: SlackHarness,
) -> None:
    words = "Can we check this at scale?"
    await org.interact(shortcut(org, words))
    opened = (await wait_for(lambda: org.fake.called("views.open")))[0]
    values = {"text": words, "slug": "check-scale", "to": "lag"}
    assert (await org.interact(submit(opened, values)))[0] == 200
    logged = await answer(org)
    assert ":warning:" not in texts(logged["blocks"]), texts(logged["blocks"])
    await command(org, "/objection", "check-scale", team="T222")
    shown = texts((await answer(org, 2))["blocks"])
    assert "Objection `check-scale`: Can we check this at scale?" in shown


async def test_a_command_and_a_form_from_two_workspaces_build_one_map(org: SlackHarness) -> None:
    await command(org, "/objection", "typed-one Typed in one workspace. to:lag", team="T111")
    assert ":warning:" not in texts((await answer(org))["blocks"])
    reply = (await statement_buttons(org, "typed-one"))["Reply"]
    await org.interact(press(org, reply))
    opened = (await wait_for(lambda: org.fake.called("views.open")))[0]
    await org.interact(submit(opened, {"text": "Answered from a form.", "slug": "formed"}))
    assert ":warning:" not in texts((await answer(org, 3))["blocks"])
    await command(org, "/list", "replies to:typed-one", team="T222")
    assert "formed" in texts((await answer(org, 4))["blocks"])


async def test_a_mention_is_answered_from_the_organisations_map(org: SlackHarness) -> None:
    body = fixture("app_mention")
    body["event"]["text"] = f"<@{BOT_USER}> lag"
    status, _ = await org.post(json.dumps(body), "application/json")
    assert status == 200
    posted = await wait_for(lambda: org.fake.called("chat.postMessage"))
    assert "Alignment progress may stay one step behind capabilities" in json.dumps(posted[0])


async def test_the_app_home_shows_the_organisations_map(org: SlackHarness) -> None:
    body = fixture("app_home_opened")
    body["event"]["tab"] = "home"
    status, _ = await org.post(json.dumps(body), "application/json")
    assert status == 200
    published = (await wait_for(lambda: org.fake.called("views.publish")))[0]
    assert "`lag`" in json.dumps(published["view"])


async def test_a_request_whose_installation_cannot_be_told_changes_nothing(
    org: SlackHarness,
) -> None:
    before = text_of(await org.core.handle_line("/list objections", ORG_MODERATOR))
    body = fixture("slash_command") | {
        "command": "/objection",
        "text": "orphan Which map is this? to:lag",
        "response_url": org.fake.response_url(),
    }
    del body["enterprise_id"]  # org-wide, but no organisation named
    await org.post(urlencode(body), "application/x-www-form-urlencoded")
    refused = await answer(org)
    assert ":warning:" in texts(refused["blocks"])
    assert "workspace" in texts(refused["blocks"])
    after = text_of(await org.core.handle_line("/list objections", ORG_MODERATOR))
    assert after == before


async def test_the_sweep_posts_the_organisations_minutes_with_its_org_wide_token(
    org: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_of = org.fake._answer

    def org_wide(method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        if method == "auth.test":  # an org-wide bot token
            return answer_of(method, args) | {
                "team_id": "T111",
                "enterprise_id": ORG,
                "is_enterprise_install": True,
            }
        return answer_of(method, args)

    monkeypatch.setattr(org.fake, "_answer", org_wide)
    await org.adapter.sweeper.close()  # from here on, only the sweep below runs
    own = replace(ORG_MODERATOR, channel_id="C-ORG")
    assert not (await org.core.handle_line("/meeting start", own)).error
    one_team = replace(ORG_MODERATOR, workspace_id="T111", channel_id="C-TEAM")
    assert not (await org.core.handle_line("/meeting start", one_team)).error
    await age_meetings(org.core, 7)
    assert await org.adapter.sweeper.sweep() == 2
    assert [p["channel"] for p in org.fake.called("chat.postMessage")] == ["C-ORG"]


async def test_in_the_organisations_map_only_its_admins_moderate(
    org: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def grid_user(user_id: str, team_admin: bool, org_admin: bool) -> dict[str, Any]:
        """users.info of an Enterprise Grid user (enterprise_user holds the org's flags)."""
        enterprise = {"id": user_id, "enterprise_id": ORG, "is_admin": org_admin}
        return {"id": user_id, "name": user_id.lower(), "is_admin": team_admin} | {
            "profile": {"display_name": user_id},
            "enterprise_user": enterprise | {"is_owner": False, "teams": ["T111"]},
        }

    monkeypatch.setitem(USERS, "WTEAMADMIN", grid_user("WTEAMADMIN", True, False))
    monkeypatch.setitem(USERS, "WORGADMIN", grid_user("WORGADMIN", False, True))
    for user, refused in (("WTEAMADMIN", True), ("WORGADMIN", False)):
        before = len(org.fake.responses)
        body = fixture("slash_command") | {
            "user_id": user,
            "command": "/crux-status",
            "text": "lag answered",
            "response_url": org.fake.response_url(),
            "trigger_id": f"tr-org-{next(_ids)}",
        }
        await org.post(urlencode(body), "application/x-www-form-urlencoded")
        shown = texts((await answer(org, before + 1))["blocks"])
        assert ("Only the author or a moderator" in shown) is refused, shown
    status = text_of(await org.core.handle_line("/objection lag", ORG_MODERATOR))
    assert "Status: answered" in status
