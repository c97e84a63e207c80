"""A `dot` that takes too long, or whose map is no longer wanted, is stopped and reaped.

A map drawn for a web page whose visitor left (the request cancelled) or one
past the time limit must not leave a `dot` process running or unreaped.
"""

from __future__ import annotations

import asyncio
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.errors import UserError
from bot.services import graphviz

SLOW_DOT = "#!/bin/sh\nexec sleep 30\n"


@dataclass
class Started:
    """The `dot` processes started, and an event set when the first one is."""

    processes: list[asyncio.subprocess.Process] = field(default_factory=list)
    first: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Started:
    """A `dot` on PATH that never finishes; each process started is kept."""
    fake = tmp_path / "dot"
    fake.write_text(SLOW_DOT)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    seen = Started()
    original = asyncio.create_subprocess_exec

    async def recorded(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await original(*args, **kwargs)
        seen.processes.append(process)
        seen.first.set()
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", recorded)
    return seen


async def test_a_map_past_the_time_limit_stops_dot_and_says_why(
    started: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphviz, "DOT_TIMEOUT_SECONDS", 0.2)
    with pytest.raises(UserError, match="too large to draw in time"):
        await graphviz.draw("digraph { a }")
    (process,) = started.processes
    assert process.returncode is not None  # killed and reaped, not left behind


async def test_a_map_no_longer_wanted_stops_dot(started: Started) -> None:
    drawing = asyncio.create_task(graphviz.draw("digraph { a }"))
    await started.first.wait()
    drawing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await drawing
    (process,) = started.processes
    assert process.returncode is not None
