"""`by:` credit: a facilitator logs what a member said aloud, in the member's name."""

from __future__ import annotations

from dataclasses import replace

from bot.app import Cruxbot
from bot.context import Caller
from bot.services.credit import console_member_id
from tests.conftest import MEMBER, MODERATOR, text_of

FACILITATOR = replace(MODERATOR, user_name="Fay", user_id="u-fay")
ON_DISCORD = Caller("discord", "g1", "100", "Fay", channel_id="c1", is_moderator=True)


async def test_a_statement_logged_by_a_member_is_theirs_and_history_names_the_typist(
    demo_app: Cruxbot,
) -> None:
    await demo_app.handle_line("/agree lag", MEMBER)  # the workspace now knows Ann
    logged = await demo_app.handle_line(
        "/objection evals-gap Interpretability may not scale. to:mvp-researcher by:@ann",
        FACILITATOR,
    )
    assert not logged.error, logged.body
    assert "Author: Ann" in text_of(logged)
    history = text_of(await demo_app.handle_line("/history evals-gap", FACILITATOR))
    assert "Fay: logged objection `evals-gap` for Ann" in history
    # Ann owns it: she may edit it without being a moderator
    edited = await demo_app.handle_line("/edit evals-gap title Probes may not scale", MEMBER)
    assert not edited.error, edited.body


async def test_stances_steelmen_and_cruxes_take_credit(demo_app: Cruxbot) -> None:
    stance = await demo_app.handle_line("/disagree lag 30 by:Bea", FACILITATOR)
    assert stance.body.startswith("Bea disagrees with `lag` (credence 30%)")
    steelman = await demo_app.handle_line(
        "/steelman lag One bad lag is enough. by:Bea", FACILITATOR
    )
    assert not steelman.error, steelman.body
    shown = text_of(await demo_app.handle_line("/steelman lag", MEMBER))
    assert "#3 (Bea): One bad lag is enough." in shown
    crux = await demo_app.handle_line("/crux lag rigorous-evals by:Bea", FACILITATOR)
    assert "Bea would change their mind" in crux.body
    mine = await demo_app.handle_line("/agree lag", FACILITATOR)
    assert "Fay)" in mine.footer and "Bea)" in mine.footer  # two members, two stances


async def test_a_mention_shows_the_name_the_platform_gave(app: Cruxbot) -> None:
    caller = replace(ON_DISCORD, member_names=(("200", "Ann"),))
    await app.handle_line("/claim c1 A claim.", ON_DISCORD)
    reply = await app.handle_line("/agree c1 by:<@200>", caller)
    assert reply.body.startswith("Ann agrees with `c1`")


async def test_an_unknown_name_is_refused_where_members_have_ids(app: Cruxbot) -> None:
    await app.handle_line("/claim c1 A claim.", ON_DISCORD)
    reply = await app.handle_line("/agree c1 by:nobody", ON_DISCORD)
    assert reply.error
    assert "Nobody called `nobody` has taken part here yet" in reply.body


async def test_a_malformed_credit_is_refused_with_the_reason(app: Cruxbot) -> None:
    reply = await app.handle_line("/agree c1 by:<script>", FACILITATOR)
    assert reply.error
    assert "is not a member for `by:`" in reply.body


async def test_forgetting_a_credited_member_removes_what_they_said(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/objection ann-point Ann's point. to:lag by:Ann2", FACILITATOR)
    ann2 = replace(MEMBER, user_id=console_member_id("Ann2"), user_name="Ann2")
    forgotten = await demo_app.handle_line("/forget-me confirm", ann2)
    assert not forgotten.error, forgotten.body
    shown = await demo_app.handle_line("/objection ann-point", MEMBER)
    assert shown.error


async def test_a_reading_gets_an_author_and_a_new_title(demo_app: Cruxbot) -> None:
    authored = await demo_app.handle_line(
        "/reading alignment-optimism author Quintin Pope", FACILITATOR
    )
    assert not authored.error, authored.body
    assert ("Author", "Quintin Pope") in [(f.name, f.value) for f in authored.fields]
    retitled = await demo_app.handle_line(
        "/reading alignment-optimism title AI is easy to control", FACILITATOR
    )
    assert retitled.title == "Reading `alignment-optimism`: AI is easy to control"
    undone = await demo_app.handle_line("/undo", FACILITATOR)
    assert not undone.error, undone.body
    shown = await demo_app.handle_line("/reading alignment-optimism", MEMBER)
    assert "AI is easy to control" not in shown.title


async def test_only_the_readings_adder_or_a_moderator_changes_it(app: Cruxbot) -> None:
    await app.handle_line("/reading essay An essay", FACILITATOR)
    refused = await app.handle_line("/reading essay author Somebody", MEMBER)
    assert refused.error
    assert "Only whoever added the reading, or a moderator" in refused.body
    unclear = await app.handle_line("/reading essay Another title", FACILITATOR)
    assert "exists already" in unclear.body and "title|author|url" in unclear.footer
