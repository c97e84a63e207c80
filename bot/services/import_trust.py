"""What an imported file may say about platform ids: only what this workspace has seen.

A file is written by whoever holds it, and may come from another workspace
(or be edited by hand). Its platform ids would otherwise let it post into
another workspace's channels (a meeting the sweeper closes and whose minutes it
posts), make a real member the author of rows they never wrote (and so able
to edit them, or answerable for them), or link to another workspace's
messages. So, before anything is written, the file is rewritten here:

- Member ids (statements' and steelmen's `author_id`, statements'
  `source_member_id` (whose message they quote), stances' and cruxes'
  `member_id`, meetings' `started_by_id`, readings' `created_by`) are kept
  when this workspace has seen that member change something here through a
  command (the revision log says so), or when it is the importer. Any other
  becomes `imported:<id>`: no platform id starts so, so no member can act as
  its author; the name beside it is kept. Ids already in a namespace
  (`imported:`, `kialo:`, `pack:`) are kept as they are.
- Channel ids (meetings' `channel`, the `channels` section) are kept when
  this workspace has a row for that channel (made when a command ran there)
  or it is the channel the import runs in. Otherwise a meeting keeps no
  channel and the channel's current reading is left out.
- A meeting still open in the file is imported closed (at the time of the
  import), so the sweeper never finds it.
- Message links (`origin_url`) are kept only when they are links to a message
  in a seen channel of this very workspace (a Discord link naming this
  server, a Slack permalink naming a seen channel); any other is emptied.

So an export imported into a workspace that has seen all its ids comes back
identical; imported anywhere else, exactly the fields above change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.events import SWEEPER_ID
from bot.storage.snapshot_rows import MapSnapshot, MeetingRow, StatementRow
from bot.storage.unit_of_work import UnitOfWork

#: Where member ids this workspace has not seen are put.
IMPORTED = "imported:"
#: Ids that are no platform's: kept as they are.
NAMESPACES = (IMPORTED, "kialo:", "pack:")
#: Member id columns hold 64 characters; longer ids are named by a hash.
ID_MAX = 64

#: Which field of each section holds a member id.
MEMBER_FIELDS = {
    "readings": "created_by",
    "statements": "author_id",
    "steelmen": "author_id",
    "stances": "member_id",
    "cruxes": "member_id",
    "meetings": "started_by_id",
    "actions": "member_id",
}

_DISCORD_LINK = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(\d+)/(\d+)/\d+$"
)
_SLACK_LINK = re.compile(r"^https://[a-z0-9.-]+\.slack\.com/archives/([A-Z0-9]+)/p\d+(?:\?.*)?$")


@dataclass(frozen=True)
class Seen:
    """The platform ids the importing workspace owns."""

    platform: str
    workspace: str
    members: frozenset[str]
    channels: frozenset[str]


@dataclass
class Localised:
    """What the rewrite changed, for the import's reply."""

    members: set[str] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)
    links: int = 0
    closed: int = 0

    def sentences(self) -> list[str]:
        """One sentence per kind of change, for the moderator who imported."""
        said = []
        if self.members:
            n = len(self.members)
            said.append(
                f"{_count(n, 'member id')} this workspace has not seen {_be(n)} kept as "
                f"`{IMPORTED}…` with the name beside it, so nobody here is made its author."
            )
        if self.channels:
            n = len(self.channels)
            said.append(f"{_count(n, 'channel')} this workspace has not seen {_were(n)} left out.")
        if self.links:
            n = self.links
            said.append(f"{_count(n, 'message link')} to elsewhere {_were(n)} left out.")
        if self.closed:
            n = self.closed
            said.append(f"{_count(n, 'meeting')} still open {_were(n)} imported closed.")
        return said


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _be(n: int) -> str:
    return "is" if n == 1 else "are"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _member_ids(snapshot: MapSnapshot) -> Iterator[str]:
    for section, key in MEMBER_FIELDS.items():
        for item in getattr(snapshot, section):
            if value := getattr(item, key):
                yield value
    for statement in snapshot.statements:
        if statement.source_member_id:
            yield statement.source_member_id


async def seen_here(uow: UnitOfWork, snapshot: MapSnapshot) -> Seen:
    """The member and channel ids of `snapshot` that the caller's workspace owns."""
    members = await uow.members.seen(_member_ids(snapshot))
    members.add(uow.caller.user_id)
    members.discard(SWEEPER_ID)
    channels = await uow.channels.seen()
    channels.add(uow.caller.channel_id)
    channels.discard("")
    return Seen(
        uow.caller.platform, uow.caller.workspace_id, frozenset(members), frozenset(channels)
    )


def namespaced(member_id: str) -> str:
    """`imported:<id>`, within the column's length."""
    name = IMPORTED + member_id
    if len(name) <= ID_MAX:
        return name
    return IMPORTED + hashlib.sha256(member_id.encode()).hexdigest()[: ID_MAX - len(IMPORTED)]


def _member(member_id: str, seen: Seen, report: Localised) -> str:
    if not member_id or member_id.startswith(NAMESPACES) or member_id in seen.members:
        return member_id
    report.members.add(member_id)
    return namespaced(member_id)


def links_here(url: str, seen: Seen) -> bool:
    """Whether a message link points into a seen channel of this very workspace."""
    if seen.platform == "discord" and (match := _DISCORD_LINK.match(url)):
        return match.group(1) == seen.workspace and match.group(2) in seen.channels
    if seen.platform == "slack" and (match := _SLACK_LINK.match(url)):
        return match.group(1) in seen.channels
    return False


def localise(snapshot: MapSnapshot, seen: Seen, now: datetime) -> tuple[MapSnapshot, Localised]:
    """A copy of `snapshot` carrying only platform ids `seen` owns; see the module docstring."""
    report = Localised()
    out = MapSnapshot()
    for section, key in MEMBER_FIELDS.items():
        rows: list[Any] = [
            replace(item, **{key: _member(getattr(item, key), seen, report)})
            for item in getattr(snapshot, section)
        ]
        setattr(out, section, rows)
    out.statements = [_statement(item, seen, report) for item in out.statements]
    out.meetings = [_meeting(item, seen, report, now) for item in out.meetings]
    for item in snapshot.channels:
        if item.channel in seen.channels:
            out.channels.append(item)
        elif item.channel:
            report.channels.add(item.channel)
    return out, report


def _statement(item: StatementRow, seen: Seen, report: Localised) -> StatementRow:
    """Whose message the text quotes, and the link to it, as this workspace may keep them."""
    quoted = _member(item.source_member_id, seen, report)
    url = item.origin_url
    if url and not links_here(url, seen):
        url = ""
        report.links += 1
    return replace(item, source_member_id=quoted, origin_url=url)


def _meeting(item: MeetingRow, seen: Seen, report: Localised, now: datetime) -> MeetingRow:
    """The meeting without a channel this workspace has not seen, and closed."""
    if item.channel and item.channel not in seen.channels:
        report.channels.add(item.channel)
        item = replace(item, channel="")
    if item.ended_at is None:
        item = replace(item, ended_at=now, closed_automatically=True)
        report.closed += 1
    return item
