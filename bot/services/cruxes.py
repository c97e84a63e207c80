"""Cruxes, double cruxes and what the group disagrees about most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import reason_text, starts_with_because, validate_text
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.common import PAGE_SIZE, find_statement, page_footer, page_offset
from bot.services.registry import handles
from bot.services.statements import log_statement
from bot.storage.models import Crux, Stance, Statement
from bot.storage.revisions import snapshot
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DoubleCrux:
    """Two members on opposite sides of `statement_id` who hinge on the same belief."""

    statement_id: int
    belief_id: int
    agreeing: str
    disagreeing: str


def double_cruxes(cruxes: Sequence[Crux], stances: Sequence[Stance]) -> list[DoubleCrux]:
    """The double cruxes among one statement's cruxes, given its stances."""
    position = {s.member_id: s.position for s in stances}
    found: list[DoubleCrux] = []
    by_belief: dict[int, list[Crux]] = {}
    for crux in cruxes:
        by_belief.setdefault(crux.belief_id, []).append(crux)
    for belief_id, named in by_belief.items():
        agree = [c for c in named if position.get(c.member_id) == "agree"]
        disagree = [c for c in named if position.get(c.member_id) == "disagree"]
        if agree and disagree:
            found.append(
                DoubleCrux(
                    named[0].statement_id, belief_id, agree[0].member_name, disagree[0].member_name
                )
            )
    return found


def because(reason: str) -> str:
    """A crux's reason as shown after it: " because …" ("" for none)."""
    return f" because {reason}" if reason else ""


@handles("crux")
async def add_crux(uow: UnitOfWork, slug: str, belief: str, text: str | None = None) -> Reply:
    """Record "if `belief` were false, I would change my mind on `slug`", and why.

    Text starting with "because" is the reason. Other text logs the belief as a
    new claim, unless a statement has that nickname already: then the text is
    the reason, rather than a refusal over a taken nickname.
    """
    statement = await find_statement(uow, slug)
    reason, note = await _reason_or_new_belief(uow, belief, text)
    basis = await find_statement(uow, belief)
    if basis.id == statement.id:
        raise UserError("A statement cannot be its own crux: name the belief it rests on.")
    existing = [
        c
        for c in await uow.stances.cruxes(statement_id=statement.id)
        if c.belief_id == basis.id and c.member_id == uow.author_id
    ]
    if existing and (not reason or existing[0].reason == reason):
        return Reply.done(
            f"{uow.author_name} already named `{basis.slug}` as a crux for `{statement.slug}`.",
            ephemeral=True,
        )
    summary = f"crux for {statement.slug}: {basis.slug}"
    if existing:
        before = snapshot(existing[0])
        existing[0].reason = reason
        await uow.record(existing[0], before, f"{summary}, new reason", statement_id=statement.id)
    else:
        crux = Crux(
            workspace_id=uow.workspace_id,
            statement_id=statement.id,
            belief_id=basis.id,
            member_id=uow.author_id,
            member_name=uow.author_name,
            meeting_id=await uow.current_meeting(),
            reason=reason,
        )
        await uow.add(crux, summary, statement.id)
    message = (
        f"Noted: if `{basis.slug}` were false, {uow.author_name} would change "
        f"their mind on `{statement.slug}`{because(reason)}.{note}"
    )
    return await _noted(uow, statement, basis, message)


async def _reason_or_new_belief(uow: UnitOfWork, belief: str, text: str | None) -> tuple[str, str]:
    """(reason, note) from /crux's text: a reason, or a new claim logged as the belief."""
    if text is not None and starts_with_because(text):
        return reason_text(text), ""
    if text is not None and await uow.statements.by_slug(belief) is not None:
        note = f" `{belief}` exists already, so your text is kept as the reason."
        return validate_text(text.strip(), "reason"), note
    if text is not None:
        await log_statement(uow, "claim", belief, text)
    return "", ""


async def _noted(uow: UnitOfWork, statement: Statement, basis: Statement, message: str) -> Reply:
    """The answer to a new crux: a double crux if it makes one, else a nudge to take a stance."""
    doubles = [
        d
        for d in double_cruxes(
            await uow.stances.cruxes(statement_id=statement.id), await uow.stances.on(statement.id)
        )
        if d.belief_id == basis.id
    ]
    if doubles:
        double = doubles[0]
        return Reply(
            title=f"Double crux on `{statement.slug}`!",
            body=f"{double.agreeing} (agrees) and {double.disagreeing} (disagrees) both say "
            f"`{basis.slug}` would change their mind. Discuss `{basis.slug}` first: it is "
            "where the disagreement really lives.",
            footer=message,
            accent="success",
        )
    stance = await uow.stances.of_member(statement.id, uow.author_id)
    hint = (
        ""
        if stance
        else f" Take a stance on `{statement.slug}` too (/agree, /disagree), so "
        "a double crux can be found."
    )
    return Reply.done(message + hint)


@handles("cruxes")
async def list_cruxes(uow: UnitOfWork, slug: str | None = None) -> Reply:
    """Cruxes on one statement, or all of them, double cruxes marked."""
    statement_id = None
    title = "Cruxes"
    if slug:
        statement = await find_statement(uow, slug)
        statement_id, title = statement.id, f"Cruxes of `{statement.slug}`"
    cruxes = await uow.stances.cruxes(statement_id=statement_id)
    if not cruxes:
        return Reply(
            title=title,
            body="No cruxes yet.",
            footer="/crux <statement> <belief> names one.",
            ephemeral=True,
        )
    names: dict[int, str] = {}
    lines = []
    doubles: set[tuple[int, int]] = set()
    for sid in {c.statement_id for c in cruxes}:
        found = double_cruxes(
            [c for c in cruxes if c.statement_id == sid], await uow.stances.on(sid)
        )
        doubles |= {(d.statement_id, d.belief_id) for d in found}
    for crux in cruxes[:50]:
        for sid in (crux.statement_id, crux.belief_id):
            if sid not in names:
                row = await uow.statements.by_id(sid)
                names[sid] = row.slug if row else "?"
        marker = " (double crux)" if (crux.statement_id, crux.belief_id) in doubles else ""
        lines.append(
            f"`{names[crux.statement_id]}` hinges on `{names[crux.belief_id]}` "
            f"for {crux.member_name}{because(crux.reason)}{marker}"
        )
    return Reply(title=title, body="\n".join(lines))


@handles("contested")
async def contested(uow: UnitOfWork, reading: str | None = None, page: int = 1) -> Reply:
    """Statements whose stances are most evenly split, most discussed first."""
    reading_id = None
    if reading:
        found = await uow.readings.by_slug(reading)
        if found is None:
            raise UserError(f"There is no reading `{reading}`.", hint="/reading lists them.")
        reading_id = found.id
    counts = [row for row in await uow.stances.counts(reading_id) if row[1] + row[2] > 0]
    counts.sort(key=lambda r: (-_balance(r[1], r[2]), -(r[1] + r[2] + r[3]), r[0]))
    page_rows = counts[page_offset(page) : page_offset(page) + PAGE_SIZE]
    lines = []
    for statement_id, agree, disagree, unsure in page_rows:
        row = await uow.statements.by_id(statement_id)
        if row is None:
            continue
        lines.append(
            f"`{row.slug}` — {row.title}\n    agree {agree} · disagree {disagree} · unsure {unsure}"
        )
    footer = page_footer(page, len(counts), "/contested" + (f" {reading}" if reading else ""))
    if not lines:
        return Reply(
            title="Contested statements",
            body="No stances yet: /agree or /disagree with statements, then ask again.",
            footer=footer,
            ephemeral=True,
        )
    return Reply(title="Contested statements", body="\n".join(lines), footer=footer)


def _balance(agree: int, disagree: int) -> float:
    """1.0 for an even split, 0.0 when everyone is on one side."""
    return min(agree, disagree) / max(agree, disagree) if max(agree, disagree) else 0.0
