"""Provider A: any OpenAI-compatible `/v1/embeddings` endpoint, through the `openai` client.

Self-hosted model servers (text-embeddings-inference, vLLM, Ollama, llama.cpp's
server, …) speak the same API, so one client covers them all. The only module
of the core that imports an HTTP client library, and it is imported only when
CRUXBOT_EMBEDDINGS_URL is set (`bot.embeddings.settings`); install it with the
`cruxbot[embeddings]` extra.
"""

from __future__ import annotations

from collections.abc import Sequence

import openai

from bot.embeddings import EmbeddingError, checked

#: The suffix the client adds itself; a URL given with it is taken as its base.
ENDPOINT = "/embeddings"


class OpenAIEmbeddings:
    """Embeds texts with one request each batch; any failure is an `EmbeddingError`."""

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 10.0) -> None:
        """`url` is the API's base (ending in /v1) or the endpoint itself.

        The client's own retries are off: the caller retries later, in the
        background, instead of holding a command's answer.
        """
        base = url.rstrip("/")
        if base.endswith(ENDPOINT):
            base = base[: -len(ENDPOINT)]
        self._model = model
        self._timeout = timeout
        # A self-hosted server often wants no key; the client insists on one.
        self._client = openai.AsyncOpenAI(
            base_url=base, api_key=api_key or "none", timeout=timeout, max_retries=0
        )

    @property
    def model(self) -> str:
        return self._model

    @property
    def timeout(self) -> float:
        return self._timeout

    async def close(self) -> None:
        await self._client.close()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            answer = await self._client.embeddings.create(
                model=self._model, input=list(texts), encoding_format="float"
            )
            data = sorted(answer.data, key=lambda item: item.index)
            return checked([item.embedding for item in data], len(texts))
        except EmbeddingError:
            raise
        except Exception as exc:  # the client's errors, and an answer it could not read
            raise EmbeddingError(f"{type(exc).__name__}: {exc}"[:300]) from exc
