"""`@Cruxbot import` with a file attached: fetch the file from Slack and import it.

Slack's events carry only a file's id and links; the bot asks files.info
(Web API) for the file's size and private download link, and downloads it with
its own token. The link comes from the Web API, never from the event, so the
token is only ever sent where Slack said the file is. Only those the core
lets run /import (moderators) have anything downloaded: the adapter asks it first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import Cruxbot
from bot.context import Caller
from bot.render.reply import Reply
from bot.services.exports import MAX_IMPORT_BYTES

log = logging.getLogger(__name__)

#: The largest file the bot downloads for an import: the core's limit.
IMPORT_MAX_BYTES = MAX_IMPORT_BYTES
DOWNLOAD_SECONDS = 30.0
#: How much of a download is asked for at a time.
CHUNK_BYTES = 64 * 1024
SPLIT = "split it into smaller files (a reading each, say)."
ONE_FILE = "Attach one file to import at a time."


def wants_import(text: str, files: Sequence[Any]) -> bool:
    """Whether a mention asks to import its attached file (`@Cruxbot import`)."""
    words = text.split()
    return bool(files) and bool(words) and words[0].lstrip("/").lower() == "import"


async def import_shared_file(
    core: Cruxbot, client: AsyncWebClient, files: Sequence[Mapping[str, Any]], caller: Caller
) -> Reply:
    """Import the one file shared with the mention into the caller's workspace."""
    not_allowed = core.refusal("import", caller)
    if not_allowed is not None:
        return not_allowed
    if len(files) != 1:
        return Reply.failure(ONE_FILE)
    file_id = str(files[0].get("id", ""))
    try:
        info: Mapping[str, Any] = (await client.files_info(file=file_id)).get("file") or {}
    except SlackApiError as exc:
        log.warning("files.info for %s failed: %s", file_id, exc.response.get("error"))
        return Reply.failure(
            "Slack would not show me that file.",
            "Check that the app may read files (the files:read scope) and try again.",
        )
    name = str(info.get("name") or info.get("title") or file_id)
    size = int(info.get("size") or 0)
    if size > IMPORT_MAX_BYTES:
        return Reply.failure(
            f"{name} is over {_amount(IMPORT_MAX_BYTES)}, the import limit; {SPLIT}"
        )
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    content = await _download(url, client.token or "") if url else None
    if content is None:
        return Reply.failure(
            f"I could not download {name} from Slack.", "Share it again and retry."
        )
    refused = _refusal(name, len(content), size)
    if refused:
        return Reply.failure(refused, "Nothing was imported. Share the file again and retry.")
    return await core.import_file(name, content, caller)


def _refusal(name: str, got: int, size: int) -> str:
    """Why a download cannot be imported ("" if it can): it is not the file Slack described.

    Slack reports each file's size in files.info. A download that ends early
    (a dropped connection that still looked finished) would otherwise import
    the first part of the file, cutting its last point mid-sentence; one that
    runs past the import limit is stopped there. A file without a reported
    size is checked against the limit only.
    """
    if got > IMPORT_MAX_BYTES:
        return f"{name} turned out to be more than {_amount(IMPORT_MAX_BYTES)}; {SPLIT}"
    if size and got < size:
        return f"The download of {name} from Slack was incomplete ({got:,} of {size:,} bytes)."
    if size and got > size:
        return f"Slack sent {got:,} bytes for {name} but said it holds {size:,} bytes."
    return ""


def _amount(limit: int) -> str:
    """A byte count as people say it: "20 MB", "64 KB"."""
    megabyte = 1024 * 1024
    if limit >= megabyte and limit % megabyte == 0:
        return f"{limit // megabyte} MB"
    return f"{limit // 1024} KB"


async def _download(url: str, token: str) -> bytes | None:
    """The whole body (read until it ends, at most IMPORT_MAX_BYTES + 1), or None on failure.

    `StreamReader.read(n)` returns as soon as some bytes are buffered, so one
    call gives only the first chunk or two of a large file. Reading chunk by
    chunk until the end of the body gets all of it; stopping one byte past the
    limit tells an oversize file apart without holding more of it.
    """
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers) as response,
        ):
            if response.status != 200:
                log.warning("downloading a shared file answered %s", response.status)
                return None
            received = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                received += chunk
                if len(received) > IMPORT_MAX_BYTES:
                    break
            return bytes(received[: IMPORT_MAX_BYTES + 1])
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("downloading a shared file failed: %s", str(exc) or type(exc).__name__)
        return None
