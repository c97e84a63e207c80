"""What every long-running chat adapter offers the process that serves it."""

from __future__ import annotations

from typing import Protocol


class ChatAdapter(Protocol):
    """A connection to one chat platform, started and stopped by `cruxbot serve`."""

    name: str

    async def start(self) -> None:
        """Connect and begin handling requests; return once it is running."""

    async def close(self) -> None:
        """Stop taking new work, finish what is in flight, disconnect."""

    def healthy(self) -> bool:
        """Whether the platform connection is up (for GET /healthz)."""
