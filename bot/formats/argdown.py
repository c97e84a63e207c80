"""Argdown export, for the Argdown toolchain (maps, analysis, other formats).

Claims become statements `[slug]`; objections, replies and supports become
arguments `<slug>` with attack (`-`) or support (`+`) relations written under
what they answer. Steelmen are further members of the same equivalence class
(another `[slug]: …` or `<slug>: …` definition). Status and authors go into
each element's YAML data.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from bot.storage.snapshot import MapSnapshot

_SPECIAL = re.compile(r"([\\\[\]<>{}#*_@+\-:`~])")


def escape(text: str) -> str:
    """One line of Argdown text with every markup character escaped."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat)


def _ref(statement: dict[str, Any]) -> str:
    slug = statement["slug"]
    return f"[{slug}]" if statement["kind"] == "claim" else f"<{slug}>"


#: Characters Argdown's own lexer reacts to even inside a quoted YAML string.
_DATA_ESCAPES = {ord(ch): f"\\u{ord(ch):04x}" for ch in "#{}[]<>"}


def _data(values: dict[str, Any]) -> str:
    """A YAML flow mapping of JSON values, markup characters as \\u escapes."""
    pairs = (
        f"{key}: {json.dumps(value).translate(_DATA_ESCAPES)}" for key, value in values.items()
    )
    return "{" + ", ".join(pairs) + "}"


def to_argdown(snapshot: MapSnapshot, title: str = "Argument map") -> str:
    """The live statements as one Argdown document."""
    live = snapshot.live_statements()
    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for statement in live:
        if statement["target"] is not None:
            answers[statement["target"]].append(statement)
    steelmen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for steelman in snapshot.steelmen:
        if steelman["deleted_at"] is None:
            steelmen[steelman["statement"]].append(steelman)
    lines = ["===", f"title: {json.dumps(title)}", "===", ""]
    readings = {r["slug"]: r for r in snapshot.readings}
    for reading_slug in [*readings, None]:
        members = [s for s in live if s["reading"] == reading_slug]
        if not members:
            continue
        heading = readings[reading_slug]["title"] if reading_slug else "Not tied to a reading"
        lines += [f"# {escape(heading)}", ""]
        for statement in members:
            lines += _definition(
                statement, answers.get(statement["slug"], []), steelmen.get(statement["slug"], [])
            )
    return "\n".join(lines).rstrip() + "\n"


def _definition(
    statement: dict[str, Any], answers: list[dict[str, Any]], steelmen: list[dict[str, Any]]
) -> list[str]:
    ref = _ref(statement)
    lines = [f"{ref}: {escape(statement['text'])}"]
    lines.append(
        "  "
        + _data(
            {
                "title": statement["title"],
                "kind": statement["kind"],
                "status": statement["status"],
                "author": statement["author_name"],
            }
        )
    )
    for answer in answers:
        sign = "+" if answer["kind"] == "support" else "-"
        lines.append(f"  {sign} {_ref(answer)}")
    lines.append("")
    for steelman in steelmen:
        lines.append(f"{ref}: {escape(steelman['text'])}")
        lines.append(
            "  "
            + _data(
                {
                    "steelman": True,
                    "author": steelman["author_name"],
                    "endorsed": steelman["endorsed"],
                }
            )
        )
        lines.append("")
    return lines
