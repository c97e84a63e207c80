"""Showing and logging statements, steelmen and stances, as a member sees them."""

from __future__ import annotations

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, Say, text_of


async def test_unknown_slug_suggests_the_closest_and_how_to_log(
    demo_app: Cruxbot, say: Say
) -> None:
    reply = await say("/objection lagg")
    assert reply.error and reply.ephemeral
    assert "no objection `lagg`" in reply.body
    assert "Did you mean `lag`" in reply.body
    assert "/objection lagg <text>" in reply.footer


async def test_logging_an_objection_against_a_claim(demo_app: Cruxbot, say: Say) -> None:
    line = (
        "/objection evals-gap Interpretability may not scale to frontier models to:mvp-researcher"
    )
    logged = await say(line)
    assert not logged.error, logged.body
    assert "Logged objection `evals-gap`" in logged.footer
    shown = text_of(await say("/objection evals-gap"))
    assert "Against: claim `mvp-researcher`" in shown
    assert "Author: Ann" in shown
    # it belongs to the claim's reading and shows up as an answer to the claim
    assert "alignment-optimism" in shown
    claim = text_of(await say("/claim mvp-researcher"))
    assert "`evals-gap`" in claim


async def test_typed_text_is_stored_exactly_between_its_first_and_last_words(
    app: Cruxbot, say: Say
) -> None:
    text = "Line one.\n\n  Line  two with <@U123> and @everyone"
    await say("/claim exact   " + text + "  ")
    reply = await say("/claim exact")
    assert reply.body == text


async def test_text_from_a_platform_option_is_stored_exactly(app: Cruxbot) -> None:
    text = "  Padded, with\ttabs and a trailing newline\n"
    logged = await app.run("claim", {"slug": "padded", "text": text}, MEMBER)
    assert not logged.error, logged.body
    assert (await app.run("claim", {"slug": "padded"}, MEMBER)).body == text


async def test_taken_slug_is_refused_and_changes_nothing(demo_app: Cruxbot, say: Say) -> None:
    reply = await say("/objection lag A different point. to:blank-slate")
    assert reply.error
    assert "`lag` is taken" in reply.body
    shown = text_of(await say("/objection lag"))
    assert "A different point" not in shown


async def test_alias_is_taken_too_and_case_does_not_matter(demo_app: Cruxbot, say: Say) -> None:
    reply = await say("/claim Alignment-LAG Something.")
    assert reply.error and "taken" in reply.body
    assert "Objection `lag`" in text_of(await say("/objection ALIGNMENT-LAG"))


async def test_objection_needs_a_valid_target(demo_app: Cruxbot, say: Say) -> None:
    missing = await say("/objection new-point Some point.")
    assert missing.error and "to:" in missing.body
    wrong_kind = await say("/reply r1 An answer. to:blank-slate")
    assert wrong_kind.error and "`blank-slate` is a claim" in wrong_kind.body
    unknown = await say("/objection new-point Some point. to:nowhere")
    assert unknown.error and "no statement `nowhere`" in unknown.body


async def test_showing_with_the_wrong_kind_notes_it(demo_app: Cruxbot, say: Say) -> None:
    reply = await say("/objection blank-slate")
    assert not reply.error
    assert "is a claim, not an objection" in reply.footer


async def test_claims_belong_to_the_channels_current_reading(app: Cruxbot, say: Say) -> None:
    await say("/reading book A Book https://example.org/book")
    await say("/claim c1 The book says so.")
    assert "`book`" in text_of(await say("/claim c1"))
    listed = text_of(await say("/list claims reading:book"))
    assert "`c1`" in listed


async def test_steelman_best_is_the_endorsed_one(app: Cruxbot, say: Say) -> None:
    await say("/claim thesis Models are blank.", caller=MEMBER)
    empty = await say("/steelman thesis")
    assert "No steelman" in empty.title
    await say("/steelman thesis Models lack fixed goals.", caller=OTHER_MEMBER)
    await say("/steelman thesis Goals come from fine-tuning.", caller=OTHER_MEMBER)
    newest = await say("/steelman thesis")
    assert newest.body == "Goals come from fine-tuning."
    refused = await say("/endorse thesis 1", caller=OTHER_MEMBER)
    assert refused.error and "Only Ann" in refused.body
    assert not (await say("/endorse thesis 1", caller=MEMBER)).error
    best = await say("/steelman thesis")
    assert best.body == "Models lack fixed goals."
    assert "endorsed by Ann" in text_of(best)
    out_of_range = await say("/endorse thesis 3", caller=MEMBER)
    assert out_of_range.error and "no #3" in out_of_range.body


async def test_stances_replace_each_other_and_show_counts(demo_app: Cruxbot, say: Say) -> None:
    await say("/agree lag 70")
    await say("/disagree lag", caller=OTHER_MEMBER)
    await say("/unsure lag 40")  # Ann changes her mind
    shown = text_of(await say("/objection lag"))
    assert "unsure 2 (Mei, Ann)" in shown
    assert "disagree 2 (Tomás, Bob)" in shown
    again = await say("/unsure lag 40")
    assert "already" in again.body


async def test_list_and_search_are_paged(app: Cruxbot, say: Say) -> None:
    for number in range(12):
        await say(f"/claim c{number} Claim number {number} about evaluation.")
    first = await say("/list claims")
    assert "Page 1 of 2 (12 in all)" in first.footer
    assert "/list claims page:2" in first.footer
    second = await say("/list claims page:2")
    assert second.body.count("`c") == 2
    found = await say("/search evaluation number")
    assert "12 in all" in found.footer
    nothing = await say("/search zebra")
    assert "Nothing matches" in nothing.body


async def test_search_finds_steelman_text(demo_app: Cruxbot, say: Say) -> None:
    await say("/steelman endgame The transfer problem: narrow wins may not generalise.")
    found = text_of(await say("/search generalise"))
    assert "`endgame`" in found


async def test_reading_add_show_and_overview(app: Cruxbot, say: Say) -> None:
    missing = await say("/reading nope")
    assert missing.error and "/reading nope <title>" in missing.footer
    added = await say("/reading sl Superintelligence https://example.org/si")
    assert "Added reading `sl`" in added.body
    assert "https://example.org/si" in text_of(added)
    overview = text_of(await say("/reading"))
    assert "`sl` — Superintelligence (current)" in overview
    again = await say("/reading sl Another title")
    assert again.error and "exists already" in again.body


async def test_import_demo_is_for_moderators_and_idempotent(app: Cruxbot, say: Say) -> None:
    refused = await say("/import demo")
    assert refused.error and "moderator" in refused.body
    assert not (await say("/import demo", caller=MODERATOR)).error
    again = await say("/import demo", caller=MODERATOR)
    assert "already here" in again.body


async def test_a_busy_statement_shows_its_first_answers_and_how_many_more(
    app: Cruxbot, say: Say
) -> None:
    await say("/claim hub The hub claim.")
    await say("/objection spoke The spoke objection. to:hub")
    for number in range(1, 8):
        await say(f"/reply answer-{number} Answer number {number}. to:spoke")
    await say("/delete answer-7", caller=MODERATOR)  # neither listed nor counted
    await say("/objection counter A counter to the spoke. to:spoke")
    await say("/support backing Backing for the spoke. to:spoke")
    await say("/alias spoke wheel")
    await say("/steelman spoke The spoke, at its strongest.", caller=OTHER_MEMBER)
    await say("/agree spoke 80", caller=OTHER_MEMBER)
    await say("/disagree spoke 30")
    shown = text_of(await say("/objection wheel"))
    listed = [f"`answer-{n}`" for n in range(1, 6)]
    assert all(slug in shown for slug in listed)
    assert shown.index(listed[0]) < shown.index(listed[-1])
    assert "`answer-6`" not in shown and "…and 1 more" in shown
    assert "`answer-7`" not in shown
    objections, supports = shown.split("Objections:")[1].split("Supports:")
    assert "`counter`" in objections and "`backing`" in supports and "Answered by" not in shown
    assert "Against: claim `hub` — The hub claim." in shown
    assert "Also known as: `wheel`" in shown
    assert "Steelmen: 1 (/steelman spoke)" in shown
    assert "agree 1 (Bob) · disagree 1 (Ann) · mean credence 55%" in shown
    marked = await say("/status counter duplicate spoke", caller=MODERATOR)
    assert not marked.error, marked.body
    assert "duplicate of `spoke`" in text_of(await say("/objection counter"))


async def test_a_claim_card_offers_objections_not_replies_it_cannot_have(say: Say) -> None:
    await say("/claim hub The hub claim.")
    await say("/objection spoke The spoke objection. to:hub")
    card = await say("/claim hub")
    listed = [a for a in card.actions if a.command == "list"]
    assert [(a.label, dict(a.arguments)) for a in listed] == [
        ("Show objections", {"kind": "objections", "to": "hub"})
    ]
    assert "Objections: `spoke`" in text_of(card)
    reply_card = await say("/reply answer An answer. to:spoke")
    answer = [a for a in reply_card.actions if a.label in ("Reply", "Object")]
    assert [a.command for a in answer] == ["objection"]  # a reply is answered by objections
