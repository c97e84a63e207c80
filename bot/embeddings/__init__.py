"""Embedding providers: what turns a statement or a question into a vector of meaning.

Optional, never required: without a provider `/ask` matches words alone. The
core knows providers only through `EmbeddingProvider`; the one that speaks
HTTP (`bot.embeddings.openai_api`, the official `openai` client) is imported
by `EmbeddingSettings.provider` only when CRUXBOT_EMBEDDINGS_URL is set, so
no HTTP client library is loaded by a bot that does not use one
(`tests/test_layers.py` checks that no other module imports it).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from typing import Protocol


class EmbeddingError(Exception):
    """The provider failed, was too slow, or answered something that is not vectors."""


class EmbeddingProvider(Protocol):
    """Anything that embeds texts; `model` names which vectors it makes (stored with them)."""

    @property
    def model(self) -> str: ...

    @property
    def timeout(self) -> float:
        """Seconds one batch may take before it counts as failed."""
        ...

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order, all of one length.

        Raises:
            EmbeddingError: for any failure; callers fall back to words alone.
        """
        ...

    async def close(self) -> None:
        """Release its connections (the bot is stopping)."""
        ...


def checked(vectors: Sequence[Sequence[float]], count: int) -> list[list[float]]:
    """The vectors if they are `count` non-empty finite vectors of one length, else raise.

    A provider's answer is outside input: a wrong count or a NaN would put
    statements in the wrong places without any error, so it is refused here.
    """
    if len(vectors) != count:
        raise EmbeddingError(f"asked for {count} vectors, got {len(vectors)}")
    lengths = {len(v) for v in vectors}
    if len(lengths) > 1 or 0 in lengths:
        raise EmbeddingError(f"vectors of lengths {sorted(lengths)[:3]}")
    out = [[float(x) for x in v] for v in vectors]
    if not all(math.isfinite(x) for v in out for x in v):
        raise EmbeddingError("a vector holds a value that is not a finite number")
    return out


def pack(vector: Sequence[float]) -> bytes:
    """float32, little-endian, unit length: similarity is then a plain dot product."""
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    packed = array("f", (x / norm for x in vector))
    if packed.itemsize != 4:  # pragma: no cover - every platform CPython runs on
        raise RuntimeError("float is not 32 bits here")
    return packed.tobytes()


def unpack(blob: bytes) -> array[float]:
    """The floats `pack` stored."""
    return array("f", blob)


def similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two unit vectors (0 if their lengths differ: another model's)."""
    if len(a) != len(b):
        return 0.0
    return math.fsum(x * y for x, y in zip(a, b, strict=True))
