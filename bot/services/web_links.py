"""Read-only web links: one unguessable token per workspace, revocable at once.

A token is HMAC-SHA256(web secret, the workspace's nonce), 256 bits: the
secret (WEB_SECRET) is the deployment's and never in the database, the nonce
is 128 random bits drawn with `secrets` per workspace. The database keeps the
nonce and the token's SHA-256 only, so a copy of the database opens no page,
while any process holding the secret can put the link on a reply without a
write. `/web revoke` draws a new nonce: every link given out before is dead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import UserError
from bot.render.reply import Link, Reply
from bot.storage.models import WebLink
from bot.storage.unit_of_work import UnitOfWork
from bot.storage.web_queries import link_by_hash, link_of

#: Random bits in a workspace's nonce (the token itself is a 256-bit HMAC of it).
NONCE_BYTES = 16
LINK_LABEL = "Open on the web"
NOT_SET_UP = "The web view is not set up here: the host sets PUBLIC_URL (see docs/self-hosting.md)."


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class WebAccess:
    """The deployment's web secret and where its pages are reachable.

    Attributes:
        secret: the key tokens are derived with (WEB_SECRET, or random for one process).
        base_url: the pages' public address ("" when there is none: no links).
    """

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    base_url: str = ""

    def token(self, nonce: str) -> str:
        """The token of a workspace whose nonce is this."""
        mac = hmac.new(self.secret, nonce.encode(), hashlib.sha256).digest()
        return urlsafe_b64encode(mac).rstrip(b"=").decode()

    def url(self, token: str, path: str = "") -> str:
        """The address of a page under the workspace's token."""
        return f"{self.base_url.rstrip('/')}/w/{token}/{path}"

    async def ensure_token(self, session: AsyncSession, workspace_id: int) -> str:
        """The workspace's current token, making its nonce on first use (caller commits).

        A row made under another secret (WEB_SECRET changed) is re-hashed, so
        the links this process gives out work.
        """
        row = await link_of(session, workspace_id)
        if row is None:
            nonce = secrets.token_hex(NONCE_BYTES)
            row = WebLink(
                workspace_id=workspace_id, nonce=nonce, token_hash=token_hash(self.token(nonce))
            )
            session.add(row)
            await session.flush()
        token = self.token(row.nonce)
        if row.token_hash != token_hash(token):
            row.token_hash = token_hash(token)
            await session.flush()
        return token

    async def revoke(self, session: AsyncSession, workspace_id: int) -> None:
        """Draw a new nonce: every link of the workspace given out so far stops working."""
        row = await link_of(session, workspace_id)
        if row is None:
            return
        row.nonce = secrets.token_hex(NONCE_BYTES)
        row.token_hash = token_hash(self.token(row.nonce))
        await session.flush()

    async def workspace_of(self, session: AsyncSession, token: str) -> int | None:
        """The workspace a token opens, or None (unknown, revoked or not ours)."""
        if not token or len(token) > 100:
            return None
        row = await link_by_hash(session, token_hash(token))
        if row is None or not hmac.compare_digest(self.token(row.nonce), token):
            return None
        return row.workspace_id

    async def link_for(
        self, sessions: async_sessionmaker[AsyncSession], workspace_id: int, path: str
    ) -> Link | None:
        """An "Open on the web" link to a page, or None when there is no public address.

        Runs in a transaction of its own: a read-only command may be the first
        to need the workspace's link, and two processes making it at once end
        with one row (the loser reads the winner's).
        """
        if not self.base_url:
            return None
        for _ in range(2):
            try:
                async with sessions() as session, session.begin():
                    token = await self.ensure_token(session, workspace_id)
                return Link(LINK_LABEL, self.url(token, path))
            except IntegrityError:
                continue
        return None


def web_path(command: str, args: Mapping[str, object]) -> str | None:
    """The page a command's reply is about, relative to the workspace's root (None: none)."""
    slug = args.get("slug")
    if command in ("objection", "claim", "reply", "support", "steelman") and slug:
        return f"s/{slug}"
    if command == "map":
        return f"go/{slug}" if slug else ""
    if command == "meeting" and args.get("action") in ("minutes", "end"):
        number = args.get("number")
        return f"m/{number}" if number else "m/latest"
    return None


async def attach_link(
    access: WebAccess,
    sessions: async_sessionmaker[AsyncSession],
    workspace_id: int,
    command: str,
    args: Mapping[str, object],
    reply: Reply,
) -> Reply:
    """The reply with an "Open on the web" link to its page, when there is one to give."""
    if not access.base_url or reply.error or reply.link is not None or reply.already_handled:
        return reply
    path = web_path(command, args)
    if path is None:
        return reply
    link = await access.link_for(sessions, workspace_id, path)
    return reply if link is None else replace(reply, link=link)


async def web_command(uow: UnitOfWork, access: WebAccess, reading: str | None) -> Reply:
    """`/web [reading]` answers with the link; `/web revoke` kills every link (moderators).

    Without a reading it links the channel's current one, else the workspace's only
    one, else the list of its readings.
    """
    if reading == "revoke":
        if not uow.caller.is_moderator:
            raise UserError("Only a moderator can revoke the web links.")
        await access.revoke(uow.session, uow.workspace_id)
        return Reply.done(
            "Every web link of this workspace stops working now. /web gives a new one.",
            ephemeral=True,
        )
    if not access.base_url:
        raise UserError(NOT_SET_UP)
    path = ""
    if reading is not None:
        found = await uow.repos.reading_by_slug(reading)
        if found is None:
            raise UserError(f"There is no reading `{reading}`.", hint="/reading lists them.")
        path = f"r/{found.slug}"
    elif uow.caller.channel_id:  # the channel's current reading, as /map draws it
        channel = await uow.repos.channel(uow.caller.channel_id)
        current = await uow.repos.reading_by_id(channel.current_reading_id)
        if current is not None:
            reading, path = current.slug, f"r/{current.slug}"
    if not path:  # a workspace of one reading (the demo's): that reading
        only = await uow.repos.readings(limit=2)
        if len(only) == 1:
            reading, path = only[0].slug, f"r/{only[0].slug}"
    url = access.url(await access.ensure_token(uow.session, uow.workspace_id), path)
    return Reply(
        title="The web view" + (f" of {reading}" if reading else ""),
        body="Read-only pages of this workspace's readings, for anyone with the link.",
        footer="A moderator's /web revoke makes every link given out so far stop working.",
        link=Link(LINK_LABEL, url),
    )
