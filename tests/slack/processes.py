"""Real `python -m cruxbot serve slack` processes for tests, and ways to talk to them.

The process is started as an organiser would (environment settings, free port),
logs JSON lines that `Served` keeps, and is stopped with SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp

from testing_support.slack import SECRET, sign

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """A `python -m cruxbot serve slack` process in HTTP mode, its port and its log lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.url = ""
        self._started = asyncio.Event()  # set once the process says where it listens
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode().rstrip("\n")
            self.lines.append(line)
            found = re.search(r"cruxbot ready: .* on (http://[\d.]+:\d+)", line)
            if found:
                self.url = found.group(1)
                self._started.set()

    async def ready(self, seconds: float = 60) -> str:
        """The server's URL once it logs that it is ready; fails if it exits or stays silent."""
        started = asyncio.ensure_future(self._started.wait())
        await asyncio.wait(
            {started, self._reader}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED
        )
        started.cancel()
        if not self.url:
            raise AssertionError("serve did not start:\n" + "\n".join(self.lines))
        return self.url

    async def stop(self, seconds: float = 30) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(self.process.wait(), seconds)
        await asyncio.wait_for(self._reader, 5)
        return status

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        self._reader.cancel()


async def start_slack_process(
    api_url: str, database_url: str, extra: dict[str, str] | None = None, demo: bool = True
) -> Served:
    """`python -m cruxbot serve slack` on a free port, JSON logs; `extra` adds settings."""
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": api_url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "LOG_FORMAT": "json",
    }
    env.pop("SLACK_APP_TOKEN", None)  # HTTP mode unless `extra` names an app token
    env.update(extra or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cruxbot",
        "serve",
        "slack",
        *(["--demo"] if demo else []),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    return Served(process)


async def post_signed(
    session: aiohttp.ClientSession, url: str, body: str, headers: dict[str, str] | None = None
) -> int:
    """POST a form body to the process's /slack/events, signed; the status."""
    status, _ = await post_signed_reading(session, url, body, headers)
    return status


async def post_signed_reading(
    session: aiohttp.ClientSession, url: str, body: str, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """POST a form body to the process's /slack/events, signed; the status and the answer."""
    ts = int(time.time())
    sent = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, ts),
        **(headers or {}),
    }
    async with session.post(f"{url}/slack/events", data=body, headers=sent) as response:
        return response.status, await response.text()


async def wait_until(condition: Callable[[], object], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)
