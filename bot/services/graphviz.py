"""Running Graphviz's `dot`: a map's DOT source in, a PNG or SVG picture out.

The folds of bot.render.map_layout aim at a map about 1.2 times as wide as
high from an estimate of its boxes; when Graphviz's real layout still comes
out more than MAX_RATIO times as wide as high (a shape the estimate missed),
the grid of trees is drawn again with fewer columns, so no map is ever a strip
(tests/test_map_layout.py). (Graphviz's own `ratio` cannot do this: with
packed trees it scales the picture both ways, to tens of thousands of pixels.)
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import shutil
import struct

from bot.errors import UserError
from bot.render.map_layout import TARGET_RATIO

DOT_TIMEOUT_SECONDS = 20
#: The widest a picture may be, as a multiple of its height.
MAX_RATIO = 2.0
FORMATS = ("png", "svg")
_COLUMNS = re.compile(r'packmode="array_u(\d+)"')
_SVG_SIZE = re.compile(rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def picture_size(content: bytes, fmt: str) -> tuple[float, float]:
    """(width, height) of a PNG in pixels or of a Graphviz SVG in points."""
    if fmt == "png":
        width, height = struct.unpack(">II", content[16:24])
        return float(width), float(height)
    found = _SVG_SIZE.search(content[:2000])
    if found is None:
        raise RuntimeError("dot wrote an SVG without a size")
    return float(found.group(1)), float(found.group(2))


async def draw(dot_source: str, fmt: str = "png") -> bytes | None:
    """The picture, at most MAX_RATIO times as wide as high; None without Graphviz."""
    picture = await _run_dot(dot_source, fmt)
    for _ in range(3):
        if picture is None:
            return None
        width, height = picture_size(picture, fmt)
        found = _COLUMNS.search(dot_source)
        if width <= MAX_RATIO * height or found is None or found.group(1) == "1":
            return picture
        # A grid's width grows with its columns and its height shrinks: the
        # square root of the excess tells how many columns to drop.
        columns = int(found.group(1))
        fewer = min(columns - 1, math.floor(columns * math.sqrt(TARGET_RATIO * height / width)))
        dot_source = _COLUMNS.sub(f'packmode="array_u{max(fewer, 1)}"', dot_source, count=1)
        picture = await _run_dot(dot_source, fmt)
    return picture


async def _run_dot(dot_source: str, fmt: str, *options: str) -> bytes | None:
    """One run of `dot`, at a lower priority than the bot's own answers."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    # Laying out a big map keeps a core busy for a second or more: at a lower
    # priority, so that on a small machine the bot's own answers come first.
    nice = shutil.which("nice")
    command = [nice, "-n", "10", dot] if nice else [dot]
    process = await asyncio.create_subprocess_exec(
        *command,
        f"-T{fmt}",
        *options,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        picture, errors = await asyncio.wait_for(
            process.communicate(dot_source.encode()), DOT_TIMEOUT_SECONDS
        )
    except TimeoutError:
        await _stop(process)
        raise UserError(
            "The map is too large to draw in time; try one statement: /map <slug>."
        ) from None
    except asyncio.CancelledError:  # nobody waits for the map any more (a page left)
        await asyncio.shield(_stop(process))
        raise
    if process.returncode != 0:
        raise RuntimeError(f"dot failed: {errors.decode(errors='replace')[:500]}")
    return picture


async def _stop(process: asyncio.subprocess.Process) -> None:
    """Kill `dot` and reap it, so no process outlives the map it was drawing."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
