"""Exporting the map in open formats, and importing files back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.errors import UserError
from bot.formats.aif import to_aif
from bot.formats.argdown import to_argdown
from bot.formats.json_format import from_json, is_json_export, to_json
from bot.formats.kialo import is_kialo, parse_kialo
from bot.formats.markdown import to_markdown
from bot.packs.loader import Pack, PackError, parse_pack_text
from bot.render.reply import Attachment, Reply
from bot.services.packs import import_pack
from bot.services.restore import check, import_snapshot
from bot.storage.snapshot import MapSnapshot, load_snapshot
from bot.storage.unit_of_work import UnitOfWork

EXPORT_FORMATS: dict[str, tuple[Callable[[MapSnapshot], str], str]] = {
    "json": (to_json, "json"),
    "md": (to_markdown, "md"),
    "argdown": (to_argdown, "argdown"),
    "aif": (to_aif, "aif.json"),
}
#: The largest file any way in (chat upload, `cruxbot import`) may import; the
#: Discord and Slack adapters read it too, to refuse before downloading. Measured
#: (docs/benchmarks.md): a pack of this size is read, checked and written in a few
#: seconds, in short transactions, without holding up other commands.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def too_big(name: str) -> str:
    """The refusal for a file over the limit, naming the limit."""
    return f"{name} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB, the import limit; split it."


async def export_text(uow: UnitOfWork, fmt: str, reading_slug: str | None) -> tuple[str, str]:
    """(file name, content) of the workspace's map, or one reading's, in a format."""
    if reading_slug and await uow.repos.reading_by_slug(reading_slug) is None:
        raise UserError(f"There is no reading `{reading_slug}`.", hint="/reading lists them.")
    snapshot = await load_snapshot(uow.session, uow.workspace_id, reading_slug)
    render, extension = EXPORT_FORMATS[fmt]
    return f"cruxbot-{reading_slug or 'map'}.{extension}", render(snapshot)


async def export(uow: UnitOfWork, fmt: str, reading_slug: str | None) -> Reply:
    """`/export`: the map as a file posted in the channel."""
    filename, content = await export_text(uow, fmt, reading_slug)
    return Reply(
        title=f"Export: {filename}",
        body=f"The {'reading `' + reading_slug + '`' if reading_slug else 'whole map'} "
        f"as {fmt.upper() if fmt != 'argdown' else 'Argdown'}.",
        attachment=Attachment(filename, content.encode("utf-8"), f"Cruxbot {fmt} export"),
        ephemeral=False,
    )


async def import_file(uow: UnitOfWork, name: str, content: bytes) -> Reply:
    """Import a JSON export, a reading pack (YAML) or a Kialo text export.

    Reading and checking a file takes up to seconds of CPU, so it runs in a
    thread: the event loop keeps answering everyone else meanwhile. No
    transaction is held open while it runs (on SQLite that would hold the write
    lock), so anything the command wrote so far (a new workspace) commits first.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise UserError(too_big(name))
    if uow.session.in_transaction():
        await uow.session.commit()
    parsed = await asyncio.to_thread(_parse_file, name, content, uow.caller.user_name)
    if isinstance(parsed, Pack):
        return await import_pack(uow, parsed)
    return await import_snapshot(uow, parsed)


def _parse_file(name: str, content: bytes, importer: str) -> Pack | MapSnapshot:
    """The file as a validated pack or a checked snapshot (CPU-bound: run in a thread)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{name} is not UTF-8 text (byte {exc.start}).") from None
    if is_json_export(text):
        snapshot = from_json(text)
    elif is_kialo(text):
        snapshot = parse_kialo(text, importer)
    else:
        try:
            return parse_pack_text(text, name)
        except PackError as exc:
            raise UserError(
                f"{name} is not a Cruxbot JSON export, a Kialo export or a valid reading pack: "
                f"{exc.message}"
            ) from None
    check(snapshot)
    return snapshot
