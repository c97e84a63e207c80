"""Members' stances: agree, disagree or unsure, with an optional credence."""

from __future__ import annotations

from bot.domain import POSITIONS
from bot.errors import UserError
from bot.render.reply import Reply
from bot.render.statements import stance_summary
from bot.services.common import find_statement
from bot.services.registry import handles
from bot.storage.models import Stance, utcnow
from bot.storage.revisions import snapshot
from bot.storage.unit_of_work import UnitOfWork


@handles(*POSITIONS, name_as="position")
async def take_stance(
    uow: UnitOfWork, slug: str, position: str, credence: int | None = None
) -> Reply:
    """`/agree`, `/disagree`, `/unsure`: the caller's stance replaces their previous one."""
    statement = await find_statement(uow, slug)
    check_credence(statement.slug, position, credence)
    stance = await uow.stances.of_member(statement.id, uow.author_id)
    summary = f"{position} on {statement.slug}"
    if stance is None:
        stance = Stance(
            workspace_id=uow.workspace_id,
            statement_id=statement.id,
            member_id=uow.author_id,
            member_name=uow.author_name,
            position=position,
            credence=credence,
        )
        await uow.add(stance, summary, statement.id)
    elif stance.position == position and stance.credence == credence:
        return Reply.done(
            f"You already {_verb(position, you=True)} `{statement.slug}`.", ephemeral=True
        )
    else:
        before = snapshot(stance)
        stance.position, stance.credence = position, credence
        stance.member_name, stance.updated_at = uow.author_name, utcnow()
        await uow.record(stance, before, summary, statement_id=statement.id)
    with_credence = f" (credence {credence}%)" if credence is not None else ""
    everyone = stance_summary(await uow.stances.on(statement.id))
    return Reply.done(
        f"{uow.author_name} {_verb(position)} `{statement.slug}`{with_credence}.",
        footer=f"Stances: {everyone}",
    )


def check_credence(slug: str, position: str, credence: int | None) -> None:
    """Refuse a credence that contradicts the stance it comes with.

    A credence is the probability, in percent, that the statement is true: so
    agreeing means more than 50, disagreeing less than 50 (unsure takes any).
    Otherwise the group's mean credence would mix two meanings.
    """
    if credence is None:
        return
    if position == "agree" and credence <= 50:
        raise UserError(
            f"A credence of {credence}% says `{slug}` is more likely false than true "
            f"(or even odds): that is not agreeing.",
            hint=f"Credence is how likely you think it is true: /agree {slug} 80, "
            f"or /disagree {slug} {credence} (/unsure {slug} 50 for even odds).",
        )
    if position == "disagree" and credence >= 50:
        raise UserError(
            f"A credence of {credence}% says `{slug}` is more likely true than false "
            f"(or even odds): that is not disagreeing.",
            hint=f"Credence is how likely you think it is true: /disagree {slug} 20, "
            f"or /agree {slug} {credence} (/unsure {slug} 50 for even odds).",
        )


def _verb(position: str, you: bool = False) -> str:
    if position == "unsure":
        return "are unsure about" if you else "is unsure about"
    return f"{position} with" if you else f"{position}s with"
