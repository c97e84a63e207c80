"""The minutes say what changed during the meeting, read back from its revisions."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, text_of

FACILITATOR = replace(MODERATOR, user_name="Fay", user_id="u-fay")


async def _minutes(app: Cruxbot, lines: list[tuple[object, str]]) -> str:
    await app.handle_line("/agree lag 80", OTHER_MEMBER)  # before the meeting
    await app.handle_line("/meeting start alignment-optimism", FACILITATOR)
    for caller, line in lines:
        reply = await app.handle_line(line, caller)  # type: ignore[arg-type]
        assert not reply.error, (line, reply.body)
    return text_of(await app.handle_line("/meeting end", FACILITATOR))


async def test_stances_that_moved_and_changed_minds(demo_app: Cruxbot) -> None:
    minutes = await _minutes(
        demo_app,
        [
            (OTHER_MEMBER, "/disagree lag 30"),
            (MEMBER, "/unsure lag 50"),
            (MEMBER, "/agree lag 60"),
        ],
    )
    assert "**Changed minds:** Bob on `lag` (agree → disagree)" in minutes
    assert "- Bob: agree 80 → disagree 30 on `lag`" in minutes
    assert "- Ann: agree 60 on `lag` (new)" in minutes
    # the top of the minutes says it first
    assert minutes.index("Changed minds") < minutes.index("Stances that moved")


async def test_status_reasons_merges_renames_and_endorsements(demo_app: Cruxbot) -> None:
    minutes = await _minutes(
        demo_app,
        [
            (FACILITATOR, "/status not-blank-slate answered because the reply settled it"),
            (MEMBER, "/objection lag-again Alignment lags. to:mvp-researcher"),
            (FACILITATOR, "/merge lag-again lag"),
            (FACILITATOR, "/rename rigorous-evals strict-evals"),
            (MEMBER, "/steelman lag One bad lag is enough."),
        ],
    )
    assert "- `not-blank-slate`: open → answered (Fay) because the reply settled it" in minutes
    assert "- `lag-again` merged into `lag` (Fay)" in minutes
    assert "- `rigorous-evals` renamed `strict-evals` (Fay)" in minutes


async def test_an_endorsement_is_in_the_minutes(demo_app: Cruxbot) -> None:
    author = replace(MEMBER, user_id="u-priya", user_name="Priya")
    await demo_app.handle_line("/objection mine My point. to:lag", author)
    minutes = await _minutes(
        demo_app,
        [
            (MEMBER, "/steelman mine A stronger point."),
            (author, "/endorse mine 1"),
        ],
    )
    assert "- Priya endorsed steelman #1 of `mine`" in minutes


async def test_a_status_reason_shows_in_the_reply(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line(
        "/status not-blank-slate conceded because nobody defended it", FACILITATOR
    )
    assert reply.body == (
        "`not-blank-slate` is now conceded (was open) because nobody defended it."
    )
    dup = await demo_app.handle_line(
        "/status rigorous-evals duplicate lag because it says the same", FACILITATOR
    )
    assert "duplicate of `lag`" in dup.body and "because it says the same" in dup.body


async def test_a_reason_without_because_is_a_reason_even_in_one_word(demo_app: Cruxbot) -> None:
    one = await demo_app.handle_line("/status not-blank-slate answered settled", FACILITATOR)
    assert one.body == "`not-blank-slate` is now answered (was open) because settled."
    more = await demo_app.handle_line("/status lag parked It is settled for now", FACILITATOR)
    assert more.body == "`lag` is now parked (was open) because it is settled for now."
