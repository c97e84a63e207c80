"""What changed during a meeting, read back from its revisions.

Every change is recorded with its before and after (see `bot.storage.revisions`),
so the minutes can say who moved from agree to disagree, what was merged or
renamed, which steelmen were endorsed and why a status changed, without any
bookkeeping of their own. Revisions undone since are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.storage.models import Revision

_MERGED = re.compile(r"^merged (\S+) into (\S+)")
_RENAMED = re.compile(r"^renamed (\S+) → (\S+)")
_ENDORSED = re.compile(r"^endorsed steelman #(\d+) of (\S+)")
_BECAUSE = re.compile(r" because (.+)$")


@dataclass(frozen=True)
class StanceMove:
    """One member's stance on one statement, from before the meeting's first change to now."""

    member: str
    slug: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any]

    @property
    def changed_mind(self) -> bool:
        """A different side than before (a new stance, or a new credence, is not)."""
        return self.before is not None and self.before.get("position") != self.after["position"]

    def line(self) -> str:
        """`Bea: agree 80 → disagree 30 on `lag``, or `Bea: disagree 30 on `lag` (new)`."""
        after = position_text(self.after)
        if self.before is None:
            return f"- {self.member}: {after} on `{self.slug}` (new)"
        return f"- {self.member}: {position_text(self.before)} → {after} on `{self.slug}`"


def position_text(stance: Mapping[str, Any]) -> str:
    """`agree 80` (credence in percent), or `agree` when no credence was given."""
    credence = stance.get("credence")
    return f"{stance.get('position')}" + (f" {credence}" if credence is not None else "")


def stance_moves(revisions: Sequence[Revision], slugs: Mapping[int, str]) -> list[StanceMove]:
    """Each stance taken or changed during the meeting, first state to last.

    A merge moves stances between statements; that is nobody's change of mind,
    so those revisions are left out, as are stances removed.
    """
    first: dict[int, Revision] = {}
    last: dict[int, Revision] = {}
    for revision in revisions:
        if revision.entity_type != "stance" or revision.summary.startswith("merged "):
            continue
        if revision.after is None:
            continue
        first.setdefault(revision.entity_id, revision)
        last[revision.entity_id] = revision
    moves = []
    for entity_id, opening in first.items():
        closing = last[entity_id]
        after = closing.after or {}
        if opening.before is not None and position_text(opening.before) == position_text(after):
            continue  # moved and moved back: nothing to report
        moves.append(
            StanceMove(
                member=str(after.get("member_name", "?")),
                slug=slugs.get(closing.statement_id or 0, "?"),
                before=opening.before,
                after=after,
            )
        )
    return moves


def changed_minds(moves: Sequence[StanceMove]) -> str:
    """The one-line summary at the top of the minutes ("" when nobody changed sides)."""
    changed = [m for m in moves if m.changed_mind]
    if not changed:
        return ""
    parts = [
        f"{m.member} on `{m.slug}` ({m.before.get('position') if m.before else '?'} → "
        f"{m.after['position']})"
        for m in changed
    ]
    return "**Changed minds:** " + "; ".join(parts)


def _per_change(
    revisions: Sequence[Revision], pattern: re.Pattern[str]
) -> list[tuple[Revision, re.Match[str]]]:
    """The first revision of each change whose summary matches, with the match."""
    seen: set[str] = set()
    found = []
    for revision in revisions:
        match = pattern.match(revision.summary)
        if match and revision.change_id not in seen:
            seen.add(revision.change_id)
            found.append((revision, match))
    return found


def merges_and_renames(revisions: Sequence[Revision]) -> list[str]:
    """`a` merged into `b`, `a` renamed `b`, each with who did it."""
    lines = [
        f"- `{m.group(1)}` merged into `{m.group(2)}` ({r.actor_name})"
        for r, m in _per_change(revisions, _MERGED)
    ]
    lines += [
        f"- `{m.group(1)}` renamed `{m.group(2)}` ({r.actor_name})"
        for r, m in _per_change(revisions, _RENAMED)
    ]
    return lines


def endorsements(revisions: Sequence[Revision]) -> list[str]:
    """Authors who said a steelman states their view: an ideological Turing test passed."""
    return [
        f"- {r.actor_name} endorsed steelman #{m.group(1)} of `{m.group(2)}`"
        for r, m in _per_change(revisions, _ENDORSED)
    ]


def status_changes(revisions: Sequence[Revision]) -> list[str]:
    """`slug`: open → answered (who), because the reason they gave."""
    changes = []
    for revision in revisions:
        before: Mapping[str, Any] = revision.before or {}
        after: Mapping[str, Any] = revision.after or {}
        if (
            revision.entity_type != "statement"
            or not before
            or not after
            or before.get("status") == after.get("status")
            or revision.summary.startswith("merged ")
        ):
            continue
        reason = _BECAUSE.search(revision.summary)
        why = f" because {reason.group(1)}" if reason else ""
        changes.append(
            f"- `{after.get('slug')}`: {before.get('status')} → "
            f"{after.get('status')} ({revision.actor_name}){why}"
        )
    return changes
