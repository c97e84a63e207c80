"""CRUXBOT_EMBEDDINGS_*: which embedding provider, if any, the bot asks for meaning.

Read by `bot.config.Settings.load` alongside the other settings, so a
malformed one stops start-up with one line that names it. Unset URL: no
provider, and nothing of this feature is loaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.embeddings import EmbeddingProvider

#: Seconds a provider gets to embed a batch of statements, or a question.
DEFAULT_TIMEOUT = 10.0


class EmbeddingSettingsError(ValueError):
    """A CRUXBOT_EMBEDDINGS_* setting is malformed; the message names it."""


@dataclass(frozen=True)
class EmbeddingSettings:
    """An OpenAI-compatible `/v1/embeddings` endpoint, its model and key; or a local model."""

    url: str
    model: str
    api_key: str = field(default="", repr=False)
    timeout: float = DEFAULT_TIMEOUT
    #: A sentence-transformers model on this machine ("" : the HTTP endpoint is used).
    local_model: str = ""

    def provider(self) -> EmbeddingProvider:
        """The provider, its library imported only now (see `bot.embeddings`)."""
        if self.local_model:
            from bot.embeddings.local_model import LocalEmbeddings

            return LocalEmbeddings(self.local_model, self.timeout)
        from bot.embeddings.openai_api import OpenAIEmbeddings

        return OpenAIEmbeddings(self.url, self.model, self.api_key, self.timeout)


def _local(env: Mapping[str, str]) -> EmbeddingSettings | None:
    """CRUXBOT_EMBEDDINGS_LOCAL_MODEL: a model directory, or all-MiniLM-L6-v2 (packaged)."""
    name = env.get("CRUXBOT_EMBEDDINGS_LOCAL_MODEL", "").strip()
    if not name:
        return None
    if env.get("CRUXBOT_EMBEDDINGS_URL", "").strip():
        raise EmbeddingSettingsError(
            "CRUXBOT_EMBEDDINGS_LOCAL_MODEL and CRUXBOT_EMBEDDINGS_URL are both set: "
            "choose one provider"
        )
    if importlib.util.find_spec("sentence_transformers") is None:
        raise EmbeddingSettingsError(
            "CRUXBOT_EMBEDDINGS_LOCAL_MODEL is set but sentence-transformers is not "
            "installed: pip install 'cruxbot[local-embeddings]' (PyTorch first, a CPU build)"
        )
    return EmbeddingSettings("", name, timeout=120.0, local_model=name)


def embedding_settings(env: Mapping[str, str]) -> EmbeddingSettings | None:
    """The provider's settings, or None when neither provider is set.

    Raises:
        EmbeddingSettingsError: naming the setting that is wrong.
    """
    local = _local(env)
    if local is not None:
        return local
    url = env.get("CRUXBOT_EMBEDDINGS_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EmbeddingSettingsError(
            f"CRUXBOT_EMBEDDINGS_URL must be a URL starting with http:// or https://, not {url!r}"
        )
    model = env.get("CRUXBOT_EMBEDDINGS_MODEL", "").strip()
    if not model:
        raise EmbeddingSettingsError(
            "CRUXBOT_EMBEDDINGS_MODEL is not set: CRUXBOT_EMBEDDINGS_URL needs the model's name"
        )
    timeout_text = env.get("CRUXBOT_EMBEDDINGS_TIMEOUT_SECONDS", "").strip() or str(DEFAULT_TIMEOUT)
    try:
        timeout = float(timeout_text)
    except ValueError:
        timeout = -1.0
    if not 0 < timeout <= 300:
        raise EmbeddingSettingsError(
            "CRUXBOT_EMBEDDINGS_TIMEOUT_SECONDS must be a number of seconds above 0 and up "
            f"to 300, not {timeout_text!r}"
        )
    if importlib.util.find_spec("openai") is None:
        raise EmbeddingSettingsError(
            "CRUXBOT_EMBEDDINGS_URL is set but the openai client is not installed: "
            "pip install 'cruxbot[embeddings]'"
        )
    api_key = env.get("CRUXBOT_EMBEDDINGS_API_KEY", "").strip()
    return EmbeddingSettings(url.rstrip("/"), model, api_key, timeout)
