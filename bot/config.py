"""Settings from the environment (and an optional .env file).

A missing or malformed setting stops start-up with one line that names it,
before any connection is tried.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv
from platformdirs import user_data_path

from bot.storage.database import DatabaseUrlError, normalise_url


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def default_database_url() -> str:
    """A SQLite file in the user's data directory (e.g. ~/.local/share/cruxbot)."""
    return f"sqlite:///{Path(user_data_path('cruxbot')) / 'cruxbot.db'}"


def database_url_from_env() -> str:
    """DATABASE_URL if set (after reading .env), else the default SQLite file."""
    load_dotenv(override=False)
    return os.environ.get("DATABASE_URL", "").strip() or default_database_url()


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know before it starts."""

    database_url: str

    @classmethod
    def load(cls, database_url: str | None = None) -> Settings:
        """Read and validate settings; an explicit URL (``--db``) wins over the env.

        Raises:
            SettingsError: a setting is malformed.
        """
        url = database_url or database_url_from_env()
        try:
            normalise_url(url)
        except DatabaseUrlError as exc:
            raise SettingsError(str(exc)) from exc
        return cls(database_url=url)
