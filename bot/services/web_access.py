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
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.render.reply import Link
from bot.storage.models import WebLink
from bot.storage.web_queries import WebLinkRepository, link_by_hash

#: Random bits in a workspace's nonce (the token itself is a 256-bit HMAC of it).
NONCE_BYTES = 16
LINK_LABEL = "Open on the web"


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

    async def ensure_token(self, links: WebLinkRepository) -> str:
        """The workspace's current token, making its nonce on first use (caller commits).

        A row made under another secret (WEB_SECRET changed) is re-hashed, so
        the links this process gives out work.
        """
        row = await links.current()
        if row is None:
            nonce = secrets.token_hex(NONCE_BYTES)
            row = WebLink(
                workspace_id=links.workspace_id,
                nonce=nonce,
                token_hash=token_hash(self.token(nonce)),
            )
            await links.save(row)
        token = self.token(row.nonce)
        if row.token_hash != token_hash(token):
            row.token_hash = token_hash(token)
            await links.save(row)
        return token

    async def revoke(self, links: WebLinkRepository) -> None:
        """Draw a new nonce: every link of the workspace given out so far stops working."""
        row = await links.current()
        if row is None:
            return
        row.nonce = secrets.token_hex(NONCE_BYTES)
        row.token_hash = token_hash(self.token(row.nonce))
        await links.save(row)

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
                    token = await self.ensure_token(WebLinkRepository(session, workspace_id))
                return Link(LINK_LABEL, self.url(token, path))
            except IntegrityError:
                continue
        return None
