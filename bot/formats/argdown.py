"""Argdown export, for the Argdown toolchain (maps, analysis, other formats).

Claims become statements `[slug]`; objections, replies and supports become
arguments `<slug>` with attack (`-`) or support (`+`) relations written under
what they answer. Steelmen are further members of the same equivalence class
(another `[slug]: …` or `<slug>: …` definition). Status and authors go into
each element's YAML data, and each heading's data names its reading, so that
importing the file (bot/formats/argdown_import.py) gives back the same map.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from bot.storage.snapshot_rows import MapSnapshot, StatementRow, SteelmanRow

#: Characters that start an Argdown token wherever they stand (Argdown's lexer):
#: `\\` escapes; `#` tags and headings; `*` `_` bold and italics; `[` `]` `<` `>`
#: statement and argument titles, links and `<!-- -->` comments; `/` the `//` and
#: `/* */` comments; `{` `}` YAML data; `=` front matter (`===`); `@` mentions.
_ALWAYS = re.compile(r"([\\#*_\[\]<>/{}=@])")
#: `.` and `:` open a shortcode (`.y.` is a check mark, `:+1:` a thumb) unless a
#: space follows; a sentence's closing full stop stays readable.
_SHORTCODE = re.compile(r"([.:])(?=\S)")
#: Argdown's file loader replaces `@include(path)` by that file's content before
#: parsing, whatever escapes precede it; an escaped parenthesis breaks the pattern.
_INCLUDE = re.compile(r"(?<=include)\(")
_BREAKS = re.compile(r"[ \t\r\n]+")
#: What JavaScript's String.trim() removes, which Argdown applies to every title and text:
#: a form feed or a no-break space at either end would not survive the round trip.
_TRIMMED = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def flatten(text: str) -> str:
    """`text` on one line, as Argdown shows it: a statement ends at an empty line,
    and a single line break or a run of spaces reads as one space; what Argdown
    trims at either end (`_TRIMMED`) is left out."""
    return _BREAKS.sub(" ", text).strip(_TRIMMED)


def escape(text: str) -> str:
    """One line of Argdown text that Argdown reads back as `flatten(text)`.

    Every character Argdown's lexer could take for syntax is escaped with `\\`
    (Argdown reads `\\x` as `x` for any character); line-start syntax (`+`, `-`,
    `>`, `(1)`, `1.`, `#`) cannot occur because the text never starts a line.
    """
    escaped = _SHORTCODE.sub(r"\\\1", _ALWAYS.sub(r"\\\1", flatten(text)))
    return _INCLUDE.sub(r"\\(", escaped)


def _ref(statement: StatementRow) -> str:
    slug = statement.slug
    return f"[{slug}]" if statement.kind == "claim" else f"<{slug}>"


#: Characters Argdown reacts to even inside a quoted YAML string (its lexer, and
#: the `@include(` its file loader looks for before parsing).
_DATA_ESCAPES = {ord(ch): f"\\u{ord(ch):04x}" for ch in "#{}[]<>()="}


def _data(values: dict[str, Any]) -> str:
    """A YAML flow mapping of JSON values, markup characters as \\u escapes."""
    pairs = (
        f"{key}: {json.dumps(value).translate(_DATA_ESCAPES)}" for key, value in values.items()
    )
    return "{" + ", ".join(pairs) + "}"


def to_argdown(snapshot: MapSnapshot, title: str = "Argument map") -> str:
    """The live statements as one Argdown document."""
    live = snapshot.live_statements()
    answers: dict[str, list[StatementRow]] = defaultdict(list)
    for statement in live:
        if statement.target is not None:
            answers[statement.target].append(statement)
    steelmen: dict[str | None, list[SteelmanRow]] = defaultdict(list)
    for steelman in snapshot.steelmen:
        if steelman.deleted_at is None:
            steelmen[steelman.statement].append(steelman)
    lines = ["===", f"title: {json.dumps(title).translate(_DATA_ESCAPES)}", "===", ""]
    readings = {r.slug: r for r in snapshot.readings}
    for reading_slug in [*readings, None]:
        members = [s for s in live if s.reading == reading_slug]
        if not members:
            continue
        heading = readings[reading_slug].title if reading_slug else "Not tied to a reading"
        lines += [f"# {escape(heading)} {_data({'reading': reading_slug})}", ""]
        for statement in members:
            lines += _definition(
                statement, answers.get(statement.slug, []), steelmen.get(statement.slug, [])
            )
    return "\n".join(lines).rstrip() + "\n"


def _definition(
    statement: StatementRow, answers: list[StatementRow], steelmen: list[SteelmanRow]
) -> list[str]:
    ref = _ref(statement)
    lines = [f"{ref}: {escape(statement.text)}"]
    data: dict[str, Any] = {
        "title": statement.title,
        "kind": statement.kind,
        "status": statement.status,
        "author": statement.author_name,
    }
    if flatten(statement.text) != statement.text:
        data["text"] = statement.text  # line breaks, which Argdown's text cannot hold
    lines.append("  " + _data(data))
    for answer in answers:
        sign = "+" if answer.kind == "support" else "-"
        lines.append(f"  {sign} {_ref(answer)}")
    lines.append("")
    for steelman in steelmen:
        lines.append(f"{ref}: {escape(steelman.text)}")
        data = {
            "steelman": True,
            "author": steelman.author_name,
            "endorsed": steelman.endorsed,
        }
        if flatten(steelman.text) != steelman.text:
            data["text"] = steelman.text
        lines.append("  " + _data(data))
        lines.append("")
    return lines
