"""Who the console acts as: the person at the keyboard, or a member they speak for.

A facilitator logs what members say aloud, and a test plays a meeting of
several people, from one console: `cruxbot console --as NAME` starts as NAME,
and the console-only `/as NAME` switches (`/as` alone switches back). The
person at the keyboard moderates their own map; a member acted for has a
member's rights, so what they may do is what they could do in chat.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace

from bot.context import Caller
from bot.domain import printable
from bot.render.reply import Reply
from bot.services.credit import CONSOLE_NAME_MAX, console_member_id

#: A name to act as: longer names are refused rather than cut, so no two collide.
NAME_MAX = CONSOLE_NAME_MAX
#: The console's own lines, added to /help there (chat platforms have no such command).
CONSOLE_HELP = (
    "In the console: /as NAME acts as another member (a facilitator logging for several "
    "people; `cruxbot console --as NAME` starts so), /as alone returns to you; "
    "Tab completes commands, options and nicknames; Ctrl-D or /quit leaves."
)


def own_caller() -> Caller:
    """The local user: a moderator of their own map."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "you"
    return Caller(
        platform="console",
        workspace_id="local",
        workspace_name="Console",
        user_id=f"console:{user}",
        user_name=user,
        channel_id="console",
        is_moderator=True,
    )


def member_caller(me: Caller, name: str) -> Caller:
    """`name` as a member of the console's workspace; the local user when it is their name.

    The member id is made from the name, so acting as "Ann" twice, in one run
    or the next, is the same member, whose stances and statements are hers.
    """
    if name.casefold() == me.user_name.casefold():
        return me
    return replace(me, user_id=console_member_id(name), user_name=name, is_moderator=False)


@dataclass
class Acting:
    """Who the console acts as now, and the person at the keyboard."""

    me: Caller
    caller: Caller

    def switch(self, name: str) -> Reply:
        """Act as `name` (the local user when it is empty); refuse a name no member has."""
        name = " ".join(name.split())
        if not name:
            self.caller = self.me
            return Reply(body=f"Acting as yourself, **{self.me.user_name}**, again.")
        if len(name) > NAME_MAX or any(not ch.isprintable() for ch in name):
            return Reply(
                body=f"`{printable(name)}` cannot be a member's name: use up to "
                f"{NAME_MAX} printable characters, like `/as Ann`.",
                error=True,
            )
        self.caller = member_caller(self.me, name)
        if self.caller is self.me:
            return Reply(body=f"Acting as yourself, **{self.me.user_name}**.")
        return Reply(
            body=f"Acting as **{name}**: what you type now is theirs, with a member's "
            "rights. `/as` alone returns to you."
        )
