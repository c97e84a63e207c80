"""`/import file:` on Discord: download the attached file and hand it to the core.

Only those the core lets run /import (moderators) have the file downloaded at
all: the adapter asks the core first. Its size is checked against the attachment's
metadata first, so nobody can make the bot fetch something huge.
"""

from __future__ import annotations

import logging

import discord

from bot.app import Cruxbot
from bot.context import Caller
from bot.render.reply import Reply
from bot.services.exports import MAX_IMPORT_BYTES, too_big

log = logging.getLogger(__name__)

#: The largest file the bot downloads for an import: the core's limit.
IMPORT_MAX_BYTES = MAX_IMPORT_BYTES
BOTH_GIVEN = "Give either a pack or a file to import, not both."


async def import_attachment(
    core: Cruxbot, attachment: discord.Attachment, caller: Caller, pack: str | None = None
) -> Reply:
    """Import `attachment` into the caller's workspace; a polite refusal otherwise."""
    refused = core.refusal("import", caller)
    if refused is not None:
        return refused
    if pack:
        return Reply.failure(BOTH_GIVEN)
    if attachment.size > IMPORT_MAX_BYTES:
        return Reply.failure(too_big(attachment.filename))
    try:
        content = await attachment.read()
    except (discord.HTTPException, discord.NotFound) as exc:
        log.warning("downloading attachment %s failed: %s", attachment.id, exc)
        return Reply.failure(
            f"Discord would not give me {attachment.filename}.", "Attach it again and retry."
        )
    return await core.import_file(attachment.filename, content, caller)
