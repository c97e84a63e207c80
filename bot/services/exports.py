"""Exporting the map in open formats, and importing files back."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.errors import UserError
from bot.formats.aif import to_aif
from bot.formats.argdown import to_argdown
from bot.formats.argdown_cli import argdown_json
from bot.formats.argdown_import import is_argdown, parse_argdown_json
from bot.formats.json_format import from_json, is_json_export, to_json
from bot.formats.kialo import is_kialo, parse_kialo
from bot.formats.markdown import to_markdown
from bot.packs.loader import Pack, PackError, parse_pack_text
from bot.render.reply import Attachment, Reply
from bot.services.generated_names import make_room
from bot.services.packs import import_pack
from bot.services.registry import handles
from bot.services.restore import import_snapshot
from bot.storage.batches import commit_so_far
from bot.storage.snapshot import MapSnapshot, load_snapshot
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

EXPORT_FORMATS: dict[str, tuple[Callable[[MapSnapshot], str], str]] = {
    "json": (to_json, "json"),
    "md": (to_markdown, "md"),
    "argdown": (to_argdown, "argdown"),
    "aif": (to_aif, "aif.json"),
}
#: The largest file any way in (chat upload, `cruxbot import`) may import; the
#: Discord and Slack adapters read it too, to refuse before downloading. Measured
#: (docs/benchmarks.md): a pack of this size (some 5,000 statements) is read,
#: checked and written in about 20 s on a busy 2-core machine, in short
#: transactions, without holding up other commands; 20 MB took minutes.
MAX_IMPORT_BYTES = 1024 * 1024

#: Files up to this size are read in a thread: they hold the interpreter lock for
#: at most a few tens of milliseconds. Larger ones go to a worker process.
IN_THREAD_BYTES = 24 * 1024
_workers: ProcessPoolExecutor | None = None


def too_big(name: str) -> str:
    """The refusal for a file over the limit, naming the limit."""
    return f"{name} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB, the import limit; split it."


async def export_text(uow: UnitOfWork, fmt: str, reading_slug: str | None) -> tuple[str, str]:
    """(file name, content) of the workspace's map, or one reading's, in a format."""
    if reading_slug and await uow.repos.reading_by_slug(reading_slug) is None:
        raise UserError(f"There is no reading `{reading_slug}`.", hint="/reading lists them.")
    snapshot = await load_snapshot(uow, reading_slug)
    render, extension = EXPORT_FORMATS[fmt]
    return f"cruxbot-{reading_slug or 'map'}.{extension}", render(snapshot)


@handles("export")
async def export(uow: UnitOfWork, format: str = "md", reading: str | None = None) -> Reply:
    """`/export`: the map as a file posted in the channel."""
    filename, content = await export_text(uow, format, reading)
    return Reply(
        title=f"Export: {filename}",
        body=f"The {'reading `' + reading + '`' if reading else 'whole map'} "
        f"as {format.upper() if format != 'argdown' else 'Argdown'}.",
        attachment=Attachment(filename, content.encode("utf-8"), f"Cruxbot {format} export"),
        ephemeral=False,
    )


async def import_file(uow: UnitOfWork, name: str, content: bytes) -> Reply:
    """Import a JSON export, a reading pack (YAML), a Kialo text export or Argdown.

    Reading a file takes up to seconds of CPU, so it runs off the event loop
    (see `parse_off_loop`): the bot keeps answering everyone else meanwhile. No
    transaction is held open while it runs (on SQLite that would hold the write
    lock), so anything the command wrote so far (a new workspace) commits first.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise UserError(too_big(name))
    await commit_so_far(uow)
    if is_argdown(name, content[:4096].decode("utf-8", "ignore")):
        # Argdown's own parser reads the file (a subprocess, awaited); its JSON
        # is then mapped like any other file, off the loop.
        result = await argdown_json(name, content)
        parsed = await parse_off_loop(name, result, uow.caller.user_name, parse_argdown_json)
    else:
        parsed = await parse_off_loop(name, content, uow.caller.user_name)
    if isinstance(parsed, Pack):
        return await import_pack(uow, parsed)
    if is_kialo(content.decode("utf-8-sig", errors="replace")):  # its nicknames are made up
        parsed = await make_room(uow, parsed)
    return await import_snapshot(uow, parsed)


#: Reads a file (name, content, importer's name): `parse_file`, or another reader.
Reader = Callable[[str, bytes, str], Pack | MapSnapshot]


async def parse_off_loop(
    name: str, content: bytes, importer: str, reader: Reader | None = None
) -> Pack | MapSnapshot:
    """`reader` (by default `parse_file`) in a worker process, or a thread for a small file.

    A thread alone is not enough: libyaml and the JSON decoder are C code that
    keeps Python's interpreter lock for a whole document, which stopped the
    event loop for a third of a second on a 200 kB pack. A worker process
    (started once, on the first big file) runs beside the loop instead.
    """
    read = reader or parse_file
    if len(content) <= IN_THREAD_BYTES:
        return await asyncio.to_thread(read, name, content, importer)
    global _workers
    if _workers is None:
        _workers = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    loop = asyncio.get_running_loop()
    try:
        parts = await loop.run_in_executor(_workers, _parse_in_parts, name, content, importer, read)
    except BrokenProcessPool:
        # The worker could not start or died (killed, out of memory; or a script
        # embedding the bot without an `if __name__ == "__main__":` guard): a thread
        # still reads the file, and the next big file tries a fresh worker.
        log.warning("the import worker process failed; reading %s in a thread", name)
        _workers = None
        return await asyncio.to_thread(read, name, content, importer)
    return await asyncio.to_thread(_from_parts, parts)


#: A parsed file as pickled slices: ("pack", reading, statements…) or ("snapshot", {section: …}).
Parts = tuple[str, bytes, list[bytes]] | tuple[str, dict[str, list[bytes]]]
_PART_ITEMS = 500


def _slices(items: Sequence[Any]) -> list[bytes]:
    return [pickle.dumps(items[i : i + _PART_ITEMS]) for i in range(0, len(items), _PART_ITEMS)]


def _parse_in_parts(name: str, content: bytes, importer: str, reader: Reader) -> Parts:
    """`reader` in the worker, its result sliced.

    Unpickling one big result is C code that would keep the interpreter lock
    (and so the event loop) for a tenth of a second per megabyte; slices are
    unpickled one by one in a thread, which hands the lock back in between.
    """
    parsed = reader(name, content, importer)
    if isinstance(parsed, Pack):
        return ("pack", pickle.dumps(parsed.reading), _slices(parsed.statements))
    return ("snapshot", {key: _slices(items) for key, items in vars(parsed).items()})


def _from_parts(parts: Parts) -> Pack | MapSnapshot:
    if parts[0] == "pack" and len(parts) == 3:
        statements = [s for part in parts[2] for s in pickle.loads(part)]
        return Pack(reading=pickle.loads(parts[1]), statements=tuple(statements))
    assert len(parts) == 2
    sections = {
        key: [i for part in items for i in pickle.loads(part)] for key, items in parts[1].items()
    }
    return MapSnapshot(**sections)


def parse_file(name: str, content: bytes, importer: str) -> Pack | MapSnapshot:
    """The file as a validated pack or a parsed export (CPU-bound: see `parse_off_loop`)."""
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
                f"{name} is not a Cruxbot JSON export, a Kialo export, Argdown (name it .argdown) "
                f"or a valid reading pack: "
                f"{exc.message}"
            ) from None
    return snapshot
