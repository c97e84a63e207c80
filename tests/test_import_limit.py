"""One import size limit, named in every refusal: the core's, read by both adapters.

A file over it is refused before anything is parsed (and, in chat, before it is
even downloaded), with the limit in the message.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.discord.uploads import import_attachment
from adapters.slack.files import import_shared_file
from bot.app import Cruxbot
from bot.services.exports import MAX_IMPORT_BYTES
from tests.conftest import MODERATOR
from tests.test_big_imports import chain_pack

MEGABYTES = MAX_IMPORT_BYTES // (1024 * 1024)


async def statements(app: Cruxbot, caller: Any = MODERATOR) -> str:
    return (await app.handle_line("/list", caller)).body


async def test_a_file_over_the_import_limit_is_refused_with_the_limit_named(
    app: Cruxbot,
) -> None:
    content = chain_pack(3) + b"#" * MAX_IMPORT_BYTES
    reply = await app.import_file("huge.yaml", content, MODERATOR)
    assert reply.error
    assert f"huge.yaml is over {MEGABYTES} MB, the import limit" in reply.body
    assert "s-1" not in await statements(app)
    fits = await app.import_file("small.yaml", chain_pack(3), MODERATOR)
    assert not fits.error, fits.body
    assert "s-1" in await statements(app)


class Attachment:
    """What discord.py gives the adapter for an attached file; reading it is refused."""

    filename = "huge.json"
    id = 1
    size = MAX_IMPORT_BYTES + 1

    async def read(self) -> bytes:
        raise AssertionError("a file over the limit must not be downloaded")


class SlackClient:
    """The Web API as the adapter sees it: files.info reports a file over the limit."""

    token = "xoxb-test"

    async def files_info(self, file: str) -> dict[str, Any]:
        return {"file": {"id": file, "name": "huge.json", "size": MAX_IMPORT_BYTES + 1}}


async def test_discord_and_slack_refuse_a_file_over_the_limit_without_downloading_it(
    app: Cruxbot,
) -> None:
    on_discord = replace(MODERATOR, platform="discord")
    reply = await import_attachment(app, Attachment(), on_discord)  # type: ignore[arg-type]
    assert reply.error and f"huge.json is over {MEGABYTES} MB" in reply.body
    on_slack = replace(MODERATOR, platform="slack")
    files = [{"id": "F1", "name": "huge.json"}]
    reply = await import_shared_file(app, SlackClient(), files, on_slack)  # type: ignore[arg-type]
    assert reply.error and f"huge.json is over {MEGABYTES} MB" in reply.body
