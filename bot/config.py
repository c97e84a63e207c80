"""Where the database is when nothing says: the one setting the core itself reads.

Migrations (`migrations/env.py`) and the process settings (`adapters/settings.py`)
both need the same default, so it lives here, below them both.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv
from platformdirs import user_data_path


def default_database_url() -> str:
    """A SQLite file in the user's data directory (e.g. ~/.local/share/cruxbot)."""
    return f"sqlite:///{Path(user_data_path('cruxbot')) / 'cruxbot.db'}"


def database_url_from_env() -> str:
    """DATABASE_URL if set (after reading .env), else the default SQLite file."""
    load_dotenv(override=False)
    return os.environ.get("DATABASE_URL", "").strip() or default_database_url()
