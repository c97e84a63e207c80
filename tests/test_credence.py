"""A credence is the probability that the statement is true, so it must fit the stance."""

from __future__ import annotations

from bot.app import Cruxbot
from tests.conftest import MEMBER, text_of


async def test_disagreeing_with_a_high_credence_is_refused_with_the_reason(
    demo_app: Cruxbot,
) -> None:
    refused = await demo_app.handle_line("/disagree lag 95", MEMBER)
    assert refused.error
    assert "A credence of 95% says `lag` is more likely true than false" in refused.body
    assert "/agree lag 95" in refused.footer
    shown = text_of(await demo_app.handle_line("/objection lag", MEMBER))
    assert "Ann" not in shown.split("Stances:")[1]  # nothing was recorded


async def test_agreeing_with_a_low_credence_is_refused(demo_app: Cruxbot) -> None:
    refused = await demo_app.handle_line("/agree lag 20", MEMBER)
    assert refused.error and "that is not agreeing" in refused.body
    even = await demo_app.handle_line("/agree lag 50", MEMBER)
    assert even.error and "/unsure lag 50" in even.footer


async def test_consistent_credences_and_unsure_at_any_credence_are_kept(
    demo_app: Cruxbot,
) -> None:
    assert not (await demo_app.handle_line("/agree lag 51", MEMBER)).error
    assert not (await demo_app.handle_line("/disagree lag 49", MEMBER)).error
    assert not (await demo_app.handle_line("/unsure lag 70", MEMBER)).error
