"""A per-member limit on writes, so one member (or a runaway script) cannot flood a map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.errors import UserError
from bot.storage.models import utcnow
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class WriteLimit:
    """At most `writes` changing commands per member in any `window`; 0 turns it off."""

    writes: int = 30
    window: timedelta = timedelta(seconds=60)

    @classmethod
    def parse(cls, text: str) -> WriteLimit:
        """`30/60` (30 writes per 60 seconds), or `0` for no limit.

        Raises:
            ValueError: the text is neither.
        """
        text = text.strip()
        if text == "0":
            return cls(0)
        writes, _, seconds = text.partition("/")
        if not (writes.isdigit() and seconds.isdigit() and int(seconds) > 0):
            raise ValueError(text)
        return cls(int(writes), timedelta(seconds=int(seconds)))


#: The limit when none is configured.
DEFAULT_WRITE_LIMIT = WriteLimit()


async def check_write_limit(uow: UnitOfWork, limit: WriteLimit) -> None:
    """Refuse (rolling back) a write that goes over the caller's limit.

    Run after a command: one that recorded no revision changed nothing, so it
    is let through. Meetings, which record none, check before they change
    anything (see `refuse_over_limit`).
    """
    if uow.revisions_written == 0:
        return
    await refuse_over_limit(uow, limit)


async def refuse_over_limit(uow: UnitOfWork, limit: WriteLimit) -> None:
    """Refuse when the caller already made `limit.writes` changes within the window.

    Changes are commands that recorded revisions (other than this one) plus
    meetings started or ended, so looping `/meeting start` and `/meeting end`
    cannot flood a channel with minutes. Moderators (and so the console's user)
    are trusted and not limited.
    """
    if limit.writes == 0 or uow.caller.is_moderator:
        return
    since = utcnow() - limit.window
    user_id = uow.caller.user_id
    recent = await uow.revisions.writes_since(user_id, since, uow.change_id)
    if recent >= limit.writes:
        seconds = int(limit.window.total_seconds())
        raise UserError(
            f"Easy there: you changed things {recent} times in the last {seconds} seconds, "
            f"and the limit here is {limit.writes}. Nothing was changed; try again in a moment.",
        )
