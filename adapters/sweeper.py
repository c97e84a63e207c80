"""Closing forgotten meetings while the bot serves, and posting their minutes.

A meeting nobody ends is closed after MEETING_MAX_HOURS. The next command in
its channel would close it too, but a forgotten meeting's channel is often
quiet: so each serving adapter sweeps its platform now and then and posts the
minutes where the meeting was held.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.app import Cruxbot
from bot.events import ClosedMeeting

log = logging.getLogger(__name__)

#: How often to look for forgotten meetings.
SWEEP_SECONDS = 300.0

Post = Callable[[ClosedMeeting], Awaitable[None]]


class MeetingSweeper:
    """A background task closing one platform's forgotten meetings."""

    def __init__(
        self, app: Cruxbot, platform: str, post: Post, every: float = SWEEP_SECONDS
    ) -> None:
        self.app = app
        self.platform = platform
        self.post = post
        self.every = every
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def sweep(self) -> int:
        """Close what is due now and post each one's minutes; how many were closed."""
        closed = await self.app.close_forgotten_meetings(self.platform)
        for meeting in closed:
            if not meeting.channel_id:
                continue  # held nowhere (imported without a channel): nothing to post into
            try:
                await self.post(meeting)
            except Exception:
                # Closed all the same: /meeting minutes shows them in the channel.
                log.exception("posting the minutes in %s failed", meeting.channel_id)
        return len(closed)

    def start(self) -> None:
        """Sweep now, then every `every` seconds, until `close()`."""
        self._task = asyncio.create_task(self._run(), name=f"{self.platform}-meeting-sweeper")

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.sweep()
            except Exception:
                log.exception("sweeping forgotten %s meetings failed", self.platform)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.every)

    async def close(self, grace: float = 5.0) -> None:
        """Stop sweeping; a sweep under way may finish posting (bounded by `grace`)."""
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, grace)
        except TimeoutError:
            log.warning("stopped %s meeting sweep before it finished", self.platform)
