"""`by:` credit: a facilitator logs what a member said aloud, in the member's name.

The statement, steelman, stance or crux is the member's (they may edit it, it
shows their name, /forget-me removes it with the rest of theirs); the history
records who typed it.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.storage.unit_of_work import UnitOfWork

#: The longest console member name that makes an id (longer ones are cut).
CONSOLE_NAME_MAX = 50
_NOT_NAME = re.compile(r"[^\w.-]+")


def console_member_id(name: str) -> str:
    """The id of the console member called `name`.

    In the console members are names: `by:Ann`, `/as ann` and `--as ANN` are the
    same member, in one run and the next, so the id is made from the name folded.
    """
    key = _NOT_NAME.sub("-", name.casefold()).strip("-")[:CONSOLE_NAME_MAX] or "member"
    return f"console:{key}"


async def credit(uow: UnitOfWork, value: str) -> None:
    """Make `value` (`<@id>` or a name, as the parser left it) the command's author."""
    member_id, name = await _member(uow, value)
    uow.credit(member_id, name)


async def _member(uow: UnitOfWork, value: str) -> tuple[str, str]:
    """(id, name) of the member `value` names.

    A mention is the platform's id; its name is the one the platform gave the
    adapter, else the last one seen here. A bare name is a member known here
    by that name; in the console, where members are names, a new one is
    welcome too.
    """
    if value.startswith("<@") and value.endswith(">"):
        member_id = value[2:-1]
        given = dict(uow.caller.member_names).get(member_id)
        return member_id, given or await uow.members.name_of(member_id) or member_id
    known = await uow.members.named(value)
    if known is not None:
        return known
    if uow.caller.platform == "console":
        return console_member_id(value), value
    raise UserError(
        f"Nobody called `{value}` has taken part here yet.",
        hint="Mention the member (by:@name) so the platform says who they are.",
    )
