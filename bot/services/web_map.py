"""The argument map as inline SVG for the web view, each node a link to its page.

It reuses the chat map's choice of statements and its DOT drawing
(bot.render.argument_map) and only adds a link per node, then asks Graphviz
for SVG instead of PNG. Laying out a big map takes Graphviz a second or more,
so drawings are kept per reading and version (a change to the workspace
makes a new version): a page waits a bounded time for a drawing it lacks,
and shows the statements without it meanwhile; the next refresh has it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.errors import UserError
from bot.render.argument_map import choose, to_dot
from bot.services import graphviz
from bot.services.maps import MAX_NODES

log = logging.getLogger(__name__)
#: Reads the statements to draw (called only when a drawing is to be made).
Rows = Callable[[], Awaitable[list[dict[str, Any]]]]

#: How long a page waits for a drawing not made yet before it is served without it.
WAIT_SECONDS = 3.0
#: Drawings kept (one per reading and version).
CACHED = 64
BEING_DRAWN = "The map is being drawn; it appears here when the page refreshes."
UPDATING = "The map is being redrawn with the latest statements; the lists below have them."
NO_GRAPHVIZ = (
    "Graphviz is not installed on this server, so the map is not drawn: "
    "the statements are listed below."
)
#: SVG elements Graphviz writes; anything else in its output means the drawing is not used.
_ELEMENTS = frozenset({"svg", "g", "title", "text", "polygon", "path", "ellipse", "polyline", "a"})
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_PAGE_LINK = re.compile(r"\.\./s/[a-z0-9][a-z0-9-]*")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def linked_dot(statements: list[dict[str, Any]], title: str) -> tuple[str, int]:
    """DOT source of the map with a link per node, and how many statements it leaves out."""
    selection = choose(statements, MAX_NODES)
    counts = {s["slug"]: s["steelmen"] for s in selection.drawn}
    dot = to_dot(selection.drawn, counts, title).rstrip().removesuffix("}")
    links = [
        f"  {_quote(s['slug'])} [URL={_quote('../s/' + s['slug'])}, target=_top, "
        f"tooltip={_quote(s['slug'])}];"
        for s in selection.drawn
    ]
    return dot + "\n".join(links) + "\n}\n", selection.left_out


def safe_svg(svg: str) -> str | None:
    """The <svg> element alone, if it holds only what Graphviz draws; else None.

    Member text in labels is escaped by Graphviz; this check makes sure of it
    (no script, no foreign element, no event attribute, links only to
    statement pages) before the drawing goes into a page as markup.
    """
    start = svg.find("<svg")
    if start < 0:
        return None
    svg = svg[start:]
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.tag.removeprefix(_SVG) not in _ELEMENTS:
            return None
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name == "style":
                return None
            if name.endswith("href") and not _PAGE_LINK.fullmatch(value):
                return None
    return svg


async def _draw(dot_source: str) -> str | None:
    """The drawing as checked SVG markup; None when Graphviz is missing or fails."""
    try:
        picture = await graphviz.draw(dot_source, "svg")
    except (UserError, RuntimeError) as failure:  # too big in time, or dot failed
        log.warning("no web map drawn: %s", str(failure)[:300])
        return None
    return None if picture is None else safe_svg(picture.decode())


@dataclass(frozen=True)
class Drawing:
    """What a page shows of its map.

    Attributes:
        svg: the drawing, or None.
        note: why there is none, or that a newer one is on its way.
        current: it is the drawing of the version asked for (a page keeping it is complete).
    """

    svg: str | None
    note: str = ""
    current: bool = True


class MapDrawings:
    """Drawings of reading maps as SVG, made once per reading and version.

    Until a changed reading's new drawing is made, pages show the previous one
    (the statements below it are current), so no page waits on Graphviz but
    the very first of a reading, and that one at most WAIT_SECONDS.
    """

    def __init__(self) -> None:
        """No drawing yet."""
        self._done: OrderedDict[tuple[int, int, str], str | None] = OrderedDict()
        self._latest: dict[tuple[int, int], str] = {}
        self._drawing: dict[tuple[int, int, str], asyncio.Task[str | None]] = {}

    async def drawing(self, key: tuple[int, int, str], rows: Rows, title: str) -> Drawing:
        """The drawing of (workspace, reading, version); `rows` reads what to draw if needed."""
        if shutil.which("dot") is None:
            return Drawing(None, NO_GRAPHVIZ)
        if key in self._done:
            self._done.move_to_end(key)
            return Drawing(self._done[key])
        task = self._drawing.get(key)
        if task is None:
            task = asyncio.create_task(self._make(key, rows, title))
            self._drawing[key] = task
        previous = self._latest.get(key[:2])
        if previous is not None:
            return Drawing(previous, UPDATING, current=False)
        try:
            return Drawing(await asyncio.wait_for(asyncio.shield(task), WAIT_SECONDS))
        except TimeoutError:
            return Drawing(None, BEING_DRAWN, current=False)

    async def close(self) -> None:
        """Stop the drawings still being made (the database is about to close)."""
        tasks = list(self._drawing.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _make(self, key: tuple[int, int, str], rows: Rows, title: str) -> str | None:
        try:
            statements = await rows()
            dot_source, _ = await asyncio.to_thread(linked_dot, statements, title)
            svg = await _draw(dot_source)
        except Exception:  # the page goes on without its drawing
            log.exception("drawing a web map failed")
            return None
        finally:
            self._drawing.pop(key, None)
        self._done[key] = svg
        if svg is not None:
            self._latest[key[:2]] = svg
        while len(self._done) > CACHED:
            self._done.popitem(last=False)
        return svg
