"""Who is asking: Slack payloads as core Callers, with the moderator verdict.

Workspace admins and owners (users.info) are moderators, and so is anyone whose
user id is listed in SLACK_MODERATORS. Lookups are cached briefly per process:
the cache only saves calls, it decides nothing users.info would not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import Caller

log = logging.getLogger(__name__)

PLATFORM = "slack"
CACHE_SECONDS = 300.0
CACHE_SIZE = 5000


@dataclass(frozen=True)
class Member:
    """What the adapter needs to know about a Slack user."""

    name: str
    is_admin: bool


class MemberDirectory:
    """users.info with a short per-process cache, plus the configured moderators."""

    def __init__(self, moderators: Iterable[str] = (), ttl: float = CACHE_SECONDS) -> None:
        """Remember the user ids that count as moderators besides workspace admins."""
        self.moderators = frozenset(moderators)
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, Member]] = {}

    async def member(
        self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = ""
    ) -> Member:
        """The member's display name and admin flag (never raises)."""
        key = (team_id, user_id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        member = Member(fallback_name or user_id, False)
        try:
            response = await client.users_info(user=user_id)
            user: Mapping[str, Any] = response.get("user") or {}
            profile: Mapping[str, Any] = user.get("profile") or {}
            name = (
                profile.get("display_name")
                or profile.get("real_name")
                or user.get("real_name")
                or user.get("name")
                or member.name
            )
            admin = bool(user.get("is_admin") or user.get("is_owner"))
            member = Member(str(name), admin)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
            return member  # not cached: the next command asks again
        except Exception:
            log.warning("users.info for %s failed", user_id, exc_info=True)
            return member
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = (now + self.ttl, member)
        return member

    async def caller(
        self,
        client: AsyncWebClient,
        *,
        team_id: str,
        user_id: str,
        user_name: str = "",
        channel_id: str = "",
        workspace_name: str = "",
        origin_url: str = "",
        request_key: str = "",
    ) -> Caller:
        """The core's Caller for a Slack user acting in a channel (or the App Home)."""
        member = await self.member(client, team_id, user_id, user_name)
        return Caller(
            platform=PLATFORM,
            workspace_id=team_id,
            user_id=user_id,
            user_name=member.name,
            channel_id=channel_id,
            is_moderator=member.is_admin or user_id in self.moderators,
            origin_url=origin_url,
            workspace_name=workspace_name,
            request_key=request_key,
        )


def team_of(body: Mapping[str, Any]) -> tuple[str, str]:
    """(team id, team domain) of any payload: commands, interactions or events."""
    team = body.get("team")
    if isinstance(team, Mapping):
        return str(team.get("id", "")), str(team.get("domain", ""))
    team_id = body.get("team_id") or (body.get("user") or {}).get("team_id") or ""
    return str(team_id), str(body.get("team_domain", ""))
