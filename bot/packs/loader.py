"""Reading packs: a reading and its discussion as a YAML file.

A pack is validated completely before anything is written, so a bad pack
changes nothing and the error names the statement and field at fault. The
format is documented in docs/reading-packs.md; `demo.yaml` is the example.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.domain import (
    ALLOWED_TARGETS,
    KINDS,
    NAME_MAX,
    POSITIONS,
    STATUSES,
    TITLE_MAX,
    URL_MAX,
    derive_title,
    either,
    plural,
    validate_slug,
    validate_text,
)
from bot.errors import UserError

DEMO_PACK = Path(__file__).with_name("demo.yaml")
PACK_FORMAT = 1

#: libyaml's loader is several times faster than the pure-Python one on big packs;
#: both build the same plain data (no tags beyond YAML's own), so fall back freely.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PackError(UserError):
    """The pack file is not valid; the message says where."""


@dataclass(frozen=True)
class PackSteelman:
    """A steelman in a pack."""

    text: str
    author: str
    endorsed: bool = False


@dataclass(frozen=True)
class PackStance:
    """A member's stance in a pack."""

    member: str
    position: str
    credence: int | None = None


@dataclass(frozen=True)
class PackStatement:
    """A statement in a pack, with its steelmen and stances."""

    slug: str
    kind: str
    title: str
    text: str
    author: str
    status: str = "open"
    target: str | None = None
    aliases: tuple[str, ...] = ()
    quote: str = ""
    source_url: str = ""
    source_page: str = ""
    steelmen: tuple[PackSteelman, ...] = ()
    stances: tuple[PackStance, ...] = ()


@dataclass(frozen=True)
class PackReading:
    """The reading a pack is about."""

    slug: str
    title: str
    author: str = ""
    url: str = ""


@dataclass(frozen=True)
class Pack:
    """A validated reading pack."""

    reading: PackReading
    statements: tuple[PackStatement, ...] = field(default=())

    def all_slugs(self) -> list[str]:
        """Every nickname the pack would take, aliases included."""
        return [s for st in self.statements for s in (st.slug, *st.aliases)]


def load_pack(path: Path) -> Pack:
    """Read and validate a pack file.

    This is CPU-bound work of up to seconds on a big pack: from a running bot
    call it off the event loop (`asyncio.to_thread`).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"Cannot read the pack {path.name}: {exc}") from exc
    return parse_pack_text(text, path.name)


def parse_pack_text(text: str, name: str = "the pack") -> Pack:
    """Parse and validate a pack's YAML text (CPU-bound: see `load_pack`)."""
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise PackError(f"{name} is not valid YAML: {exc}") from exc
    return parse_pack(data)


def parse_pack(data: Any) -> Pack:
    """Validate a pack's parsed YAML."""
    if not isinstance(data, dict):
        raise PackError("A pack is a mapping with `pack`, `reading` and `statements`.")
    version = data.get("pack")
    if type(version) is not int or version != PACK_FORMAT:
        raise PackError(f"Unsupported pack format {data.get('pack')!r}; expected `pack: 1`.")
    raw_reading = _mapping(data.get("reading"), "reading")
    reading = PackReading(
        slug=_slug(_str(raw_reading, "slug", "reading", required=True), "reading", "slug"),
        title=_str(raw_reading, "title", "reading", required=True, limit=300),
        author=_str(raw_reading, "author", "reading", limit=NAME_MAX),
        url=_str(raw_reading, "url", "reading", limit=URL_MAX),
    )
    raw_statements = data.get("statements") or []
    if not isinstance(raw_statements, list):
        raise PackError("`statements` must be a list.")
    statements: list[PackStatement] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(raw_statements, start=1):
        statement = _statement(_mapping(raw, f"statement #{index}"), index, seen)
        statements.append(statement)
    return Pack(reading=reading, statements=tuple(statements))


def _statement(raw: dict[str, Any], index: int, seen: dict[str, str]) -> PackStatement:
    where = f"statement #{index}"
    slug = _slug(_str(raw, "slug", where, required=True), where, "slug")
    where = f"statement `{slug}`"
    kind = _str(raw, "kind", where, required=True)
    if kind not in KINDS:
        raise PackError(f"{where}: kind must be one of {', '.join(KINDS)}.")
    status = _str(raw, "status", where) or "open"
    if status not in STATUSES or status == "duplicate":
        raise PackError(f"{where}: status must be open, answered, conceded, withdrawn or parked.")
    target = raw.get("target")
    if ALLOWED_TARGETS[kind]:
        if not target:
            raise PackError(f"{where}: {plural(kind)} need a `target`.")
        target = _slug(str(target), where, "target")
        if target not in seen:
            raise PackError(f"{where}: target `{target}` must appear earlier in the pack.")
        if seen[target] not in ALLOWED_TARGETS[kind]:
            raise PackError(
                f"{where}: {plural(kind)} answer {either(ALLOWED_TARGETS[kind])}, "
                f"not the {seen[target]} `{target}`."
            )
    elif target:
        raise PackError(f"{where}: claims have no target.")
    aliases = tuple(_slug(str(a), where, "alias") for a in _list(raw, "aliases", where))
    for name in (slug, *aliases):
        if name in seen:
            raise PackError(f"{where}: the nickname `{name}` is used twice.")
        seen[name] = kind
    text = _str(raw, "text", where, required=True, limit=4000)
    source = _mapping(raw.get("source") or {}, f"{where}: `source` (with `url` and `page`)")
    stances = tuple(
        _stance(_mapping(item, f"{where} stance"), where) for item in _list(raw, "stances", where)
    )
    counts = Counter(stance.member for stance in stances)
    repeated = sorted(member for member, count in counts.items() if count > 1)
    if repeated:
        raise PackError(f"{where}: {repeated[0]} has more than one stance; keep one.")
    return PackStatement(
        slug=slug,
        kind=kind,
        title=_str(raw, "title", where, limit=TITLE_MAX) or derive_title(text),
        text=text,
        author=_str(raw, "author", where, required=True, limit=NAME_MAX),
        status=status,
        target=target,
        aliases=aliases,
        quote=_str(raw, "quote", where, limit=4000),
        source_url=_str(source, "url", f"{where} source", limit=URL_MAX),
        source_page=_str(source, "page", f"{where} source", limit=40),
        steelmen=tuple(
            PackSteelman(
                text=_str(s, "text", f"{where} steelman", required=True, limit=4000),
                author=_str(s, "author", f"{where} steelman", required=True, limit=NAME_MAX),
                endorsed=bool(s.get("endorsed", False)),
            )
            for s in (_mapping(item, f"{where} steelman") for item in raw.get("steelmen") or [])
        ),
        stances=stances,
    )


def _stance(raw: dict[str, Any], where: str) -> PackStance:
    position = _str(raw, "position", f"{where} stance", required=True)
    if position not in POSITIONS:
        raise PackError(f"{where} stance: position must be agree, disagree or unsure.")
    credence = raw.get("credence")
    if credence is not None and (type(credence) is not int or not 0 <= credence <= 100):
        raise PackError(f"{where} stance: credence must be a whole number from 0 to 100.")
    return PackStance(
        _str(raw, "member", f"{where} stance", required=True, limit=NAME_MAX), position, credence
    )


def _slug(raw: str, where: str, what: str) -> str:
    try:
        return validate_slug(raw, what)
    except UserError as exc:
        raise PackError(f"{where}: {exc.message}") from exc


def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PackError(f"{where}: `{key}` must be a list, e.g. [{key[:-1]}-one, {key[:-1]}-two].")
    return value


def _bool(raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise PackError(f"{where}: `{key}` must be true or false.")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PackError(f"{where} must be a mapping of fields.")
    return value


def _str(
    raw: dict[str, Any], key: str, where: str, *, required: bool = False, limit: int = 200
) -> str:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise PackError(f"{where}: `{key}` is missing.")
        return ""
    if isinstance(value, dict | list | bool):
        raise PackError(f"{where}: `{key}` must be text.")
    text = str(value).strip()
    try:
        validate_text(text, f"`{key}`", limit)
    except UserError as exc:
        raise PackError(f"{where}: {exc.message}") from exc
    return text
