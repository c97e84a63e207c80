"""Suggestions while a member types an option (Discord autocomplete, Slack menus)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.spec import COMMANDS, Autocomplete
from bot.storage.search import sendable
from bot.storage.unit_of_work import UnitOfWork

#: Discord's limits: 25 choices, each label and value at most 100 characters.
MAX_CHOICES = 25
MAX_LABEL = 100

_KINDS = {
    Autocomplete.STATEMENTS: (),
    Autocomplete.CLAIMS: ("claim",),
    Autocomplete.OBJECTIONS: ("objection",),
}


@dataclass(frozen=True)
class Choice:
    """One suggestion: the value to fill in and a label to show."""

    value: str
    label: str


def _label(slug: str, title: str) -> str:
    label = f"{slug} — {title}" if title else slug
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


async def complete(
    uow: UnitOfWork, source: Autocomplete, typed: str, limit: int = MAX_CHOICES
) -> list[Choice]:
    """The best suggestions for what was typed so far, best first.

    Characters no database can be asked about (NUL, lone surrogates) are
    dropped first: the rest of what was typed still gets its suggestions.
    """
    typed = sendable(typed).strip().lower()[:100]
    limit = min(limit, MAX_CHOICES)
    if source is Autocomplete.COMMANDS:
        return [
            Choice(c.name, _label(c.name, c.summary))
            for c in COMMANDS
            if c.name.startswith(typed.lstrip("/"))
        ][:limit]
    if source is Autocomplete.READINGS:
        rows = await uow.readings.complete(typed, limit)
        return [Choice(slug, _label(slug, title)) for slug, title in rows]
    if source in _KINDS:
        found = await uow.statements.complete_slugs(typed, _KINDS[source], limit)
        return [Choice(slug, _label(slug, title)) for slug, title, _ in found]
    return []
