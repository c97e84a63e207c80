"""Counting the answers an adapter has under way, so a stop can let them finish."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class InFlight:
    """How many answers are under way; `wait_idle` waits for none to be."""

    def __init__(self) -> None:
        """Start idle."""
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        """Count the enclosed work as in flight."""
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    @property
    def running(self) -> int:
        """How many answers are under way now."""
        return self._running

    async def wait_idle(self, grace: float) -> bool:
        """Wait for every answer under way to finish; False if they did not in time."""
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            return False
        return True
