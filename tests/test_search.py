"""Full-text search, snippets, near-duplicates, paging and "did you mean", on both databases."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.commands.actions import decode_action, encode_action
from bot.commands.spec import Autocomplete
from bot.services.common import page_footer
from bot.storage.search import (
    COUNT_CAP,
    highlight,
    prefix_terms,
    stemmed_terms,
)
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, Say, text_of


async def test_search_ranks_nickname_and_title_above_passing_mentions(
    app: Cruxbot, say: Say
) -> None:
    await say(
        "/claim passing Many things matter for safety work, and among a long list of them "
        "one could mention interpretability in passing before moving on to other topics."
    )
    await say("/claim interpretability Interpretability tools will scale to frontier models.")
    found = await say("/search interpretability")
    assert found.body.index("`interpretability`") < found.body.index("`passing`")
    assert "2 in all" in found.footer


async def test_search_snippets_show_where_the_words_matched(app: Cruxbot, say: Say) -> None:
    filler = "Some words that set the scene and say nothing in particular. " * 6
    await say(f"/claim deep {filler}Here the zebra finally appears, late in the text.")
    shown = text_of(await say("/search zebras"))
    assert "**zebra**" in shown  # plural query, singular text: our light stemming
    line = next(line for line in shown.splitlines() if "**zebra**" in line)
    assert line.strip().startswith("…")  # the window starts mid-text, at the match


async def test_search_shows_a_matching_steelman(demo_app: Cruxbot) -> None:
    await demo_app.handle_line(
        "/steelman endgame The transfer problem: narrow wins may not generalise.", MEMBER
    )
    shown = text_of(await demo_app.handle_line("/search generalise", MEMBER))
    assert "`endgame`" in shown
    assert "steelman: " in shown and "**generalise**" in shown


async def test_index_follows_edits_deletes_restores_and_undo(app: Cruxbot, say: Say) -> None:
    await say("/claim moving The quokka argument holds.")
    assert "`moving`" in (await say("/search quokka")).body
    await say("/edit moving text The wombat argument holds.")
    await say("/edit moving title The wombat argument")
    assert "Nothing matches" in (await say("/search quokka")).body
    assert "`moving`" in (await say("/search wombat")).body
    await say("/delete moving")
    assert "Nothing matches" in (await say("/search wombat")).body
    await say("/restore moving")
    assert "`moving`" in (await say("/search wombat")).body
    await say("/claim gone A numbat appears.")
    await say("/undo")
    assert "Nothing matches" in (await say("/search numbat")).body


async def test_search_words_are_never_query_syntax(app: Cruxbot, say: Say) -> None:
    await say("/claim plain Near the river and not far from the sea.")
    for line in ('/search NEAR( "river', "/search river* AND sea -not", "/search river:'&|!"):
        reply = await say(line)
        assert not reply.error, line
        assert "`plain`" in reply.body, line


async def test_search_stays_in_its_workspace(app: Cruxbot) -> None:
    await app.handle_line("/claim secret The platypus plan.", MEMBER)
    elsewhere = replace(MEMBER, workspace_id="other")
    assert "Nothing matches" in (await app.handle_line("/search platypus", elsewhere)).body
    choices = await app.autocomplete(Autocomplete.STATEMENTS, "platy", elsewhere)
    assert choices == []


async def test_logging_a_near_duplicate_offers_the_existing_statement(demo_app: Cruxbot) -> None:
    shown = await demo_app.handle_line("/objection lag", MEMBER)
    original = shown.body
    line = f"/objection lag-again {original} to:mvp-researcher"
    logged = await demo_app.handle_line(line, MEMBER)
    assert not logged.error
    assert "This looks like `lag`" in logged.footer
    assert "Logged objection `lag-again`" in logged.footer  # it is logged all the same
    offered = {(a.command, a.arguments.get("slug")) for a in logged.actions}
    assert {("agree", "lag"), ("disagree", "lag"), ("steelman", "lag")} <= offered
    for action in logged.actions:
        assert decode_action(encode_action(action)).command == action.command
    assert not (await demo_app.handle_line("/objection lag-again", MEMBER)).error


async def test_a_reworded_statement_is_recognised_as_the_same(demo_app: Cruxbot) -> None:
    logged = await demo_app.handle_line(
        "/objection falling-behind Alignment keeps falling behind capabilities to:mvp-researcher",
        MEMBER,
    )
    assert not logged.error
    assert "This looks like `lag`" in logged.footer


async def test_different_statements_are_not_called_duplicates(demo_app: Cruxbot) -> None:
    logged = await demo_app.handle_line(
        "/objection cost Running evaluations on every generation costs more compute than "
        "the training itself to:mvp-researcher",
        MEMBER,
    )
    assert not logged.error
    assert "looks like" not in logged.footer


async def test_lists_page_with_previous_and_next_buttons(app: Cruxbot, say: Say) -> None:
    for number in range(23):
        await say(f"/claim c{number} Claim number {number} about evaluation.")
    first = await say("/list claims")
    assert [a.label for a in first.paging] == ["Next"]
    pressed = decode_action(encode_action(first.paging[0]))
    second = await app.run(pressed.command, pressed.arguments, OTHER_MEMBER)
    assert "Page 2 of 3" in second.footer
    assert [a.label for a in second.paging] == ["Previous", "Next"]
    assert second.body.count("`c") == 10
    third = await say("/list claims page:3")
    assert [a.label for a in third.paging] == ["Previous"]
    assert third.body.count("`c") == 3
    assert "Previous page: /list claims page:2" in text_of(third)  # as the console shows it
    assert "Next:" not in text_of(third)
    back = decode_action(encode_action(third.paging[0]))
    assert "Page 2 of 3" in (await app.run(back.command, back.arguments, MEMBER)).footer


async def test_search_pages_by_typed_page(app: Cruxbot, say: Say) -> None:
    for number in range(12):
        await say(f"/claim c{number} Claim number {number} about evaluation.")
    first = await say("/search evaluation")
    assert "next: /search evaluation page:2" in first.footer
    second = await say("/search evaluation page:2")
    assert second.body.count("`c") == 2
    beyond = await say("/search evaluation page:5")
    assert "Nothing matches" in beyond.body and "12 in all" in beyond.footer


async def test_search_results_page_with_buttons_carrying_the_words(app: Cruxbot, say: Say) -> None:
    for number in range(12):
        await say(f"/claim c{number} Claim number {number} about model evaluation.")
    first = await say("/search evaluation models")
    assert [a.label for a in first.paging] == ["Next"]
    pressed = decode_action(encode_action(first.paging[0]))
    second = await app.run(pressed.command, pressed.arguments, OTHER_MEMBER)
    assert second.title == "Search: evaluation models"
    assert "Page 2 of 2" in second.footer and second.body.count("`c") == 2
    assert [a.label for a in second.paging] == ["Previous"]
    for number in range(12):
        await say(f"/claim d{number} Claim number {number} about café models.")
    accented = await say("/search café models")  # no nickname-like button id: typed paging
    assert accented.paging == () and "next: /search café models page:2" in accented.footer


def test_counts_past_the_cap_say_so() -> None:
    assert page_footer(1, COUNT_CAP, "/list").startswith(f"Page 1 of {COUNT_CAP // 10}+")
    assert f"({COUNT_CAP}+ in all) · next: /list page:2" in page_footer(1, COUNT_CAP, "/list")


async def test_did_you_mean_finds_close_nicknames(demo_app: Cruxbot) -> None:
    for typed, expected in (
        ("lagg", "`lag`"),
        ("capabilities-spilover", "`capabilities-spillover`"),
        ("spillover", "`capabilities-spillover`"),
        ("blank-slat", "`blank-slate`"),
    ):
        reply = await demo_app.handle_line(f"/objection {typed}", MEMBER)
        assert reply.error and expected in reply.body, (typed, reply.body)


async def test_autocomplete_by_prefix_then_by_title_words(demo_app: Cruxbot) -> None:
    by_prefix = await demo_app.autocomplete(Autocomplete.STATEMENTS, "lag", MEMBER)
    assert [c.value for c in by_prefix][:2] == ["lag", "lag-reply"]
    by_title = await demo_app.autocomplete(Autocomplete.OBJECTIONS, "step beh", MEMBER)
    assert [c.value for c in by_title] == ["lag"]  # "one step behind capabilities"
    await demo_app.handle_line("/delete lag", MODERATOR)
    gone = await demo_app.autocomplete(Autocomplete.STATEMENTS, "lag", MEMBER)
    assert "lag" not in [c.value for c in gone]


def test_highlight_marks_words_and_cuts_at_word_boundaries() -> None:
    text = "alpha " * 40 + "the Evaluation matters " + "omega " * 40
    shown = highlight(text, stemmed_terms(["evaluation"]), width=60)
    assert shown is not None and "**Evaluation**" in shown
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 70
    assert highlight("nothing here", stemmed_terms(["zebra"])) is None
    assert highlight("a **bold** zebra", stemmed_terms(["zebra"])) == "a bold **zebra**"
    assert highlight("zebras and zebrafish", stemmed_terms(["zebra"])) == (
        "**zebras** and zebrafish"
    )
    assert highlight("zebras and zebrafish", prefix_terms(["zebra"])) == (
        "**zebras** and **zebrafish**"
    )


async def test_whole_words_first_then_prefixes_when_nothing_matches(app: Cruxbot, say: Say) -> None:
    await say("/claim whole Interpretability of boxes matters.")
    await say("/claim longer Interpretabilityish words are rare.")
    exact = await say("/search interpretability")
    assert "`whole`" in exact.body and "`longer`" not in exact.body
    assert "1 in all" in exact.footer
    plural = await say("/search box")  # singular query, plural text
    assert "`whole`" in plural.body and "**boxes**" in plural.body
    partial = await say("/search interp")  # no whole word: prefixes, both found
    assert "`whole`" in partial.body and "`longer`" in partial.body
    assert "**Interpretability**" in partial.body
    short = await say("/search int")  # too short to stand for longer words
    assert "Nothing matches" in short.body


@given(st.from_regex(r"[a-z]{1,12}", fullmatch=True))
def test_a_word_always_highlights_itself(word: str) -> None:
    (term,) = stemmed_terms([word])
    assert term.matches(word)
    assert highlight(f"before {word} after", [term]) == f"before **{word}** after"


async def test_search_matches_word_stems_on_both_databases(demo_app: Cruxbot) -> None:
    found = text_of(await demo_app.handle_line("/search capability", MEMBER))
    # The demo says "capabilities", never "capability".
    assert "`lag`" in found and "`capabilities-spillover`" in found
    assert "**capabilities**" in found


async def test_search_drops_the_words_of_a_question(demo_app: Cruxbot) -> None:
    found = await demo_app.handle_line("/search what did we say about evaluation?", MEMBER)
    assert "`rigorous-evals`" in found.body
    assert found.title == "Search: evaluation"


async def test_search_with_no_result_says_so_without_a_page_count(app: Cruxbot) -> None:
    reply = await app.handle_line("/search quokka", MEMBER)
    assert reply.body.startswith("Nothing matches")
    assert "/ask" in reply.body  # and points at asking in plain words
    assert "Page" not in reply.footer and "0 in all" not in text_of(reply)
