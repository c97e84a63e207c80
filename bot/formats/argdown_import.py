"""Argdown as a map to import: what the Argdown CLI's JSON export says, in Cruxbot's terms.

Argdown is read by Argdown itself (see `argdown_cli`), so every file the
Argdown tools accept means here what it means there. Its model is richer than
Cruxbot's, which has four kinds of statement and one target each:

- Every Argdown statement (an equivalence class `[title]`) and every argument
  (`<title>`) becomes one statement. The title becomes its nickname (kebab-cased
  when it is not one already; a clash gets `-2`, `-3`…). The text is the first
  defining text (an argument's description); an element defined without text
  (only referred to) keeps its title as text.
- Each element answers the first thing it relates to: its first attack or
  support relation (undercut, contrary and contradictory count as attacks,
  entails as support), else, for a premise, the first argument using it, and
  for an argument, its main conclusion (a premise supports its argument, an
  argument its conclusion). Any further relations are left out: Cruxbot
  statements answer one thing. A relation that would make a loop is skipped.
- What answers nothing is a claim; a support relation makes a support; an
  attack on an objection a reply, any other attack an objection. A `kind` in the
  element's data (Cruxbot's own Argdown export) is kept where that kind may
  answer its target, and so are `title`, `status`, the `author`'s name (never
  an id: the importer's name stands in) and the exact `text` (with its line
  breaks, which an Argdown statement cannot hold). Further definitions marked
  `steelman: true` come back as steelmen.
- Each top-level heading becomes a reading (or the one its data names; a
  heading with `reading: null` holds statements tied to none); what stands
  before any heading goes into a reading named after the file.

Inference rules, premise order, tags and further equivalent texts (other than
marked steelmen) are not imported. Reading the JSON is linear in its size and CPU-bound: the
bot runs it off the event loop, like every other file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import PurePath
from typing import Any

from bot.domain import (
    ALLOWED_TARGETS,
    KINDS,
    SLUG_MAX,
    SLUG_PATTERN,
    STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    control_characters,
    derive_title,
    unique_slug,
)
from bot.formats.argdown import flatten
from bot.formats.json_rows import ExportFormatError, snapshot_from_sections
from bot.storage.models import utcnow
from bot.storage.snapshot_rows import MapSnapshot, iso

#: (kind of Argdown element, its title): statements and arguments have separate titles.
Key = tuple[str, str]
SUPPORTS = frozenset({"support", "entails"})
_TYPES = {"equivalence-class": "statement", "argument": "argument"}


def is_argdown(name: str, head: str) -> bool:
    """Whether a file is Argdown: by its name, or a front matter or definition first."""
    if PurePath(name.lower()).suffix in (".argdown", ".ad"):
        return True
    for line in head.splitlines():
        if line.strip():
            return bool(re.match(r"\s*(===+\s*$|\[[^\]]+\]:\s|<[^>]+>:\s)", line))
    return False


def parse_argdown_json(name: str, content: bytes, importer: str) -> MapSnapshot:
    """The Argdown CLI's JSON export of the file `name` as a snapshot to import."""
    try:
        # The CLI prints its JSON, then a line saying it succeeded.
        document, _ = json.JSONDecoder().raw_decode(content.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ExportFormatError(f"{name}: Argdown gave no readable result.") from None
    elements = _elements(document)
    if not elements:
        raise ExportFormatError(f"{name} holds no Argdown statements or arguments.")
    targets = _targets(elements, document)
    kinds = _kinds(elements, targets)
    nicknames = _nicknames(elements)
    default_reading = PurePath(name).stem or "Argdown map"
    readings, reading_of = _readings(document, elements, default_reading, importer)
    now = iso(utcnow())
    statements = []
    for key, element in elements.items():
        target = targets.get(key)
        statements.append(
            {
                "slug": nicknames[key],
                "aliases": [],
                "kind": kinds[key],
                "title": element["title"],
                "text": element["text"],
                "quote": "",
                "source_url": "",
                "source_page": "",
                "author_id": f"argdown:{importer}",
                "author_name": element["author"] or importer,
                "status": element["status"],
                "target": nicknames[target[0]] if target else None,
                "duplicate_of": None,
                "reading": reading_of[key],
                "origin_url": "",
                "meeting": None,
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
            }
        )
    steelmen = [
        {
            "statement": nicknames[key],
            "text": text,
            "author_id": f"argdown:{importer}",
            "author_name": data.get("author") if isinstance(data.get("author"), str) else importer,
            "endorsed": data.get("endorsed") is True,
            "created_at": now,
            "deleted_at": None,
        }
        for key, element in elements.items()
        for text, data in element["steelmen"]
    ]
    return snapshot_from_sections(
        {"readings": readings, "statements": statements, "steelmen": steelmen}
    )


def _elements(document: Any) -> dict[Key, dict[str, Any]]:
    """Statements, then arguments, each with its text and what it is used in."""
    if not isinstance(document, dict):
        raise ExportFormatError("Argdown gave no map.")
    elements: dict[Key, dict[str, Any]] = {}
    for group, kind in (("statements", "statement"), ("arguments", "argument")):
        for title, item in (document.get(group) or {}).items():
            elements[(kind, str(title))] = _element(kind, str(title), item)
    for (kind, title), element in elements.items():
        if kind != "argument":
            continue
        for step in element["pcs"]:
            used = ("statement", str(step.get("title", "")))
            if used not in elements:
                continue
            if step.get("role") == "main-conclusion":
                element["conclusion"] = used
            else:
                elements[used].setdefault("premise_of", (kind, title))
    return elements


def _element(kind: str, title: str, item: dict[str, Any]) -> dict[str, Any]:
    where = f"Statement [{title}]" if kind == "statement" else f"Argument <{title}>"
    defining = [
        m
        for m in item.get("members") or []
        if isinstance(m, dict) and isinstance(m.get("text"), str) and m["text"].strip()
    ]
    own = [m for m in defining if not _data(m).get("steelman")] or defining
    member = own[0] if own else {"text": title}
    data = _data(member)
    text = _text(member, where)
    short, status, author = data.get("title"), data.get("status"), data.get("author")
    return {
        "text": text,
        "title": short
        if isinstance(short, str) and 0 < len(short) <= TITLE_MAX
        else derive_title(text),
        "status": status if status in STATUSES else "open",
        "kind": data.get("kind") if data.get("kind") in KINDS else None,
        "author": author if isinstance(author, str) and author.strip() else None,
        "steelmen": [
            (_text(m, f"A steelman of {where}"), _data(m))
            for m in defining
            if m is not member and _data(m).get("steelman") is True
        ],
        "section": item.get("section"),
        "pcs": [s for s in item.get("pcs") or [] if isinstance(s, dict)],
    }


def _data(member: dict[str, Any]) -> dict[str, Any]:
    found = member.get("data")
    return found if isinstance(found, dict) else {}


def _text(member: dict[str, Any], where: str) -> str:
    """A member's text; its data's exact `text` (line breaks kept) if that reads the same."""
    shown = str(member.get("text", "")).strip()
    exact = _data(member).get("text")
    text = exact if isinstance(exact, str) and flatten(exact) == flatten(shown) else shown
    bad = control_characters(text)
    if bad:
        raise ExportFormatError(f"{where}: control character U+{ord(bad[0]):04X}.")
    if len(text) > TEXT_MAX:
        raise ExportFormatError(f"{where} is {len(text):,} characters; the limit is {TEXT_MAX:,}.")
    return text


def _key(kind: Any, title: Any) -> Key | None:
    return (_TYPES[kind], str(title)) if kind in _TYPES else None


Answers = dict[Key, tuple[Key, str]]


def _targets(elements: dict[Key, dict[str, Any]], document: dict[str, Any]) -> Answers:
    """What each element answers, and how: see the module's docstring."""
    candidates: dict[Key, list[tuple[Key, str]]] = {key: [] for key in elements}
    for relation in document.get("relations") or []:
        if not isinstance(relation, dict):
            continue
        source = _key(relation.get("fromType"), relation.get("from"))
        target = _key(relation.get("toType"), relation.get("to"))
        how = "support" if relation.get("relationType") in SUPPORTS else "attack"
        if source in candidates and target in elements and source != target:
            candidates[source].append((target, how))
    for key, element in elements.items():
        for used in (element.get("premise_of"), element.get("conclusion")):
            if used is not None:
                candidates[key].append((used, "support"))
    chosen: Answers = {}
    for key, options in candidates.items():
        for target, how in options:
            if not _reaches(target, key, chosen):
                chosen[key] = (target, how)
                break
    return chosen


def _reaches(start: Key, goal: Key, chosen: Answers) -> bool:
    """Whether following targets from `start` leads to `goal` (a loop if it answered start)."""
    seen: set[Key] = set()
    current: Key | None = start
    while current is not None and current not in seen:
        if current == goal:
            return True
        seen.add(current)
        step = chosen.get(current)
        current = step[0] if step else None
    return False


def _kinds(elements: dict[Key, dict[str, Any]], targets: Answers) -> dict[Key, str]:
    """Each element's kind, targets first (a reply needs to know it answers an objection)."""
    kinds: dict[Key, str] = {}
    for start in elements:
        chain: list[Key] = []
        current: Key | None = start
        while current is not None and current not in kinds:
            chain.append(current)
            step = targets.get(current)
            current = step[0] if step else None
        for key in reversed(chain):
            kinds[key] = _kind(elements[key]["kind"], targets.get(key), kinds)
    return kinds


def _kind(stated: str | None, answer: tuple[Key, str] | None, kinds: dict[Key, str]) -> str:
    if answer is None:
        return "claim"
    target, how = answer
    if stated is not None and kinds[target] in ALLOWED_TARGETS[stated]:
        return stated
    if how == "support":
        return "support"
    return "reply" if kinds[target] == "objection" else "objection"


def _slug(title: str, used: dict[str, int]) -> str:
    """A title as a free nickname: itself if it is one, else kebab-cased, `-2`… on a clash."""
    base = title if SLUG_PATTERN.match(title) and len(title) <= SLUG_MAX else ""
    if not base:
        ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower())[:SLUG_MAX].strip("-") or "point"
    return unique_slug(base, used)


def _nicknames(elements: dict[Key, dict[str, Any]]) -> dict[Key, str]:
    """Titles that are nicknames already are kept first, so a round trip keeps them all."""
    used: dict[str, int] = {}
    ordered = sorted(elements, key=lambda key: not SLUG_PATTERN.match(key[1]))
    return {key: _slug(key[1], used) for key in ordered}


def _readings(
    document: dict[str, Any], elements: dict[Key, dict[str, Any]], default: str, importer: str
) -> tuple[list[dict[str, Any]], dict[Key, str | None]]:
    """A reading per top-level heading that holds something; which reading each element is in."""
    roots: dict[str, dict[str, Any]] = {}
    pending = [(s, s) for s in document.get("sections") or [] if isinstance(s, dict)]
    while pending:
        section, root = pending.pop()
        roots[str(section.get("id"))] = root
        pending += [(c, root) for c in section.get("children") or [] if isinstance(c, dict)]
    used: dict[str, int] = {}
    slugs: dict[int, str | None] = {}
    readings: list[dict[str, Any]] = []
    reading_of: dict[Key, str | None] = {}
    now = iso(utcnow())
    for key, element in elements.items():
        root = roots.get(str(element["section"])) or {}
        marker = id(root) if root else 0
        if marker not in slugs:
            data = root.get("data")
            title = str(root.get("title") or default)[:300]
            named = data.get("reading", "") if isinstance(data, dict) else ""
            if named is None:
                slugs[marker] = None
            else:
                slug = _slug(named if isinstance(named, str) and named else title, used)
                slugs[marker] = slug
                readings.append(
                    {
                        "slug": slug,
                        "title": title,
                        "author": "",
                        "url": "",
                        "created_by": f"argdown:{importer}",
                        "created_at": now,
                    }
                )
        reading_of[key] = slugs[marker]
    return readings, reading_of
