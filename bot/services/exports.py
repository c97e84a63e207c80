"""Exporting the map in open formats, and importing files back."""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import UserError
from bot.formats.aif import to_aif
from bot.formats.argdown import to_argdown
from bot.formats.json_format import from_json, is_json_export, to_json
from bot.formats.kialo import is_kialo, parse_kialo
from bot.formats.markdown import to_markdown
from bot.packs.loader import PackError, parse_pack_text
from bot.render.reply import Attachment, Reply
from bot.services.packs import import_pack
from bot.services.restore import import_snapshot
from bot.storage.snapshot import MapSnapshot, load_snapshot
from bot.storage.unit_of_work import UnitOfWork

EXPORT_FORMATS: dict[str, tuple[Callable[[MapSnapshot], str], str]] = {
    "json": (to_json, "json"),
    "md": (to_markdown, "md"),
    "argdown": (to_argdown, "argdown"),
    "aif": (to_aif, "aif.json"),
}
MAX_IMPORT_BYTES = 20 * 1024 * 1024


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
    """Import a JSON export, a reading pack (YAML) or a Kialo text export."""
    if len(content) > MAX_IMPORT_BYTES:
        raise UserError(f"{name} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split it.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{name} is not UTF-8 text (byte {exc.start}).") from None
    if is_json_export(text):
        return await import_snapshot(uow, from_json(text))
    if is_kialo(text):
        return await import_snapshot(uow, parse_kialo(text, uow.caller.user_name))
    try:
        pack = parse_pack_text(text, name)
    except PackError as exc:
        raise UserError(
            f"{name} is not a Cruxbot JSON export, a Kialo export or a valid reading pack: "
            f"{exc.message}"
        ) from None
    return await import_pack(uow, pack)
