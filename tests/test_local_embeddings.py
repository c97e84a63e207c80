"""Provider B, the local sentence-transformers model: run by hand, never by CI.

It needs the `local-embeddings` extra and PyTorch (a CPU build), which the
dev install leaves out; run with
`pytest -m local_embeddings tests/test_local_embeddings.py -s` (the default run
deselects it, so it is never a skip).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import Cruxbot
from bot.embeddings.settings import embedding_settings
from tests.conftest import MEMBER, MODERATOR
from tests.questions import listed, load, recall_at

pytestmark = pytest.mark.local_embeddings


@pytest.fixture
async def local_app(app: Cruxbot) -> AsyncIterator[Cruxbot]:
    """The demo reading, every statement embedded by the packaged all-MiniLM-L6-v2."""
    settings = embedding_settings({"CRUXBOT_EMBEDDINGS_LOCAL_MODEL": "all-MiniLM-L6-v2"})
    assert settings is not None
    bot = Cruxbot(app.engine, embeddings=settings.provider())
    assert bot.rules.meaning is not None
    bot.rules.meaning.question_timeout = 30.0  # the first question loads the model
    assert not (await bot.handle_line("/import demo", MODERATOR)).error
    assert await bot.rules.meaning.catch_up()
    yield bot
    await bot.rules.meaning.close()


async def test_the_local_model_finds_the_burden_of_proof_claim_and_the_question_set(
    local_app: Cruxbot, capsys: pytest.CaptureFixture[str]
) -> None:
    for question in (
        "who has to prove a new system is safe?",
        "whose job is it to show a model is harmless?",
    ):
        asked = await local_app.handle_line(f"/ask {question}", MEMBER)
        assert "burden-of-proof" in listed(asked.body)[:3], asked.body
    questions = load("demo")
    answers = [
        listed((await local_app.handle_line(f"/ask {q.ask}", MEMBER)).body) for q in questions
    ]
    recall = recall_at(questions, answers)
    missed = [q.ask for q, a in zip(questions, answers, strict=True) if not q.answers & set(a[:3])]
    with capsys.disabled():
        print(f"\nall-MiniLM-L6-v2: recall@3 {recall:.0%} of {len(questions)}; missed: {missed}")
    assert recall >= 0.8, missed
