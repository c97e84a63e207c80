"""A form the core would refuse stays open, naming the field to fix, with the text kept.

Ann uses "Log as objection" on Bob's message and submits the form through
signed requests to the real Bolt app. What the core would refuse is answered
with Slack's `response_action: "errors"` (Slack then keeps the modal open with
what was typed, the message under the named field) and nothing is run; a
correct form is logged as before.
"""

from __future__ import annotations

import json
from typing import Any

from testing_support.slack import SLACK_MODERATOR, SlackHarness, wait_for
from tests.conftest import text_of
from tests.slack.test_commands import answer
from tests.slack.test_interactions import submit
from tests.slack.test_log_as_attribution import shortcut

WORDS = "Can we check this at scale?"


async def _open_form(slack: SlackHarness) -> dict[str, Any]:
    await slack.interact(shortcut(slack, WORDS))
    return dict((await wait_for(lambda: slack.fake.called("views.open")))[0])


async def _submit(slack: SlackHarness, values: dict[str, str]) -> dict[str, Any]:
    """Submit the "Log as objection" form; what Slack got back as the acknowledgement."""
    opened = await _open_form(slack)
    status, body = await slack.interact(submit(opened, values))
    assert status == 200
    await slack.settle()
    return json.loads(body) if body else {}


async def _nothing_logged(slack: SlackHarness, slug: str = "check") -> None:
    assert slack.fake.responses == []  # no refusal posted after the form closed
    shown = await slack.core.handle_line(f"/objection {slug}", SLACK_MODERATOR)
    assert shown.error and f"There is no objection `{slug}`" in shown.body


async def test_an_objection_without_a_target_keeps_the_form_open_naming_the_target(
    slack: SlackHarness,
) -> None:
    acked = await _submit(slack, {"text": WORDS, "slug": "check"})
    assert acked == {
        "response_action": "errors",
        # no reading is set in the channel, so it cannot answer the reading as a whole
        "errors": {"to": "Say which statement this objection answers: no reading is set here."},
    }
    await _nothing_logged(slack)


async def test_an_unknown_target_is_named_with_the_nicknames_it_may_mean(
    slack: SlackHarness,
) -> None:
    acked = await _submit(slack, {"text": WORDS, "slug": "check", "to": "lagg"})
    assert acked["response_action"] == "errors"
    assert list(acked["errors"]) == ["to"]
    assert acked["errors"]["to"].startswith("There is no statement `lagg`. Did you mean `lag`")
    await _nothing_logged(slack)


async def test_a_taken_nickname_is_named_and_the_other_statement_is_untouched(
    slack: SlackHarness,
) -> None:
    before = text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR))
    acked = await _submit(slack, {"text": WORDS, "slug": "lag", "to": "lag"})
    assert acked == {
        "response_action": "errors",
        "errors": {"slug": "The nickname `lag` is taken: pick another."},
    }
    assert slack.fake.responses == []
    assert text_of(await slack.core.handle_line("/objection lag", SLACK_MODERATOR)) == before


async def test_every_problem_is_named_at_once(slack: SlackHarness) -> None:
    acked = await _submit(slack, {"text": WORDS, "slug": "Not A Nickname!"})
    assert set(acked["errors"]) == {"slug", "to"}
    assert "nickname" in acked["errors"]["slug"]
    await _nothing_logged(slack)


async def test_a_correct_form_is_logged_and_acknowledged_without_errors(
    slack: SlackHarness,
) -> None:
    acked = await _submit(slack, {"text": WORDS, "slug": "check", "to": "lag"})
    assert acked == {}  # an empty acknowledgement: Slack closes the form
    logged = await answer(slack)
    assert logged["response_type"] == "in_channel"
    shown = text_of(await slack.core.handle_line("/objection check", SLACK_MODERATOR))
    assert "Objection `check`: Can we check this at scale?" in shown


async def test_text_of_spaces_only_is_named_rather_than_showing_a_statement(
    slack: SlackHarness,
) -> None:
    # Slack accepts spaces in a required field; the command would read them as no text.
    acked = await _submit(slack, {"text": "   ", "slug": "lag", "to": "lag"})
    assert acked == {"response_action": "errors", "errors": {"text": "This is empty."}}
    assert slack.fake.responses == []
