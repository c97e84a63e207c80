"""Actions and decisions: recorded in meetings, listed in minutes, closed when done."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, text_of

FACILITATOR = replace(MODERATOR, user_name="Fay", user_id="u-fay")
OTHER_GROUP = replace(MODERATOR, workspace_id="elsewhere")


async def test_actions_and_decisions_go_into_the_minutes(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/agree lag", MEMBER)
    await demo_app.handle_line("/meeting start alignment-optimism", FACILITATOR)
    action = await demo_app.handle_line("/action Write up the evals argument by:Ann", FACILITATOR)
    assert action.body == "Action #1 for Ann in meeting 1: Write up the evals argument"
    decision = await demo_app.handle_line("/decision Next week we read the rebuttal", FACILITATOR)
    assert decision.body == "Decision #2 in meeting 1: Next week we read the rebuttal"
    minutes = text_of(await demo_app.handle_line("/meeting end", FACILITATOR))
    assert "**Decisions**\n- #2 Fay: Next week we read the rebuttal" in minutes
    assert "**Actions**\n- #1 Ann: Write up the evals argument" in minutes


async def test_open_actions_across_meetings_and_closing_one(app: Cruxbot) -> None:
    empty = await app.handle_line("/actions", MEMBER)
    assert empty.body == "No open actions."
    await app.handle_line("/action Read the appendix", MEMBER)
    await app.handle_line("/action Find the benchmark data", OTHER_MEMBER)
    await app.handle_line("/decision Meet fortnightly", MEMBER)
    listed = await app.handle_line("/actions", MEMBER)
    assert listed.body == "#1 Ann: Read the appendix\n#2 Bob: Find the benchmark data"
    done = await app.handle_line("/action done 1", OTHER_MEMBER)
    assert done.body == "Action #1 is done: Read the appendix"
    assert (await app.handle_line("/actions", MEMBER)).body == "#2 Bob: Find the benchmark data"
    again = await app.handle_line("/action done 1", MEMBER)
    assert again.body == "Action #1 is done already."
    not_action = await app.handle_line("/action done 3", MEMBER)
    assert not_action.error and "There is no action #3" in not_action.body
    undone = await app.handle_line("/undo", OTHER_MEMBER)
    assert not undone.error, undone.body
    assert "#1 Ann: Read the appendix" in (await app.handle_line("/actions", MEMBER)).body


async def test_another_workspace_cannot_see_or_close_an_action(app: Cruxbot) -> None:
    await app.handle_line("/action Read the appendix", MEMBER)
    refused = await app.handle_line("/action done 1", OTHER_GROUP)
    assert refused.error and "There is no action #1" in refused.body
    assert (await app.handle_line("/actions", OTHER_GROUP)).body == "No open actions."
    assert "#1 Ann" in (await app.handle_line("/actions", MEMBER)).body


async def test_closing_another_workspaces_action_number_leaves_that_action_open(
    app: Cruxbot,
) -> None:
    """Action numbers are counted across workspaces, so a group can name another's number.

    `/action done N` looks the action up in the caller's workspace only: the
    other group's action stays open, and so does the caller's own.
    """
    theirs = await app.handle_line("/action Read the appendix", MEMBER)
    ours = await app.handle_line("/action Find the benchmark data", OTHER_GROUP)
    assert theirs.body.startswith("Action #1 ") and ours.body.startswith("Action #2 ")
    refused = await app.handle_line("/action done 1", OTHER_GROUP)
    assert refused.error and refused.body == "There is no action #1."
    assert (await app.handle_line("/actions", MEMBER)).body == "#1 Ann: Read the appendix"
    assert (await app.handle_line("/actions", OTHER_GROUP)).body == (
        "#2 Mo: Find the benchmark data"
    )
    closed = await app.handle_line("/action done 1", MEMBER)
    assert closed.body == "Action #1 is done: Read the appendix"  # not "done already"


async def test_an_empty_action_is_refused_with_the_reason(app: Cruxbot) -> None:
    refused = await app.handle_line("/action by:Ann", MODERATOR)
    assert refused.error and "needs a text" in refused.body


async def test_actions_travel_in_the_json_backup(app: Cruxbot) -> None:
    await app.handle_line("/meeting start", MODERATOR)
    await app.handle_line("/action Read the appendix", MEMBER)
    await app.handle_line("/decision Meet fortnightly", MEMBER)
    await app.handle_line("/meeting end", MODERATOR)
    name, exported = await app.export_text("json", None, MEMBER)
    restored = await app.import_file(name, exported.encode(), OTHER_GROUP)
    assert not restored.error, restored.body
    listed = (await app.handle_line("/actions", OTHER_GROUP)).body
    assert listed.endswith(": Read the appendix")
    again = await app.export_text("json", None, OTHER_GROUP)
    assert '"text": "Meet fortnightly"' in again[1]
