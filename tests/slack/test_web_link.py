"""The "Open on the web" url button: Slack opens the page, the app only acknowledges."""

from __future__ import annotations

from testing_support.slack import SlackHarness
from tests.slack.test_commands import answer
from tests.slack.test_interactions import press, shown_buttons


async def test_the_web_link_button_opens_the_page_and_its_press_runs_nothing(
    slack: SlackHarness,
) -> None:
    slack.core.web.base_url = "https://pages.example"
    buttons = await shown_buttons(slack)
    link = buttons["Open on the web"]
    assert link["url"].startswith("https://pages.example/w/") and link["url"].endswith("/s/lag")
    before = len(slack.fake.responses)
    status, _ = await slack.interact(press(slack, link))
    assert status == 200
    await slack.settle()
    assert len(slack.fake.responses) == before  # no "button not valid" answer


async def test_without_a_public_address_there_is_no_web_link_button(slack: SlackHarness) -> None:
    await slack.command("/objection", "lag")
    body = await answer(slack)
    elements = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert not [e for e in elements if "url" in e]
