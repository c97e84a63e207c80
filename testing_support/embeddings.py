"""A fake OpenAI-compatible `/v1/embeddings` server on the loopback, with deterministic vectors.

Its vectors are a hashed bag of words in which a few groups of everyday
synonyms share one slot ("prove", "proof", "shown", "burden" are one
concept), so a question in other words lands near the statement that means
it. It is a stand-in that shows the plumbing and the fusion work, not a
language model: figures measured with it say so.

`mode` makes it fail as real servers do: "down" (HTTP 500), "slow" (answers
after `delay` seconds) and "garbage" (a 200 whose body holds no vectors).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass, field

from aiohttp import web

from testing_support.slack import serve

DIMENSIONS = 128
#: Everyday synonyms that share one slot: what a real model knows and hashing does not.
CONCEPTS: tuple[frozenset[str], ...] = tuple(
    frozenset(words.split())
    for words in (
        "prove proof proven shown show demonstrate demonstrated evidence burden earn earned",
        "safe safety trust trusted trustworthy untrustworthy dangerous harmless suspicion",
        "system systems model models ai agi assistant",
        "new novel next",
        "test tests testing evaluate evaluation evaluations evals measure check",
        "fast faster speed quick accelerate",
        "value values goal goals",
        "behind lag lagging trail trails falling slower",
    )
)
_STOP_WORDS = (
    "a an the is are was were be to of and or in on for with who what how why do does did "
    "has have had we it that this there any anyone about"
)
STOP = frozenset(_STOP_WORDS.split())


def _slot(word: str) -> int:
    for number, concept in enumerate(CONCEPTS):
        if word in concept:
            return number
    digest = hashlib.sha256(word.rstrip("s").encode()).digest()
    return len(CONCEPTS) + int.from_bytes(digest[:4], "big") % (DIMENSIONS - len(CONCEPTS))


def vector(text: str) -> list[float]:
    """The fake's vector of `text`: counts of its words' slots."""
    counts = [0.0] * DIMENSIONS
    for word in re.findall(r"[a-z]+", text.lower()):
        if word not in STOP and len(word) > 1:
            counts[_slot(word)] += 1.0
    return counts


@dataclass
class FakeEmbeddings:
    """The server's behaviour (changeable while it runs) and what it was asked."""

    mode: str = "ok"
    delay: float = 5.0
    requests: list[list[str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        self.requests.append(texts)
        if self.mode == "down":
            return web.json_response({"error": {"message": "overloaded"}}, status=500)
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "garbage":
            return web.json_response({"object": "list", "data": "not vectors"})
        data = [
            {"object": "embedding", "index": i, "embedding": vector(t)} for i, t in enumerate(texts)
        ]
        usage = {"prompt_tokens": 0, "total_tokens": 0}
        return web.json_response(
            {"object": "list", "data": data, "model": body["model"], "usage": usage}
        )

    async def start(self) -> web.AppRunner:
        application = web.Application()
        application.router.add_post("/v1/embeddings", self.handle)
        runner, base = await serve(application)
        self.url = f"{base}/v1"
        return runner
