"""Asking in plain words (`/ask`, `@Cruxbot …`): the right statements, best first."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import Cruxbot
from bot.storage import ranking
from tests.conftest import MEMBER, text_of
from tests.questions import listed, load, recall_at


async def test_the_demo_question_set_is_answered_in_the_first_three(
    demo_app: Cruxbot, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = load("demo")
    answers = [
        listed((await demo_app.handle_line(f"/ask {q.ask}", MEMBER)).body) for q in questions
    ]
    recall = recall_at(questions, answers)
    missed = [q.ask for q, a in zip(questions, answers, strict=True) if not q.answers & set(a[:3])]
    with capsys.disabled():
        print(f"\nrecall@3 {recall:.0%} of {len(questions)}; missed: {missed}")
    assert recall >= 0.8, missed


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("what did we say about evaluation?", "rigorous-evals"),
        ("what was the lag objection again?", "lag"),
    ],
)
async def test_the_readme_questions_name_their_statement_first(
    demo_app: Cruxbot, question: str, first: str
) -> None:
    assert listed((await demo_app.handle_line(f"/ask {question}", MEMBER)).body)[0] == first


async def test_an_answer_shows_kind_nickname_title_status_excerpt_and_open_buttons(
    demo_app: Cruxbot,
) -> None:
    reply = await demo_app.handle_line("/ask what did we say about evaluation?", MEMBER)
    first_line, excerpt = reply.body.splitlines()[:2]
    assert first_line == (
        "`rigorous-evals` — What would a rigorous evaluation actually look like? (objection, open)"
    )
    assert "**evaluation**" in excerpt  # the words that matched, in bold
    opened = reply.actions[0]
    assert (opened.label, opened.command, opened.args) == (
        "Open rigorous-evals",
        "objection",
        (("slug", "rigorous-evals"),),
    )
    shown = await demo_app.run(opened.command, opened.arguments, MEMBER)
    assert shown.title.startswith("Objection `rigorous-evals`")


async def test_a_named_statement_and_what_answers_it(demo_app: Cruxbot) -> None:
    named = await demo_app.handle_line("/ask what was the lag objection again?", MEMBER)
    assert listed(named.body)[0] == "lag"
    assert "(named `lag`)" in named.body  # its text never says "lag": the nickname did
    answer = listed((await demo_app.handle_line("/ask the reply to lag", MEMBER)).body)
    assert answer[:2] == ["lag-reply", "lag"]  # the kind says which is wanted


async def test_a_misspelt_nickname_is_still_recognised(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line("/ask rigorus evals", MEMBER)
    assert listed(reply.body)[0] == "rigorous-evals"


async def test_nothing_close_names_the_nearest_nicknames_and_how_to_search(
    demo_app: Cruxbot,
) -> None:
    reply = await demo_app.handle_line("/ask what about the zebrafish endgames?", MEMBER)
    assert listed(reply.body)[0] == "endgame"  # close enough: not "nothing"
    nothing = await demo_app.handle_line("/ask quokkas en masse", MEMBER)
    assert nothing.body.startswith("Nothing close.")
    assert "/search" in nothing.body and "/list" in nothing.body
    assert "Nearest" not in nothing.body  # no nickname is anything like these words
    near = await demo_app.handle_line("/ask lagg?", MEMBER)
    assert near.body.startswith("Nothing close. Nearest nicknames: `lag`")


async def test_asking_stays_in_its_workspace(demo_app: Cruxbot) -> None:
    elsewhere = replace(MEMBER, workspace_id="elsewhere")
    reply = await demo_app.handle_line("/ask what was the lag objection again?", elsewhere)
    assert reply.body.startswith("Nothing close.") and "`lag`" not in reply.body


async def test_a_mention_answers_as_ask_does(demo_app: Cruxbot) -> None:
    for question in ("what did we say about evaluation?", "the reply to lag"):
        asked = await demo_app.handle_line(f"/ask {question}", MEMBER)
        mentioned = await demo_app.answer_mention(question, MEMBER)
        assert text_of(mentioned) == text_of(asked)
    shown = await demo_app.answer_mention("lag", MEMBER)  # a nickname alone shows it
    assert shown.title.startswith("Objection `lag`")


async def test_asking_nothing_says_how_to_ask_with_a_form_button(app: Cruxbot) -> None:
    for line in ("/ask", "/ask ?!"):
        reply = await app.handle_line(line, MEMBER)
        assert not reply.error and "/ask what was the lag objection again?" in reply.body
        (button,) = reply.actions
        assert (button.label, button.command, button.ask) == (
            "Ask a question",
            "ask",
            ("question",),
        )


async def test_other_workspaces_crowding_the_index_hide_nothing(
    app: Cruxbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "_POOL", 2)  # the index's best few are all elsewhere
    elsewhere = replace(MEMBER, workspace_id="elsewhere")
    for number in range(3):
        await app.handle_line(f"/claim w{number} Wombats wombats wombats.", elsewhere)
    await app.handle_line("/claim mine A wombat once.", MEMBER)
    assert listed((await app.handle_line("/ask any wombats?", MEMBER)).body) == ["mine"]


async def test_other_workspaces_newer_statements_crowding_the_scan_hide_nothing(
    app: Cruxbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "_SCAN", 2)  # only the two newest matches are weighed first
    elsewhere = replace(MEMBER, workspace_id="elsewhere")
    await app.handle_line("/claim older A wombat long ago.", MEMBER)
    for number in range(3):
        await app.handle_line(f"/claim w{number} Wombats elsewhere.", elsewhere)
    await app.handle_line("/claim newer A wombat just now.", MEMBER)
    assert sorted(listed((await app.handle_line("/ask any wombats?", MEMBER)).body)) == [
        "newer",
        "older",
    ]
