"""Cruxbot: a discussion bot for reading groups (the platform-neutral core)."""

__version__ = "0.1.0"
