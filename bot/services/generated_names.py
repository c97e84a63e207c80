"""Nicknames a file did not give but the import made up step around taken ones.

A Kialo export names nothing: every reading and statement nickname comes from
the words of the point, so a second discussion (or a member's own `/claim`)
may already hold one. Refusing the whole import for a name nobody chose would
leave a group no way in; instead each taken one gets the next free number
(`there-such-thing-hate-2`), and every reference in the file follows it.
Nicknames given in a file (a JSON export, a pack) are not touched here: a
taken one of those is still refused, naming it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any

from bot.domain import numbered_slug
from bot.storage.batches import taken_nicknames
from bot.storage.snapshot_rows import MapSnapshot
from bot.storage.unit_of_work import UnitOfWork

#: Where a snapshot names a statement or a reading by nickname, by section.
_STATEMENT_REFS = {
    "statements": ("target", "duplicate_of"),
    "steelmen": ("statement",),
    "stances": ("statement",),
    "cruxes": ("statement", "belief"),
}
_READING_REFS = {
    "statements": ("reading",),
    "meetings": ("reading",),
    "channels": ("current_reading",),
}


async def _free_names(
    names: list[str], taken_of: Callable[[list[str]], Awaitable[list[str]]]
) -> dict[str, str]:
    """Old -> new for each of `names` taken here, none new clashing with the file or here.

    A new name can itself be taken (a workspace with `x` and `x-2`), so the
    new ones are checked again, counting on from where they were.
    """
    renames: dict[str, str] = {}
    used = set(names)
    numbers: dict[str, int] = {}
    pending = await taken_of(names)
    while pending:
        fresh: dict[str, str] = {}
        for original in pending:
            number = numbers.get(original, 1)
            candidate = renames.get(original, original)
            while candidate in used:
                number += 1
                candidate = numbered_slug(original, number)
            numbers[original] = number
            used.add(candidate)
            renames[original] = candidate
            fresh[candidate] = original
        pending = [fresh[name] for name in await taken_of(list(fresh))]
    return renames


def _renamed(items: list[Any], keys: Iterable[str], renames: dict[str, str]) -> list[Any]:
    """The rows with each of their `keys` fields renamed where `renames` says."""
    keys = tuple(keys)
    return [
        replace(item, **{k: renames[getattr(item, k)] for k in keys if getattr(item, k) in renames})
        for item in items
    ]


async def make_room(uow: UnitOfWork, snapshot: MapSnapshot) -> MapSnapshot:
    """`snapshot` with each generated nickname that is taken here renumbered."""
    names = [n for s in snapshot.statements for n in (s.slug, *s.aliases)]

    async def taken_readings(candidates: list[str]) -> list[str]:
        return [c for c in candidates if await uow.readings.by_slug(c) is not None]

    renames = await _free_names(names, partial(taken_nicknames, uow))
    snapshot.statements = [
        replace(
            s, slug=renames.get(s.slug, s.slug), aliases=tuple(renames.get(a, a) for a in s.aliases)
        )
        for s in snapshot.statements
    ]
    for section, keys in _STATEMENT_REFS.items():
        setattr(snapshot, section, _renamed(getattr(snapshot, section), keys, renames))
    readings = await _free_names([r.slug for r in snapshot.readings], taken_readings)
    snapshot.readings = _renamed(snapshot.readings, ("slug",), readings)
    for section, keys in _READING_REFS.items():
        setattr(snapshot, section, _renamed(getattr(snapshot, section), keys, readings))
    return snapshot
