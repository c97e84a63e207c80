"""Alembic migrations: the only way Cruxbot's schema changes."""
