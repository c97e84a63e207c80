"""`@Cruxbot import` with a file: the whole file is imported, or nothing is.

The mock Slack serves each shared file's download in small chunks with pauses
between them, as a real network delivers a large file, and says in files.info
how big the file is. A short, long or oversize download is refused with a
message naming what went wrong, and the map is left as it was.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from adapters.slack.files import IMPORT_MAX_BYTES
from testing_support.slack import (
    BOT_USER,
    SLACK_MODERATOR,
    FakeSlack,
    SlackHarness,
    serve,
    wait_for,
)
from tests.conftest import text_of
from tests.slack.test_commands import texts

_ids = itertools.count()


@dataclass
class SharedFile:
    """A file Slack holds: its bytes, the size files.info reports, how it trickles out."""

    name: str
    body: bytes
    announced: int
    chunk: int = 8 * 1024
    pause: float = 0.01


@dataclass
class TricklingSlack(FakeSlack):
    """The mock Slack, serving shared files in chunks, a pause after each."""

    files: dict[str, SharedFile] = field(default_factory=dict)
    downloads: int = 0

    def share(self, shared: SharedFile) -> dict[str, str]:
        file_id = f"F{next(_ids)}"
        self.files[file_id] = shared
        return {"id": file_id, "name": shared.name}

    def _answer(self, method: str, args: Any) -> dict[str, Any]:
        if method == "files.info":
            file_id = str(args.get("file"))
            shared = self.files[file_id]
            url = f"{self.base}/files-pri/{file_id}"
            info = {"id": file_id, "name": shared.name, "size": shared.announced}
            return {"ok": True, "file": {**info, "url_private_download": url}}
        return super()._answer(method, args)

    async def download(self, request: web.Request) -> web.StreamResponse:
        self.downloads += 1
        shared = self.files[request.match_info["id"]]
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(shared.body), shared.chunk):
            await response.write(shared.body[start : start + shared.chunk])
            await asyncio.sleep(shared.pause)  # the network, not test ordering
        await response.write_eof()
        return response

    def web_app(self) -> web.Application:
        application = super().web_app()
        application.router.add_get("/files-pri/{id}", self.download)
        return application


@pytest.fixture
async def fake() -> AsyncIterator[TricklingSlack]:
    """Replaces conftest's mock Slack for this module."""
    slack = TricklingSlack()
    runner, slack.base = await serve(slack.web_app())
    yield slack
    await runner.cleanup()


def kialo(points: int) -> bytes:
    """A Kialo export: a thesis and `points` objections of ~400 bytes, the last one marked."""
    lines = ["Discussion Title: A long discussion", "", "1. Long discussions can be imported."]
    padding = "and this sentence keeps going to make the point long enough " * 6
    for number in range(1, points + 1):
        lines.append(f"1.{number}. Con: Objection {number} says the thesis fails, {padding}.")
    lines[-1] = lines[-1][:-1] + " THE VERY END OF THE LAST POINT."
    return ("\n".join(lines) + "\n").encode()


async def import_shared(slack: SlackHarness, shared: SharedFile) -> str:
    """Share a file with `@Cruxbot import` as the moderator; the text of the one answer."""
    fake = slack.fake
    assert isinstance(fake, TricklingSlack)
    event = {
        "type": "app_mention",
        "user": "UADMIN",
        "text": f"<@{BOT_USER}> import",
        "ts": "1700000005.000100",
        "channel": "C1",
        "files": [fake.share(shared)],
    }
    assert (await slack.event(event, event_id=f"Ev{next(_ids)}"))[0] == 200

    def posted() -> list[dict[str, Any]]:
        return fake.called("chat.postMessage") + fake.called("chat.postEphemeral")

    sent = await wait_for(posted, seconds=30)
    await slack.settle()
    assert len(posted()) == 1
    return texts(sent[0]["blocks"])


async def statements_listed(slack: SlackHarness) -> str:
    return text_of(await slack.core.handle_line("/list", SLACK_MODERATOR))


async def test_a_large_file_arriving_slowly_in_chunks_is_imported_whole(
    slack: SlackHarness,
) -> None:
    body = kialo(300)
    assert len(body) > 100 * 1024
    shown = await import_shared(slack, SharedFile("long.txt", body, announced=len(body)))
    assert "Imported" in shown and "301 statements" in shown, shown
    found = await slack.core.handle_line("/search THE VERY END OF THE LAST POINT", SLACK_MODERATOR)
    assert "Objection 300 says" in text_of(found)


async def test_a_download_shorter_than_the_size_slack_reported_imports_nothing(
    slack: SlackHarness,
) -> None:
    body = kialo(300)
    cut = body[: 70 * 1024]  # what arrived before the connection ended
    shown = await import_shared(slack, SharedFile("long.txt", cut, announced=len(body)))
    assert "long.txt" in shown and "incomplete" in shown, shown
    assert f"{len(cut):,} of {len(body):,} bytes" in shown
    assert "Objection 1 says" not in await statements_listed(slack)


async def test_a_download_longer_than_the_size_slack_reported_imports_nothing(
    slack: SlackHarness,
) -> None:
    body = kialo(40)
    shown = await import_shared(slack, SharedFile("odd.txt", body, announced=len(body) - 100))
    assert "odd.txt" in shown and f"{len(body):,} bytes" in shown, shown
    assert "Objection 1 says" not in await statements_listed(slack)


async def test_a_file_over_the_import_limit_is_refused_before_downloading(
    slack: SlackHarness,
) -> None:
    fake = slack.fake
    assert isinstance(fake, TricklingSlack)
    body = kialo(2)
    shown = await import_shared(slack, SharedFile("huge.txt", body, announced=IMPORT_MAX_BYTES + 1))
    assert "huge.txt is over 1 MB, the import limit" in shown, shown
    assert fake.downloads == 0


async def test_a_download_over_the_limit_stops_at_the_limit_and_imports_nothing(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack said the file was small, but the download does not end (a bad proxy, say)."""
    monkeypatch.setattr("adapters.slack.files.IMPORT_MAX_BYTES", 64 * 1024)
    body = kialo(300)
    shared = SharedFile("endless.txt", body, announced=60 * 1024, chunk=16 * 1024, pause=0)
    shown = await import_shared(slack, shared)
    assert "endless.txt" in shown and "more than 64 KB" in shown, shown
    assert "Objection 1 says" not in await statements_listed(slack)
